// Run directories written exactly as docs/results-schema.md describes, for the tests.
import Foundation
import ResultsSchema
import Scoreboard
import TestSupport

/// One episode to write: which task/variant, and its outcome.
struct FixtureEpisode {
    var task: String
    var variant: String = "base"
    var index: Int
    var repeatNumber: Int = 0
    var success: Bool
    /// nil: the task has no grasp metric (written as null).
    var grasped: Bool?
    var error: String? = nil

    func id(suite: String) -> String { "\(suite)/\(task)/\(variant)/\(index)/\(repeatNumber)" }

    /// One episodes.jsonl line with every schema field, keys sorted as the runner writes them.
    func line(suite: String, seed: Int) -> String {
        let obj: [String: Any] = [
            "schema_version": 1, "episode_id": id(suite: suite), "suite": suite, "task": task, "variant": variant,
            "episode_index": index, "repeat": repeatNumber, "seed": seed &+ index, "instruction": "do \(task)",
            "status": error == nil ? "ok" : "error", "success": error == nil && success, "grasped": grasped.map { $0 as Any } ?? NSNull(),
            "error": error.map { $0 as Any } ?? NSNull(), "steps": 60, "sim_time_s": 12.0, "wall_time_s": 0.5,
            "stats": ["consecutive_grasp": grasped == true ? 5 : 0, "qpos": [0.1, 0.2]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

enum RunFixtures {
    /// `count` episodes of `task` of which the first `successes` succeed and the first `grasps` grasp.
    /// `tracksGrasp: false` writes `grasped: null` (a task without a grasp metric).
    static func episodes(_ task: String, count: Int, successes: Int, grasps: Int? = nil, variant: String = "base",
                         firstIndex: Int = 0, tracksGrasp: Bool = true) -> [FixtureEpisode] {
        (0..<count).map { i in
            FixtureEpisode(task: task, variant: variant, index: firstIndex + i, success: i < successes,
                           grasped: tracksGrasp ? i < (grasps ?? successes) : nil)
        }
    }

    static func manifest(suite: String, protocol: String, policy: String, tasks: [String], ids: [String],
                         shard: Shard = .whole, shardIds: [String]? = nil, seed: Int = 0, hash: String = "cafe0001") -> SimManifest {
        SimManifest(suite: suite, protocol: `protocol`, policy: policy, seed: seed, execute: 4, tasks: tasks, shard: shard,
                    configHash: hash, episodeIds: shardIds ?? ids, allEpisodeIds: ids, harnessVersion: "0.1.0",
                    gitCommit: "0123456789abcdef", createdAt: "2026-01-01T00:00:00Z")
    }

    /// Writes manifest.json, episodes.jsonl (in the order given) and, when `summary`, summary.json.
    @discardableResult
    static func writeSimRun(at dir: URL, suite: String, protocol: String = "visual-matching", policy: String,
                            episodes: [FixtureEpisode], summary: Bool = true, shard: Shard = .whole,
                            shardEpisodes: [FixtureEpisode]? = nil, hash: String = "cafe0001") throws -> SimManifest {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var tasks: [String] = []
        for e in episodes where !tasks.contains(e.task) { tasks.append(e.task) }
        let ids = episodes.map { $0.id(suite: suite) }
        let mine = shardEpisodes ?? episodes
        let m = manifest(suite: suite, protocol: `protocol`, policy: policy, tasks: tasks, ids: ids, shard: shard,
                         shardIds: mine.map { $0.id(suite: suite) }, hash: hash)
        try m.jsonData().write(to: dir.appendingPathComponent("manifest.json"))
        let lines = mine.map { $0.line(suite: suite, seed: 0) + "\n" }.joined()
        try Data(lines.utf8).write(to: dir.appendingPathComponent("episodes.jsonl"))
        if summary {
            let records = try RunFiles.readEpisodes(dir)
            try RunSummary.compute(episodes: records, manifest: m).jsonData()
                .write(to: dir.appendingPathComponent("summary.json"))
        }
        return m
    }

    static func writeReasonRun(at dir: URL, model: String, scores: [String: Double]) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let benches: [[String: Any]] = scores.keys.sorted().map {
            ["id": $0, "display_name": $0.uppercased(), "score": scores[$0]!, "n": 100, "n_unparsed": 1, "subscores": [String: Any]()]
        }
        let all = ["erqa", "egoplan2", "where2place", "pointarena", "paco_lvis", "pixmo_points", "vsi_bench",
                   "refspatial", "mmsi_bench", "vlabench", "eb_alfred", "eb_habitat"]
        let obj: [String: Any] = [
            "schema_version": 1, "kind": "reason", "model": model, "endpoint": "http://127.0.0.1:8000/v1",
            "prompt": "vlaser", "config_hash": "beef", "shard": ["index": 0, "count": 1], "created_at": "2026-01-01T00:00:00Z",
            "benchmarks": benches, "average": scores.values.reduce(0, +) / Double(max(1, scores.count)),
            "average_over": scores.keys.sorted(), "missing": all.filter { scores[$0] == nil },
        ]
        try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
            .write(to: dir.appendingPathComponent("reason_results.json"))
    }

    static var referenceSet: ReferenceSet {
        get throws { try ReferenceSet.load(from: TestSupport.repoRoot.appendingPathComponent("scoreboard/reference")) }
    }
}
