import Foundation
import ResultsSchema

/// Scores EB-ALFRED / EB-Habitat from the per-episode result JSON written by EmbodiedBench's own harness
/// (reasoning-benchmarks.md §4.11–4.12): `<subset>/results/episode_<k>_final_res.json` with `task_success`.
public enum EmbodiedBenchImport {
    /// The six 50-episode subsets of each environment (§4.11–4.12).
    public static let subsets: [String: [String]] = [
        "eb_alfred": ["base", "common_sense", "complex_instruction", "spatial", "visual_appearance", "long_horizon"],
        "eb_habitat": ["base", "common_sense", "complex_instruction", "spatial_relationship", "visual_appearance", "long_horizon"],
    ]

    /// Reads the episodes under `from` (a folder of subset folders, or one subset folder) into records.
    public static func records(benchmark: String, from: URL) throws -> [PredictionRecord] {
        guard let known = subsets[benchmark] else { throw ReasonError("import: \(benchmark) is not eb_alfred or eb_habitat") }
        let fm = FileManager.default
        var folders: [(String, URL)] = []
        if fm.fileExists(atPath: from.appendingPathComponent("results").path) {
            folders = [(from.lastPathComponent, from.appendingPathComponent("results"))]
        } else {
            let names = ((try? fm.contentsOfDirectory(atPath: from.path)) ?? []).sorted()
            folders = names.map { ($0, from.appendingPathComponent($0).appendingPathComponent("results")) }
                .filter { fm.fileExists(atPath: $0.1.path) }
        }
        if folders.isEmpty { throw ReasonError("import: \(from.path) has no <subset>/results/episode_<k>_final_res.json files") }
        var out: [PredictionRecord] = []
        for (subset, folder) in folders {
            guard known.contains(subset) else {
                throw ReasonError("import: \(folder.path): unknown \(benchmark) subset \"\(subset)\" (known: \(known.joined(separator: ", ")))")
            }
            let episodes = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? [])
                .compactMap { name -> (Int, String)? in
                    guard name.hasPrefix("episode_"), name.hasSuffix("_final_res.json") else { return nil }
                    return Int(name.dropFirst("episode_".count).dropLast("_final_res.json".count)).map { ($0, name) }
                }.sorted { $0.0 < $1.0 }
            for (k, name) in episodes {
                let url = folder.appendingPathComponent(name)
                guard let obj = (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] else {
                    throw ReasonError("import: \(url.path): not a JSON object")
                }
                let success: Double
                if let b = obj["task_success"] as? Bool { success = b ? 1 : 0 }
                else if let n = obj["task_success"] as? NSNumber { success = n.doubleValue >= 1 ? 1 : 0 }
                else { throw ReasonError("import: \(url.path): field \"task_success\" missing or not a number") }
                out.append(PredictionRecord(sampleID: "\(subset)/\(k)", requestHash: "", prompt: "", response: nil,
                                            parsed: obj["task_success"] ?? NSNull(), unparsed: false, group: subset,
                                            terms: ["correct": success], latency: 0, attempts: 0, error: nil))
            }
        }
        return out
    }

    /// Writes `<bench>/predictions.jsonl` and upserts the benchmark into `out`'s reason_results.json.
    public static func importResults(_ def: BenchmarkDefinition, from: URL, out: URL, model: String) throws -> ReasonResults {
        let records = try records(benchmark: def.id, from: from)
        let dir = out.appendingPathComponent(def.id)
        try PredictionRecord.write(records, to: dir.appendingPathComponent("predictions.jsonl"))
        try writeAtomically(try sortedJSON(records.map(\.sampleID)), to: dir.appendingPathComponent("sample_ids.json"))
        let result = ReasonBenchmark.scored(id: def.id, displayName: def.displayName, metric: def.metric, records: records,
                                            expected: records.count)
        let existing = try? ResultsFile.read(out)
        var manifest = existing?.manifest ?? ReasonManifest()
        manifest.imported = (manifest.imported ?? [:]).merging([def.id: from.path]) { $1 }
        let entries = (existing?.benchmarks ?? []).filter { $0.id != def.id } + [result]
        let doc = existing.map { ResultsFile.document(continuing: $0, benchmarks: entries, manifest: manifest) }
            ?? ResultsFile.document(model: model, endpoint: nil, prompt: "", configHash: "", shard: .whole,
                                    benchmarks: entries, manifest: manifest)
        try ResultsFile.write(doc, to: out)
        return doc
    }
}
