import Foundation
import ResultsSchema

/// `DIR/reason_results.json` (docs/results-schema.md § "vlaser-eval reason run directory").
public enum ResultsFile {
    public static let name = "reason_results.json"
    public static let schemaVersion = 1

    public struct Header {
        public var model: String
        public var endpoint: String?
        public var prompt: String
        public var configHash: String
        public var shardIndex = 0
        public var shardCount = 1
        public var manifest: [String: Any] = [:]

        public init(model: String, endpoint: String?, prompt: String, configHash: String) {
            self.model = model; self.endpoint = endpoint; self.prompt = prompt; self.configHash = configHash
        }
    }

    /// Builds the document; `average` is the plain mean of the scored benchmarks (Vlaser "Avg", §2.2), and
    /// `missing` names the Table 1 benchmarks without a score (never counted as 0).
    public static func document(_ h: Header, entries: [[String: Any]]) -> [String: Any] {
        let byID = Dictionary(entries.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { $1 })
        let ordered = BenchmarkCatalog.order.compactMap { byID[$0] }
        let scored = ordered.filter { ($0["score"] as? NSNumber) != nil }
        let scores = scored.compactMap { ($0["score"] as? NSNumber)?.doubleValue }
        let over = scored.compactMap { $0["id"] as? String }
        return ["schema_version": schemaVersion, "kind": "reason", "model": h.model, "endpoint": h.endpoint ?? NSNull(),
                "prompt": h.prompt, "config_hash": h.configHash, "shard": ["index": h.shardIndex, "count": h.shardCount],
                "created_at": ISO8601DateFormatter().string(from: Date()), "benchmarks": ordered,
                "average": scores.isEmpty ? NSNull() : scores.reduce(0, +) / Double(scores.count) as Any,
                "average_over": over, "missing": BenchmarkCatalog.order.filter { !over.contains($0) }, "manifest": h.manifest]
    }

    /// Writes the document after checking it against the one declared schema (`ResultsSchema.ReasonResults`), so
    /// the writer and the scoreboard cannot drift apart.
    public static func write(_ document: [String: Any], to dir: URL) throws {
        let data = try sortedJSON(document)
        do { _ = try JSONCoding.decoder.decode(ReasonResults.self, from: data) } catch {
            throw ReasonError("internal: the results document does not match the reason_results schema (\(describe(error)))")
        }
        try writeAtomically(data, to: dir.appendingPathComponent(name))
    }

    /// Reads and checks a results file; the error names the file and what is wrong.
    public static func read(_ dir: URL) throws -> [String: Any] {
        let url = dir.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else { throw ReasonError("\(url.path): not found") }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReasonError("\(url.path): not a JSON object")
        }
        guard (obj["schema_version"] as? NSNumber)?.intValue == schemaVersion, obj["kind"] as? String == "reason" else {
            throw ReasonError("\(url.path): not a schema_version \(schemaVersion) \"reason\" results file")
        }
        return obj
    }

    public static func header(from doc: [String: Any]) -> Header {
        var h = Header(model: doc["model"] as? String ?? "", endpoint: doc["endpoint"] as? String,
                       prompt: doc["prompt"] as? String ?? "", configHash: doc["config_hash"] as? String ?? "")
        let shard = doc["shard"] as? [String: Any]
        h.shardIndex = (shard?["index"] as? NSNumber)?.intValue ?? 0
        h.shardCount = (shard?["count"] as? NSNumber)?.intValue ?? 1
        h.manifest = doc["manifest"] as? [String: Any] ?? [:]
        return h
    }

    /// The terminal table printed at the end of a run.
    public static func table(_ doc: [String: Any]) -> String {
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        var lines = [pad("benchmark", 14, left: true) + pad("score", 8) + pad("n", 7) + pad("unparsed", 10) + pad("errors", 8)]
        for e in doc["benchmarks"] as? [[String: Any]] ?? [] {
            let score = (e["score"] as? NSNumber).map { String(format: "%.1f", $0.doubleValue) } ?? "-"
            func n(_ k: String) -> String { String((e[k] as? NSNumber)?.intValue ?? 0) }
            lines.append(pad(e["id"] as? String ?? "", 14, left: true) + pad(score, 8) + pad(n("n"), 7) + pad(n("n_unparsed"), 10)
                         + pad(n("n_errors"), 8))
        }
        let avg = (doc["average"] as? NSNumber).map { String(format: "%.1f", $0.doubleValue) } ?? "-"
        let over = (doc["average_over"] as? [String] ?? []).count
        lines.append("average (plain mean of \(over) of 12): \(avg)")
        let missing = doc["missing"] as? [String] ?? []
        if !missing.isEmpty { lines.append("missing: \(missing.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
