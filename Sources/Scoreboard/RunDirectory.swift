// Reading run directories (docs/results-schema.md) and finding them under a root such as `runs/`.
import Foundation
import ResultsSchema

public struct SimRun: Sendable {
    public var directory: URL
    public var manifest: SimManifest
    public var summary: RunSummary
    /// True when summary.json was absent and the summary was computed from episodes.jsonl (a run in progress).
    public var summaryComputed: Bool
    /// Which shards a pooled row holds ("shards 0, 2 of 4"; ShardPooling); nil for a single run or shard.
    public var shardLabel: String? = nil

    /// The run's scoreboard row: its `--name` (else its policy), with the shards it holds.
    public var rowLabel: String {
        let s = manifest.shard
        return manifest.label + (shardLabel.map { " (\($0))" } ?? (s.count > 1 ? " (shard \(s.index)/\(s.count))" : ""))
    }
}

public struct ReasonRun: Sendable {
    public var directory: URL
    public var results: ReasonResults

    /// `--name` and `--limit` as the run's manifest records them.
    public var name: String? { results.manifest?["name"]?.string }
    public var limit: Int? { results.manifest?["limit"]?.number.map { Int($0) } }
    /// The run's scoreboard row: its `--name`, else its model.
    public var rowLabel: String { name ?? results.model }
}

public enum LoadedRun: Sendable {
    case sim(SimRun)
    case reason(ReasonRun)
}

public enum RunDirectory {
    public static let manifestFile = "manifest.json"
    public static let episodesFile = "episodes.jsonl"
    public static let summaryFile = "summary.json"
    public static let reasonFile = "reason_results.json"

    /// A directory is a run directory when it holds a sim manifest or reason results.
    public static func isRunDirectory(_ dir: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: dir.appendingPathComponent(manifestFile).path)
            || fm.fileExists(atPath: dir.appendingPathComponent(reasonFile).path)
    }

    /// Loads a sim or reason run; every failure is a `ResultFileError` naming the offending file.
    public static func load(_ dir: URL) throws -> LoadedRun {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent(reasonFile).path) {
            let url = dir.appendingPathComponent(reasonFile)
            return .reason(ReasonRun(directory: dir, results: try decode(ReasonResults.self, at: url, kind: "reason")))
        }
        let manifest = try readManifest(dir)
        let summaryURL = dir.appendingPathComponent(summaryFile)
        if FileManager.default.fileExists(atPath: summaryURL.path) {
            let summary = try decode(RunSummary.self, at: summaryURL, kind: "sim")
            guard summary.configHash == manifest.configHash else {
                throw ResultFileError.invalid(path: summaryURL.path, field: "config_hash",
                                              reason: "'\(summary.configHash)' differs from manifest.json's '\(manifest.configHash)'")
            }
            return .sim(SimRun(directory: dir, manifest: manifest, summary: summary, summaryComputed: false))
        }
        let summary = RunSummary.compute(episodes: try readEpisodes(dir), manifest: manifest)
        return .sim(SimRun(directory: dir, manifest: manifest, summary: summary, summaryComputed: true))
    }

    public static func readManifest(_ dir: URL) throws -> SimManifest {
        try decode(SimManifest.self, at: dir.appendingPathComponent(manifestFile), kind: "sim")
    }

    /// Every line of episodes.jsonl (an absent file is an empty run); a bad line fails with its file and line number.
    public static func readEpisodes(_ dir: URL) throws -> [EpisodeRecord] {
        let url = dir.appendingPathComponent(episodesFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data = try read(url)
        var records: [EpisodeRecord] = []
        for (i, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            records.append(try EpisodeRecord.parse(line: Data(line), file: url.path, lineNumber: i + 1))
        }
        return records
    }

    struct Header: Decodable { var schema_version: Int?; var kind: String? }

    /// Decodes `url` after checking that it is JSON of the expected `kind` and schema version.
    static func decode<T: Decodable>(_ type: T.Type, at url: URL, kind: String) throws -> T {
        let data = try read(url)
        let header: Header
        do { header = try JSONCoding.decoder.decode(Header.self, from: data) } catch {
            throw ResultFileError.malformed(path: url.path, reason: describe(error))
        }
        guard header.kind == kind, header.schema_version == resultsSchemaVersion else {
            throw ResultFileError.foreign(path: url.path, reason:
                "kind \(header.kind.map { "'\($0)'" } ?? "absent"), schema_version "
                + "\(header.schema_version.map(String.init) ?? "absent"); expected '\(kind)', \(resultsSchemaVersion)")
        }
        do { return try JSONCoding.decoder.decode(T.self, from: data) } catch {
            throw ResultFileError.invalid(path: url.path, field: "(schema)", reason: describe(error))
        }
    }

    static func read(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw ResultFileError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Run directories at or below each root (depth-first, sorted by path, at most `maxDepth` levels down).
    /// A root that is itself a run directory is returned as is; run directories are not searched further.
    public static func discover(under roots: [URL], maxDepth: Int = 4) -> [URL] {
        var found: [URL] = []
        func walk(_ dir: URL, _ depth: Int) {
            if isRunDirectory(dir) { found.append(dir.standardizedFileURL); return }
            guard depth < maxDepth,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                var isDir: ObjCBool = false
                let child = dir.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: child.path, isDirectory: &isDir), isDir.boolValue {
                    walk(child, depth + 1)
                }
            }
        }
        roots.forEach { walk($0, 0) }
        var seen = Set<String>()
        return found.filter { seen.insert($0.path).inserted }
    }
}
