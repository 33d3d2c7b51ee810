// Combining the shards of one sim run (`--shard i/n` on several machines) into the run an unsharded
// invocation would have written (docs/results-schema.md).
import Foundation
import ResultsSchema

public enum MergeError: Error, CustomStringConvertible, Equatable {
    case noInputs
    case configMismatch(field: String, first: String, firstValue: String, other: String, otherValue: String)
    case outputIsInput(String)
    case missingEpisodes(count: Int, examples: [String])
    case unexpectedEpisodes(directory: String, examples: [String])

    public var description: String {
        switch self {
        case .noInputs: return "merge: no run directories given"
        case .configMismatch(let f, let a, let av, let b, let bv):
            return "merge: refusing to merge runs of different configurations: \(f) is '\(av)' in \(a) but '\(bv)' in \(b)"
        case .outputIsInput(let p): return "merge: --out \(p) is one of the input runs"
        case .missingEpisodes(let n, let ex):
            return "merge: \(n) episode(s) of all_episode_ids are missing (e.g. \(ex.joined(separator: ", "))); "
                + "run the missing shards or pass --allow-missing"
        case .unexpectedEpisodes(let d, let ex):
            return "merge: \(d)/episodes.jsonl holds episodes outside its manifest's episode_ids (e.g. \(ex.joined(separator: ", ")))"
        }
    }
}

/// What a merge found besides its result.
public struct MergeReport: Equatable, Sendable {
    /// Episode ids that occurred more than once across the inputs (the first occurrence is kept).
    public var duplicates: [String] = []
    /// Duplicates whose copies disagree on status or success.
    public var conflictingDuplicates: [String] = []
    /// Episode ids of all_episode_ids that no input produced (only non-empty with `allowMissing`).
    public var missing: [String] = []
    /// Shard indices given more than once.
    public var repeatedShards: [Int] = []
    /// Per-episode files and folders (actions, videos, frames, logs) copied into the merged run.
    public var artifacts = 0
    public var summary: RunSummary
}

public enum SimMerge {
    /// Merges the sim shards in `runDirectories` into `out`: manifest.json (shard 0/1, episode_ids =
    /// all_episode_ids), episodes.jsonl in canonical order (the lines as the shards wrote them), summary.json,
    /// timing.json, and each kept episode's actions, videos, frames and log (`RunArtifacts`).
    /// Refuses shards whose `config_hash`, `all_episode_ids` or shard count differ; missing episodes are an error
    /// unless `allowMissing`; duplicates are reported and the first copy (lowest shard index) kept.
    @discardableResult
    public static func merge(runDirectories: [URL], into out: URL, allowMissing: Bool = false) throws -> MergeReport {
        guard !runDirectories.isEmpty else { throw MergeError.noInputs }
        let outPath = out.standardizedFileURL.path
        if let clash = runDirectories.first(where: { $0.standardizedFileURL.path == outPath }) {
            throw MergeError.outputIsInput(clash.path)
        }
        let shards = try runDirectories.map { ($0, try RunFiles.readManifest($0)) }
            .sorted { $0.1.shard.index < $1.1.shard.index }
        let (firstDir, first) = shards[0]
        for (dir, m) in shards.dropFirst() {
            func check(_ field: String, _ a: String, _ b: String) throws {
                if a != b {
                    throw MergeError.configMismatch(field: field, first: firstDir.path, firstValue: a,
                                                    other: dir.path, otherValue: b)
                }
            }
            try check("config_hash", first.configHash, m.configHash)
            try check("shard.count", String(first.shard.count), String(m.shard.count))
            try check("all_episode_ids", "\(first.allEpisodeIds.count) ids", m.allEpisodeIds == first.allEpisodeIds
                      ? "\(first.allEpisodeIds.count) ids" : "\(m.allEpisodeIds.count) ids (different list)")
        }
        var report = MergeReport(summary: RunSummary.compute(episodes: [], manifest: first))
        var seenShards = Set<Int>()
        for (_, m) in shards where !seenShards.insert(m.shard.index).inserted { report.repeatedShards.append(m.shard.index) }

        var kept: [String: EpisodeRecord] = [:]
        var source: [String: URL] = [:]
        for (dir, m) in shards {
            let allowed = Set(m.episodeIds)
            let records = try RunFiles.readEpisodes(dir)
            let foreign = records.filter { !allowed.contains($0.episodeId) }.map(\.episodeId)
            if !foreign.isEmpty { throw MergeError.unexpectedEpisodes(directory: dir.path, examples: Array(foreign.prefix(3))) }
            for r in records {
                if let prior = kept[r.episodeId] {
                    report.duplicates.append(r.episodeId)
                    if prior.status != r.status || prior.success != r.success { report.conflictingDuplicates.append(r.episodeId) }
                } else {
                    kept[r.episodeId] = r
                    source[r.episodeId] = dir
                }
            }
        }
        report.missing = first.allEpisodeIds.filter { kept[$0] == nil }
        if !report.missing.isEmpty && !allowMissing {
            throw MergeError.missingEpisodes(count: report.missing.count, examples: Array(report.missing.prefix(3)))
        }

        var manifest = first
        manifest.shard = .whole
        manifest.episodeIds = first.allEpisodeIds
        let episodes = first.allEpisodeIds.compactMap { kept[$0] }
        report.summary = RunSummary.compute(episodes: episodes, manifest: manifest)

        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var lines = Data()
        for e in episodes { lines.append(e.line); lines.append(0x0A) }
        try manifest.jsonData().write(to: out.appendingPathComponent(RunFiles.manifestFile), options: .atomic)
        try lines.write(to: out.appendingPathComponent(RunFiles.episodesFile), options: .atomic)
        try report.summary.jsonData().write(to: out.appendingPathComponent(RunFiles.summaryFile), options: .atomic)
        try TimingSummary.compute(episodes: episodes, summary: report.summary).jsonData()
            .write(to: out.appendingPathComponent(TimingSummary.fileName), options: .atomic)
        report.artifacts = try RunArtifacts.copy(source: source, into: out)
        try RunGallery.write(episodes, manifest: manifest, to: out)
        return report
    }
}
