import Foundation
import ResultsSchema

/// Building, writing and reading `DIR/reason_results.json`, whose one declaration is `ResultsSchema.ReasonResults`
/// (docs/results-schema.md § "vlaser-eval reason run directory").
public enum ResultsFile {
    public static let name = RunFiles.reasonFile

    /// A document stamped now: `benchmarks` in Table 1 order (`BenchmarkCatalog.order`), the average over those
    /// with a score and the missing ones named.
    public static func document(model: String, endpoint: String?, prompt: String, configHash: String, shard: Shard,
                                benchmarks: [ReasonBenchmark], manifest: ReasonManifest) -> ReasonResults {
        let byID = Dictionary(benchmarks.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        return ReasonResults(model: model, endpoint: endpoint, prompt: prompt, configHash: configHash, shard: shard,
                             createdAt: ISO8601DateFormatter().string(from: Date()),
                             benchmarks: BenchmarkCatalog.order.compactMap { byID[$0] }, catalog: BenchmarkCatalog.order,
                             manifest: manifest)
    }

    /// `previous`'s run (model, endpoint, prompt, configuration, shard) with other benchmark entries and manifest.
    public static func document(continuing previous: ReasonResults, benchmarks: [ReasonBenchmark],
                                manifest: ReasonManifest) -> ReasonResults {
        document(model: previous.model, endpoint: previous.endpoint, prompt: previous.prompt ?? "",
                 configHash: previous.configHash ?? "", shard: previous.shard ?? .whole, benchmarks: benchmarks,
                 manifest: manifest)
    }

    /// Writes the document laid out as reason files always have been (`sortedJSON`: pretty, keys in
    /// JSONSerialization's order), so a run resumed or merged across versions keeps the same bytes.
    public static func write(_ results: ReasonResults, to dir: URL) throws {
        let object = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(results))
        try writeAtomically(try sortedJSON(object), to: dir.appendingPathComponent(name))
    }

    /// Reads and checks a results file; the error names the file and what is wrong.
    public static func read(_ dir: URL) throws -> ReasonResults {
        do { return try RunFiles.decode(ReasonResults.self, at: dir.appendingPathComponent(name), kind: ReasonResults.kind) } catch {
            throw ReasonError(String(describing: error))
        }
    }

    /// The terminal table printed at the end of a run.
    public static func table(_ doc: ReasonResults) -> String {
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        var lines = [pad("benchmark", 14, left: true) + pad("score", 8) + pad("n", 7) + pad("unparsed", 10) + pad("errors", 8)]
        for e in doc.benchmarks {
            let score = e.score.map { String(format: "%.1f", $0) } ?? "-"
            func n(_ k: Int?) -> String { String(k ?? 0) }
            lines.append(pad(e.id, 14, left: true) + pad(score, 8) + pad(n(e.n), 7) + pad(n(e.nUnparsed), 10)
                         + pad(n(e.nErrors), 8))
        }
        let avg = doc.average.map { String(format: "%.1f", $0) } ?? "-"
        lines.append("average (plain mean of \((doc.averageOver ?? []).count) of 12): \(avg)")
        let missing = doc.missing ?? []
        if !missing.isEmpty { lines.append("missing: \(missing.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
