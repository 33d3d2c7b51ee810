import Foundation

/// Merges the run directories of the shards of one `reason` run (`vlaser-eval merge` calls this): refuses
/// differing config_hash, keeps the first record of a duplicated sample and flags it, flags missing samples,
/// and rescores every benchmark from the merged per-sample terms.
public enum ReasonMerge {
    public static func merge(runDirectories: [URL], into out: URL) throws -> URL {
        guard let firstDir = runDirectories.first else { throw ReasonError("merge: no run directories given") }
        let docs = try runDirectories.map { try ResultsFile.read($0) }
        let headers = docs.map(ResultsFile.header(from:))
        for (dir, h) in zip(runDirectories, headers) where h.configHash != headers[0].configHash {
            throw ReasonError("merge: \(dir.path) has config_hash \(h.configHash), \(firstDir.path) has \(headers[0].configHash)")
        }
        var ids: [String] = []
        var meta: [String: [String: Any]] = [:]
        for doc in docs {
            for e in doc["benchmarks"] as? [[String: Any]] ?? [] {
                guard let id = e["id"] as? String else { continue }
                if meta[id] == nil { ids.append(id); meta[id] = e }
            }
        }
        var entries: [[String: Any]] = []
        var report: [String: Any] = [:]
        for id in ids {
            var expected: [String]? = nil
            var byID: [String: PredictionRecord] = [:]
            var duplicates: [String] = []
            for dir in runDirectories {
                let bdir = dir.appendingPathComponent(id)
                if let d = try? Data(contentsOf: bdir.appendingPathComponent("sample_ids.json")),
                   let list = try? JSONSerialization.jsonObject(with: d) as? [String] {
                    if let expected, expected != list {
                        throw ReasonError("merge: \(bdir.path)/sample_ids.json differs from the other shards")
                    }
                    expected = list
                }
                for r in try PredictionRecord.read(bdir.appendingPathComponent("predictions.jsonl")) {
                    if let old = byID[r.sampleID] {
                        if old.isGood || !r.isGood { duplicates.append(r.sampleID); continue }
                    }
                    byID[r.sampleID] = r
                }
            }
            let order = expected ?? byID.keys.sorted()
            let records = order.compactMap { byID[$0] }
            let missing = order.filter { byID[$0] == nil || byID[$0]?.isGood == false }
            let bdir = out.appendingPathComponent(id)
            try PredictionRecord.write(records, to: bdir.appendingPathComponent("predictions.jsonl"))
            try writeAtomically(try sortedJSON(order), to: bdir.appendingPathComponent("sample_ids.json"))
            let e = meta[id]!
            let result = BenchmarkResult.from(id: id, displayName: e["display_name"] as? String ?? id,
                                              metric: e["metric"] as? String ?? "", records: records, expected: order.count)
            entries.append(result.json)
            if !duplicates.isEmpty || !missing.isEmpty { report[id] = ["duplicates": duplicates.sorted(), "missing": missing] }
        }
        var header = headers[0]
        header.shardIndex = 0; header.shardCount = 1
        header.manifest["merged_from"] = runDirectories.map(\.path)
        header.manifest["merge_report"] = report
        try ResultsFile.write(ResultsFile.document(header, entries: entries), to: out)
        return out.appendingPathComponent(ResultsFile.name)
    }
}
