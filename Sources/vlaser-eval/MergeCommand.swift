import ArgumentParser
import Foundation
import ResultsSchema

/// `vlaser-eval merge`: combines the shards of one run (`--shard i/n` on several machines) into one run directory.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shards of one sim or reason run into the run an unsharded invocation would write.")

    @Argument(help: "Shard run directories (all sim or all reason, same configuration).")
    var dirs: [String]

    @Option(help: "Output run directory.")
    var out: String

    @Flag(help: "Write a partial result when episodes are missing instead of failing.")
    var allowMissing = false

    func run() throws {
        let urls = dirs.map { URL(fileURLWithPath: $0) }
        let kinds = try Set(urls.map { url -> String in
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(RunFiles.reasonFile).path) { return "reason" }
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(RunFiles.manifestFile).path) { return "sim" }
            throw usageError("\(url.path): neither \(RunFiles.manifestFile) nor \(RunFiles.reasonFile) found")
        })
        guard kinds.count == 1, let kind = kinds.first else { throw usageError("cannot merge sim and reason runs together") }
        let outURL = URL(fileURLWithPath: out)
        try Self.checkOutput(outURL, inputs: urls, kind: kind)
        switch kind {
        case "sim":
            let report: MergeReport
            do { report = try SimMerge.merge(runDirectories: urls, into: outURL, allowMissing: allowMissing) } catch {
                throw usageError(String(describing: error))
            }
            let err = FileHandle.standardError
            if !report.repeatedShards.isEmpty {
                err.write(Data("warning: shard index given more than once: \(report.repeatedShards.map(String.init).joined(separator: ", "))\n".utf8))
            }
            if !report.duplicates.isEmpty {
                err.write(Data(("warning: \(report.duplicates.count) duplicate episode(s), first copy kept: "
                    + report.duplicates.prefix(5).joined(separator: ", ") + "\n").utf8))
            }
            if !report.conflictingDuplicates.isEmpty {
                err.write(Data(("warning: duplicates disagree on status/success: "
                    + report.conflictingDuplicates.prefix(5).joined(separator: ", ") + "\n").utf8))
            }
            if !report.missing.isEmpty {
                err.write(Data("warning: \(report.missing.count) episode(s) missing (partial result written)\n".utf8))
            }
            let s = report.summary
            print("merged \(urls.count) shard(s) → \(outURL.path): \(s.nDone)/\(s.nExpected) episodes, \(s.nErrors) errors, \(report.artifacts) per-episode files")
        default:
            try Sibling.exec(Sibling.reason, ["merge"] + dirs + ["--out", out], purpose: "merging reason runs")
        }
    }

    /// `--out` must be new, an empty directory, or an earlier merge of these same shards (merging again after a
    /// shard was resumed): writing over another run would mix its leftovers (actions/, other benchmarks, episodes
    /// of another configuration) into this one.
    static func checkOutput(_ out: URL, inputs: [URL], kind: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw usageError("merge: --out \(out.path) is a file, not a directory") }
        // The shards may live inside `--out` (deploy/slurm merges into the run directory that holds `shards/` and
        // the scheduler's `slurm/` logs): those folders are the merge's inputs, not another run's leftovers.
        let outPath = out.standardizedFileURL.path + "/"
        let inputHomes = Set(inputs.compactMap { url -> String? in
            let p = url.standardizedFileURL.path
            return p.hasPrefix(outPath) ? String(p.dropFirst(outPath.count).split(separator: "/").first ?? "") : nil
        })
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: out.path)).subtracting(inputHomes.union(["slurm"]))
        if present.isEmpty { return }
        let earlierMerge: Bool
        if kind == "sim" {
            let previous = try? RunFiles.readManifest(out)
            earlierMerge = previous?.shard == .whole && previous?.configHash == (try? RunFiles.readManifest(inputs[0]))?.configHash
                && present.isSubset(of: Set([RunFiles.manifestFile, RunFiles.episodesFile, RunFiles.summaryFile,
                                             TimingSummary.fileName, RunGallery.fileName] + RunArtifacts.kinds))
        } else {
            func results(_ dir: URL) -> ReasonResults? {
                (try? Data(contentsOf: dir.appendingPathComponent(RunFiles.reasonFile)))
                    .flatMap { try? JSONCoding.decoder.decode(ReasonResults.self, from: $0) }
            }
            let previous = results(out)
            earlierMerge = previous?.manifest?.mergedFrom != nil && previous?.configHash == results(inputs[0])?.configHash
        }
        guard earlierMerge else {
            throw usageError("merge: --out \(out.path) already holds files (\(present.sorted().prefix(3).joined(separator: ", "))) that are not an earlier merge of these runs; choose a new directory")
        }
    }
}
