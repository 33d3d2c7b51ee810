import Foundation
import ResultsSchema

/// Merges the run directories of the shards of one `reason` run (`vlaser-eval merge` calls this): refuses
/// differing config_hash, keeps the first record of a duplicated sample and flags it, flags missing samples,
/// and rescores every benchmark from the merged per-sample terms.
public enum ReasonMerge {
    public static func merge(runDirectories: [URL], into out: URL) throws -> URL {
        guard let firstDir = runDirectories.first else { throw ReasonError("merge: no run directories given") }
        let docs = try runDirectories.map { try ResultsFile.read($0) }
        let hash = { (doc: ReasonResults) in doc.configHash ?? "" }
        for (dir, doc) in zip(runDirectories, docs) where hash(doc) != hash(docs[0]) {
            throw ReasonError("merge: \(dir.path) has config_hash \(hash(doc)), \(firstDir.path) has \(hash(docs[0]))")
        }
        var ids: [String] = []
        var meta: [String: ReasonBenchmark] = [:]
        for e in docs.flatMap(\.benchmarks) where meta[e.id] == nil {
            ids.append(e.id); meta[e.id] = e
        }
        var entries: [ReasonBenchmark] = []
        var report: [String: SampleMergeReport] = [:]
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
            entries.append(ReasonBenchmark.scored(id: id, displayName: e.displayName ?? id, metric: e.metric ?? "",
                                                  records: records, expected: order.count))
            if !duplicates.isEmpty || !missing.isEmpty {
                report[id] = SampleMergeReport(duplicates: duplicates.sorted(), missing: missing)
            }
        }
        var whole = docs[0]
        whole.shard = .whole
        var manifest = whole.manifest ?? ReasonManifest()
        manifest.mergedFrom = runDirectories.map(\.path)
        manifest.mergeReport = report
        try ResultsFile.write(ResultsFile.document(continuing: whole, benchmarks: entries, manifest: manifest), to: out)
        return out.appendingPathComponent(ResultsFile.name)
    }
}
