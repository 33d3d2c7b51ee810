// Reading the files of a run directory (docs/results-schema.md): the one reader behind the scoreboard and merge.
import Foundation

/// The file names of a run directory and the checked readers of its manifest, episodes and JSON files.
public enum RunFiles {
    public static let manifestFile = "manifest.json"
    public static let episodesFile = "episodes.jsonl"
    public static let summaryFile = "summary.json"
    public static let reasonFile = "reason_results.json"

    /// `DIR/manifest.json` of a sim run, checked for kind and schema version.
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

    private struct Header: Decodable { var schema_version: Int?; var kind: String? }

    /// Decodes `url` after checking that it is JSON of the expected `kind` and schema version.
    public static func decode<T: Decodable>(_ type: T.Type, at url: URL, kind: String) throws -> T {
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

    /// The bytes of `url`; a failure is a `ResultFileError` naming the file.
    public static func read(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw ResultFileError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}
