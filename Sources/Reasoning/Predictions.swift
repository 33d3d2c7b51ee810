import Foundation

/// One line of `<bench>/predictions.jsonl` (docs/results-schema.md): what was asked, answered, parsed and scored.
public struct PredictionRecord {
    public var sampleID: String
    public var requestHash: String
    public var prompt: String
    public var response: String?
    public var parsed: Any
    public var unparsed: Bool
    public var group: String
    public var terms: [String: Double]
    public var latency: Double
    public var attempts: Int
    public var error: String?

    public var isGood: Bool { error == nil }

    public var json: [String: Any] {
        var o: [String: Any] = ["sample_id": sampleID, "request_hash": requestHash, "prompt": prompt,
                                "response": response ?? NSNull(), "parsed": parsed, "unparsed": unparsed, "group": group,
                                "terms": terms, "latency_s": latency, "attempts": attempts, "error": error ?? NSNull()]
        if let c = terms["correct"] { o["correct"] = c == 1 }
        return o
    }

    public init(sampleID: String, requestHash: String, prompt: String, response: String?, parsed: Any, unparsed: Bool,
                group: String, terms: [String: Double], latency: Double, attempts: Int, error: String?) {
        self.sampleID = sampleID; self.requestHash = requestHash; self.prompt = prompt; self.response = response
        self.parsed = parsed; self.unparsed = unparsed; self.group = group; self.terms = terms
        self.latency = latency; self.attempts = attempts; self.error = error
    }

    public init(json o: [String: Any], origin: String) throws {
        let r = Record(o, origin: origin)
        sampleID = try r.string("sample_id")
        requestHash = r.optionalString("request_hash") ?? ""
        prompt = r.optionalString("prompt") ?? ""
        response = o["response"] as? String
        parsed = o["parsed"] ?? NSNull()
        unparsed = o["unparsed"] as? Bool ?? false
        group = r.optionalString("group") ?? ""
        terms = (o["terms"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
        latency = (o["latency_s"] as? NSNumber)?.doubleValue ?? 0
        attempts = (o["attempts"] as? NSNumber)?.intValue ?? 0
        error = o["error"] as? String
    }

    /// Reads a predictions file, tolerating a torn last line (an interrupted run); later lines for the same
    /// sample replace earlier ones.
    public static func read(_ url: URL) throws -> [PredictionRecord] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        var out: [PredictionRecord] = []
        for (i, line) in lines.enumerated() {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                if i == lines.count - 1 { break }
                throw ReasonError("\(url.path):\(i + 1): not a JSON object")
            }
            out.append(try PredictionRecord(json: obj, origin: "\(url.path):\(i + 1)"))
        }
        return out
    }

    /// Writes records in the given sample order (canonical order → byte-stable file).
    public static func write(_ records: [PredictionRecord], to url: URL) throws {
        var d = Data()
        for r in records { d.append(JSONLines.line(r.json)) }
        try writeAtomically(d, to: url)
    }
}

/// Appends records as they finish so an interrupted run loses at most the requests in flight.
final class PredictionAppender {
    private let handle: FileHandle
    private let lock = NSLock()

    init(_ url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
    }

    func append(_ r: PredictionRecord) {
        lock.lock(); defer { lock.unlock() }
        handle.write(JSONLines.line(r.json))
    }

    func close() { try? handle.close() }
}
