import Foundation
import ResultsSchema
import Testing
@testable import Scoreboard
import TestSupport

/// `--name` makes a run's row; the shards of one run share one row saying which shards it holds; `--limit` runs are
/// marked partial.
@Suite struct RunNamingTests {
    static let carrot = "widowx_carrot_on_plate"

    /// Writes shard `index` of 2 of a named, limited WidowX run: shard 0 succeeds on its 12 episodes, shard 1 fails.
    static func shard(_ index: Int, of all: [FixtureEpisode], at dir: URL, name: String?, limit: Int?, shard: Shard) throws {
        let mine = shard.count == 1 ? all : all.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
        var m = try RunFixtures.writeSimRun(at: dir, suite: "widowx", policy: "ws://127.0.0.1:8000", episodes: all, shard: shard,
                                            shardEpisodes: mine)
        m.name = name
        m.limit = limit
        try m.jsonData().write(to: dir.appendingPathComponent("manifest.json"))
    }

    static var episodes: [FixtureEpisode] {
        (0..<24).map { FixtureEpisode(task: carrot, index: $0, success: $0 % 2 == 0, grasped: true) }
    }

    static func runRows(_ root: URL) throws -> (rows: [Row], runs: [RunInfo]) {
        let (runs, skipped) = Scoreboard.loadRuns(under: [root])
        #expect(skipped.isEmpty, "\(skipped)")
        let doc = Scoreboard.build(reference: try RunFixtures.referenceSet, runs: runs)
        return (doc.tables.flatMap(\.rows).filter { $0.kind == "run" }, doc.runs)
    }

    @Test func shardsShareOneRowAndTheMergedRunAbsorbsThem() throws {
        let root = try TestSupport.makeTempDir("naming")
        for i in 0..<2 {
            try Self.shard(i, of: Self.episodes, at: root.appendingPathComponent("s\(i)"), name: "ckpt-a", limit: 12,
                           shard: Shard(index: i, count: 2))
        }
        var (rows, runs) = try Self.runRows(root)
        #expect(rows.map(\.label) == ["ckpt-a (shards 0, 1 of 2)"])
        // Shard 0 holds the even (successful) episodes, shard 1 the odd ones: pooled, half succeed.
        let cell = rows.first?.cells.values.first { $0.sources?.contains(Self.carrot) == true }
        #expect(cell?.value == 50 && cell?.n == 24, "\(String(describing: cell))")
        #expect(rows.first?.notes?.contains("partial: --limit 12") == true, "\(rows.first?.notes ?? "")")
        #expect(runs.map(\.label).sorted() == ["ckpt-a (shard 0/2)", "ckpt-a (shard 1/2)"])
        #expect(runs.allSatisfy { $0.limit == 12 && $0.policy == "ws://127.0.0.1:8000" && $0.unplaced.isEmpty })

        // One shard alone is labelled as that shard.
        let lone = try TestSupport.makeTempDir("naming-lone")
        try FileManager.default.copyItem(at: root.appendingPathComponent("s1"), to: lone.appendingPathComponent("s1"))
        #expect(try Self.runRows(lone).rows.map(\.label) == ["ckpt-a (shard 1/2)"])

        // The merged run (same configuration and name) stands for its shards: one row, without a shard label.
        try Self.shard(0, of: Self.episodes, at: root.appendingPathComponent("merged"), name: "ckpt-a", limit: 12, shard: .whole)
        (rows, runs) = try Self.runRows(root)
        #expect(rows.map(\.label) == ["ckpt-a"])
        #expect(runs.filter { $0.label.hasPrefix("ckpt-a (shard") }.allSatisfy { $0.unplaced.isEmpty } && runs.count == 3)
    }

    /// Two checkpoints behind the same URL get a row each by name; without a name the row is the policy.
    @Test func namesSeparateRunsOfOneURL() throws {
        let root = try TestSupport.makeTempDir("naming-two")
        try Self.shard(0, of: Self.episodes, at: root.appendingPathComponent("a"), name: "ckpt-a", limit: nil, shard: .whole)
        try Self.shard(0, of: Self.episodes, at: root.appendingPathComponent("b"), name: "ckpt-b", limit: nil, shard: .whole)
        try Self.shard(0, of: Self.episodes, at: root.appendingPathComponent("c"), name: nil, limit: nil, shard: .whole)
        let rows = try Self.runRows(root).rows
        #expect(rows.map(\.label).sorted() == ["ckpt-a", "ckpt-b", "ws://127.0.0.1:8000"])
        #expect(rows.allSatisfy { !($0.notes ?? "").contains("partial") })
    }

    @Test func reasonRunsTakeTheirNameAndLimitFromTheManifest() throws {
        let root = try TestSupport.makeTempDir("naming-reason")
        let dir = root.appendingPathComponent("r")
        try RunFixtures.writeReasonRun(at: dir, model: "served-model", scores: ["erqa": 40])
        let url = dir.appendingPathComponent("reason_results.json")
        var doc = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        doc["manifest"] = ["name": "my-vlm-step-2000", "limit": 5]
        try JSONSerialization.data(withJSONObject: doc).write(to: url)
        let (rows, runs) = try Self.runRows(root)
        #expect(rows.map(\.label) == ["my-vlm-step-2000"] && rows[0].notes == "prompt vlaser, partial: --limit 5")
        #expect(runs.map(\.label) == ["my-vlm-step-2000"] && runs[0].limit == 5)
    }
}
