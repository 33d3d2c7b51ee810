import Foundation
import ResultsSchema
import XCTest
@testable import Scoreboard
import TestSupport

final class RunTablesTests: XCTestCase {
    var root: URL!
    override func setUpWithError() throws { root = try TestSupport.makeTempDir("scoreboard-runs") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// Per-task n excludes errors; variant aggregation averages the per-variant rates (simplerenv-tasks.md §4.2).
    func testRunSummaryVariantAggregationAndErrors() throws {
        var eps = RunFixtures.episodes("google_robot_move_near", count: 10, successes: 9, variant: "base")
        eps += RunFixtures.episodes("google_robot_move_near", count: 30, successes: 3, variant: "darker", firstIndex: 10)
        eps.append(FixtureEpisode(task: "google_robot_move_near", variant: "darker", index: 40, success: false,
                                  grasped: false, error: "policy server died"))
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("va"), suite: "google-robot",
                                    protocol: "variant-aggregation", policy: "p", episodes: eps)
        guard case .sim(let run) = try RunDirectory.load(root.appendingPathComponent("va")) else { return XCTFail() }
        let t = try XCTUnwrap(run.summary.tasks.first)
        XCTAssertEqual(t.n, 40)
        XCTAssertEqual(t.errors, 1)
        XCTAssertEqual(t.successes, 12)
        XCTAssertEqual(try XCTUnwrap(t.successRate), (0.9 + 0.1) / 2, accuracy: 1e-15, "mean of variant rates, not 12/40")
        XCTAssertEqual(t.variants.map(\.variant), ["base", "darker"])
        let ci = try XCTUnwrap(t.ci95)
        let want = try XCTUnwrap(Statistics.wilson(successes: 12, n: 40))
        XCTAssertEqual(ci, [want.low, want.high])
        XCTAssertEqual(run.summary.nExpected, 41)
        XCTAssertEqual(run.summary.nErrors, 1)
        // Byte layout: sorted keys, explicit nulls, the schema's field names.
        let text = String(decoding: try Data(contentsOf: root.appendingPathComponent("va/summary.json")), as: UTF8.self)
        let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        XCTAssertEqual(Set(obj.keys), ["schema_version", "kind", "suite", "protocol", "policy", "seed", "config_hash",
                                       "n_expected", "n_done", "n_errors", "tasks", "average_success_rate"])
        let task = (obj["tasks"] as! [[String: Any]])[0]
        XCTAssertEqual(Set(task.keys), ["task", "n", "successes", "success_rate", "ci95", "grasp_rate", "errors", "variants"])
        XCTAssertTrue(text.hasPrefix("{\"average_success_rate\":"), "keys sorted")
    }

    func testRunsBecomeRowsWithCountsIntervalsAndMissingCells() throws {
        let widowx = ["widowx_carrot_on_plate": 12, "widowx_put_eggplant_in_basket": 20, "widowx_spoon_on_towel": 0,
                      "widowx_stack_cube": 5]
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("wx"), suite: "widowx", policy: "ws://a",
                                    episodes: widowx.keys.sorted().flatMap { RunFixtures.episodes($0, count: 24, successes: widowx[$0]!) })
        // Google VM and VA runs of one policy share a row; drawer = mean of the open and close tasks.
        let vm = RunFixtures.episodes("google_robot_pick_coke_can", count: 10, successes: 8)
            + RunFixtures.episodes("google_robot_open_drawer", count: 10, successes: 2)
            + RunFixtures.episodes("google_robot_close_drawer", count: 10, successes: 6)
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("g-vm"), suite: "google-robot", policy: "ws://g", episodes: vm)
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("g-va"), suite: "google-robot", protocol: "variant-aggregation",
                                    policy: "ws://g", episodes: RunFixtures.episodes("google_robot_move_near", count: 10, successes: 5),
                                    hash: "cafe0002")
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("rt"), suite: "robotwin", policy: "ws://r",
                                    episodes: RunFixtures.episodes("click_bell", count: 50, successes: 25)
                                        + RunFixtures.episodes("unknown_task", count: 2, successes: 1), summary: false)
        try RunFixtures.writeReasonRun(at: root.appendingPathComponent("reason"), model: "my-vlm",
                                       scores: ["erqa": 40, "Where2Place": 55.5, "vsi-bench": 30])

        let (runs, skipped) = Scoreboard.loadRuns(under: [root])
        XCTAssertEqual(skipped, [])
        XCTAssertEqual(runs.count, 5)
        let doc = Scoreboard.build(reference: try RunFixtures.referenceSet, runs: runs)

        let t2 = try XCTUnwrap(doc.tables.first { $0.id == "table2_widowx" })
        let row = try XCTUnwrap(t2.rows.first { $0.kind == "run" })
        XCTAssertEqual(row.label, "ws://a")
        let carrot = try XCTUnwrap(row.cells["carrot_on_plate"])
        XCTAssertEqual(carrot.value, 50)
        XCTAssertEqual(carrot.n, 24)
        XCTAssertEqual(carrot.successes, 12)
        XCTAssertEqual(carrot.ci95, Statistics.wilson(successes: 12, n: 24)!.scaled(100))
        XCTAssertEqual(row.cells["spoon_on_towel"]?.value, 0, "a measured 0 is 0")
        let avg = try XCTUnwrap(row.averages["avg"])
        XCTAssertEqual(try XCTUnwrap(avg.value), (12 + 20 + 0 + 5) / 96 * 100, accuracy: 1e-9)
        XCTAssertNotNil(avg.ci95)

        let t3 = try XCTUnwrap(doc.tables.first { $0.id == "table3_google_robot" })
        let g = t3.rows.filter { $0.kind == "run" }
        XCTAssertEqual(g.count, 1, "VM and VA runs of one policy share a row")
        XCTAssertEqual(g[0].cells["vm_drawer"]?.value, 40)
        XCTAssertEqual(g[0].cells["vm_drawer"]?.n, 20)
        XCTAssertEqual(g[0].cells["va_move_near"]?.value, 50)
        XCTAssertNil(g[0].cells["vm_move_near"]?.value, "not run → missing, not 0")
        XCTAssertNil(g[0].averages["vm"]?.value)
        XCTAssertEqual(g[0].averages["vm"]?.columnsPresent, 2)

        let t4 = try XCTUnwrap(doc.tables.first { $0.id == "table4_robotwin" })
        let r = try XCTUnwrap(t4.rows.first { $0.kind == "run" })
        XCTAssertEqual(r.cells["click_bell"]?.value, 50)
        XCTAssertNil(r.cells["shake_bottle"]?.value)
        XCTAssertNil(r.averages["avg"]?.value)
        XCTAssertEqual(r.averages["avg"]?.partialMean, 50)
        let rtInfo = try XCTUnwrap(doc.runs.first { $0.label == "ws://r" })
        XCTAssertEqual(rtInfo.unplaced, ["unknown_task"])
        XCTAssertEqual(rtInfo.summaryComputed, true)

        let t1 = try XCTUnwrap(doc.tables.first { $0.id == "table1_reasoning" })
        let q = try XCTUnwrap(t1.rows.first { $0.kind == "run" })
        XCTAssertEqual(q.cells["where2place"]?.value, 55.5, "ids matched ignoring case and punctuation")
        XCTAssertEqual(q.cells["vsi_bench"]?.value, 30)
        XCTAssertNil(q.cells["eb_alfred"]?.value)
        XCTAssertNil(q.averages["avg"]?.value)
        XCTAssertEqual(try XCTUnwrap(q.averages["avg"]?.partialMean), (40 + 55.5 + 30) / 3, accuracy: 1e-9)
    }

    /// The scatter pairs a reason run and a sim run of the same name (or linked names) with the reference models.
    func testReasoningVsControlPairsRunsAndReferences() throws {
        let names = ["widowx_carrot_on_plate", "widowx_put_eggplant_in_basket", "widowx_spoon_on_towel", "widowx_stack_cube"]
        for (i, model) in ["alpha", "beta"].enumerated() {
            try RunFixtures.writeSimRun(at: root.appendingPathComponent("sim-\(model)"), suite: "widowx", policy: model,
                                        episodes: names.flatMap { RunFixtures.episodes($0, count: 10, successes: 2 + 3 * i) })
            let scores = Dictionary(uniqueKeysWithValues: ["erqa", "egoplan2", "where2place", "pointarena", "paco_lvis",
                "pixmo_points", "vsi_bench", "refspatial", "mmsi_bench", "vlabench", "eb_alfred", "eb_habitat"].map { ($0, 20.0 + 30 * Double(i)) })
            try RunFixtures.writeReasonRun(at: root.appendingPathComponent("reason-\(model)"),
                                           model: model == "beta" ? "beta-vlm" : model, scores: scores)
        }
        let (runs, _) = Scoreboard.loadRuns(under: [root])
        let doc = Scoreboard.build(reference: try RunFixtures.referenceSet, runs: runs, links: ["beta-vlm": "beta"])
        let wx = try XCTUnwrap(doc.correlations.first { $0.control == "WidowX Avg" })
        XCTAssertEqual(wx.points.count, 4, "InternVL3-2B, Vlaser-2B/Vlaser-All (2B), alpha, beta-vlm/beta")
        let xs = wx.points.map(\.reasoning), ys = wx.points.map(\.control)
        XCTAssertEqual(wx.pearson, Statistics.pearson(xs, ys))
        XCTAssertNotNil(wx.pearsonCI95)
        XCTAssertTrue(wx.points.contains { $0.label == "Vlaser-2B / Vlaser-All (2B)" && $0.reasoning == 45.3 && $0.control == 65.1 })
        XCTAssertTrue(wx.points.contains { $0.label == "beta-vlm / beta" && $0.control == 50 })
    }

    /// Truncated or foreign JSON is reported by file name and skipped; the good run still loads.
    func testBadFilesSkippedByName() throws {
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("good"), suite: "widowx", policy: "ok",
                                    episodes: RunFixtures.episodes("widowx_stack_cube", count: 4, successes: 1))
        let trunc = root.appendingPathComponent("truncated")
        try RunFixtures.writeSimRun(at: trunc, suite: "widowx", policy: "t", episodes: RunFixtures.episodes("widowx_stack_cube", count: 4, successes: 1))
        let full = try Data(contentsOf: trunc.appendingPathComponent("summary.json"))
        try full.prefix(full.count / 2).write(to: trunc.appendingPathComponent("summary.json"))
        let foreign = root.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("{\"kind\": \"something-else\", \"schema_version\": 1, \"tasks\": []}".utf8)
            .write(to: foreign.appendingPathComponent("manifest.json"))
        let future = root.appendingPathComponent("future")
        try RunFixtures.writeReasonRun(at: future, model: "m", scores: ["erqa": 1])
        var obj = try JSONSerialization.jsonObject(with: Data(contentsOf: future.appendingPathComponent("reason_results.json"))) as! [String: Any]
        obj["schema_version"] = 2
        try JSONSerialization.data(withJSONObject: obj).write(to: future.appendingPathComponent("reason_results.json"))
        let badLine = root.appendingPathComponent("badline")
        try RunFixtures.writeSimRun(at: badLine, suite: "widowx", policy: "b", episodes: RunFixtures.episodes("widowx_stack_cube", count: 2, successes: 1), summary: false)
        let handle = try FileHandle(forWritingTo: badLine.appendingPathComponent("episodes.jsonl"))
        handle.seekToEndOfFile(); handle.write(Data("{\"schema_version\": 1, \"episode_id\": \"wid".utf8)); handle.closeFile()

        let (runs, skipped) = Scoreboard.loadRuns(under: [root])
        XCTAssertEqual(runs.count, 1)
        let byPath = Dictionary(uniqueKeysWithValues: skipped.map { ($0.path, $0.reason) })
        XCTAssertEqual(Set(byPath.keys), [trunc.appendingPathComponent("summary.json").path,
                                          foreign.appendingPathComponent("manifest.json").path,
                                          future.appendingPathComponent("reason_results.json").path,
                                          badLine.appendingPathComponent("episodes.jsonl").path + ":3"])
        XCTAssertTrue(byPath[trunc.appendingPathComponent("summary.json").path]!.contains("not valid JSON"))
        XCTAssertTrue(byPath[foreign.appendingPathComponent("manifest.json").path]!.contains("'something-else'"))
        XCTAssertTrue(byPath[future.appendingPathComponent("reason_results.json").path]!.contains("schema_version 2"))
    }
}

final class SimVsRealRunTests: XCTestCase {
    /// A run named like a reference policy replaces its published sim value; per-drawer task names reach the
    /// open/close columns through the layout's `*` patterns.
    func testRunReplacesReferencePolicySimValue() throws {
        let root = try TestSupport.makeTempDir("scoreboard-svr")
        defer { try? FileManager.default.removeItem(at: root) }
        let drawers = ["top", "middle", "bottom"].flatMap { d in
            RunFixtures.episodes("google_robot_open_\(d)_drawer", count: 9, successes: 9)
                + RunFixtures.episodes("google_robot_close_\(d)_drawer", count: 9, successes: 0)
        }
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("rt1x"), suite: "google-robot", policy: "rt-1-x",
                                    episodes: drawers)
        let (runs, _) = Scoreboard.loadRuns(under: [root])
        let doc = Scoreboard.build(reference: try RunFixtures.referenceSet, runs: runs)
        let open = try XCTUnwrap(doc.simVsReal.first { $0.task == "open_drawer" })
        XCTAssertEqual(open.replacedByRuns, ["RT-1-X": root.appendingPathComponent("rt1x").standardizedFileURL.path])
        var sim = open.sim
        sim[try XCTUnwrap(open.policies.firstIndex(of: "RT-1-X"))] = 1.0
        XCTAssertEqual(open.mmrvWithRuns, SimToReal.mmrv(sim: sim, real: open.real))
        XCTAssertEqual(open.pearsonWithRuns, SimToReal.pearson(sim: sim, real: open.real))
        XCTAssertGreaterThan(try XCTUnwrap(open.mmrvWithRuns), open.mmrv, "RT-1-X at 100 % sim breaks the real ranking")
        let close = try XCTUnwrap(doc.simVsReal.first { $0.task == "close_drawer" })
        XCTAssertNotNil(close.mmrvWithRuns)
        let coke = try XCTUnwrap(doc.simVsReal.first { $0.task == "pick_coke_can" })
        XCTAssertNil(coke.mmrvWithRuns, "the run has no coke-can task")
        let t3 = try XCTUnwrap(doc.tables.first { $0.id == "table3_google_robot" })
        XCTAssertEqual(t3.rows.first { $0.kind == "run" }?.cells["vm_drawer"]?.value, 50, "mean of 6 drawer tasks")
    }

    func testWildcardMatching() {
        XCTAssertTrue(wildcardMatch("google_robot_open_*_drawer", "google_robot_open_top_drawer"))
        XCTAssertFalse(wildcardMatch("google_robot_open_*_drawer", "google_robot_open_drawer"))
        XCTAssertEqual(matching(["a", "a_*"], in: ["a_1", "a", "b"]), ["a"], "exact names win over patterns")
        XCTAssertEqual(matching(["a", "a_*"], in: ["a_1", "a_2", "b"]), ["a_1", "a_2"])
    }
}
