import Foundation
import ResultsSchema

/// `episodes.jsonl`: appended and flushed as each episode ends, so an interrupted run loses at most the episode
/// in flight; read back on `--resume` (a torn last line from a crash is dropped and rewritten).
public final class ResultStore {
    public let url: URL
    private var handle: FileHandle?

    public init(directory: URL) { url = directory.appendingPathComponent("episodes.jsonl") }

    /// Records already on disk, keyed by episode id; a trailing partial line is discarded.
    public func load() throws -> [String: EpisodeResult] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        var out: [String: EpisodeResult] = [:]
        var validBytes = 0
        var offset = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { offset += line.count + 1 }
            if line.isEmpty { continue }
            guard let r = try? JSONDecoder().decode(EpisodeResult.self, from: Data(line)) else {
                if offset + line.count >= data.count { break }  // torn final line: drop it below
                throw EvaluationError.io("\(url.path): line at byte \(offset) is not an episode record")
            }
            out[r.episodeID] = r
            validBytes = min(offset + line.count + 1, data.count)
        }
        if validBytes < data.count {
            let h = try FileHandle(forWritingTo: url)
            try h.truncate(atOffset: UInt64(validBytes))
            try h.close()
        }
        return out
    }

    public func append(_ r: EpisodeResult) throws {
        if handle == nil {
            if !FileManager.default.fileExists(atPath: url.path) {
                FileManager.default.createFile(atPath: url.path, contents: nil)
            }
            handle = try FileHandle(forWritingTo: url)
            try handle!.seekToEnd()
        }
        try handle!.write(contentsOf: try r.jsonData())
        try handle!.synchronize()
    }

    /// Rewrites the file in canonical episode order (parallel workers finish out of order) atomically.
    public func rewrite(ordered records: [EpisodeResult]) throws {
        try? handle?.close(); handle = nil
        var data = Data()
        for r in records { data.append(try r.jsonData()) }
        try data.write(to: url, options: .atomic)
    }
}
