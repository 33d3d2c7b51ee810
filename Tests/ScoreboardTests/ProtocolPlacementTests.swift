import Foundation
@testable import Scoreboard
import Testing
import TestSupport

/// Runs land only where they are comparable: vlaser-eval's Google task names fill Table 3 like SimplerEnv's, a
/// physics-only run (no photos, not a SimplerEnv protocol) fills no paper column, and a task without a grasp metric
/// has a null grasp rate, never 0.
@Suite struct ProtocolPlacementTests {
    @Test func googleTaskNamesFillTable3AndPhysicsOnlyFillsNothing() throws {
        let root = try TestSupport.makeTempDir()
        let vm = RunFixtures.episodes("google_pick_coke_can_horizontal", count: 4, successes: 3)
            + RunFixtures.episodes("google_pick_coke_can_standing", count: 4, successes: 1)
            + RunFixtures.episodes("google_move_near", count: 5, successes: 2, tracksGrasp: false)
            + RunFixtures.episodes("google_open_top_drawer", count: 2, successes: 2, tracksGrasp: false)
            + RunFixtures.episodes("google_close_middle_drawer", count: 2, successes: 0, tracksGrasp: false)
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("g-vm"), suite: "google-robot", policy: "ws://g", episodes: vm)
        try RunFixtures.writeSimRun(at: root.appendingPathComponent("wx-physics"), suite: "widowx", protocol: "physics-only",
                                    policy: "scripted", episodes: RunFixtures.episodes("widowx_carrot_on_plate", count: 24, successes: 20),
                                    hash: "cafe0002")
        let (runs, skipped) = Scoreboard.loadRuns(under: [root])
        #expect(skipped.isEmpty && runs.count == 2)
        let doc = Scoreboard.build(reference: try RunFixtures.referenceSet, runs: runs)

        let t3 = try #require(doc.tables.first { $0.id == "table3_google_robot" })
        let row = try #require(t3.rows.first { $0.kind == "run" })
        #expect(row.cells["vm_pick_coke_can"]?.value == 50 && row.cells["vm_pick_coke_can"]?.n == 8)  // mean of 75 % and 25 %
        #expect(row.cells["vm_move_near"]?.value == 40 && row.cells["vm_move_near"]?.n == 5)
        #expect(row.cells["vm_drawer"]?.value == 50 && row.cells["vm_drawer"]?.n == 4)
        #expect(row.cells["va_move_near"]?.value == nil)

        let t2 = try #require(doc.tables.first { $0.id == "table2_widowx" })
        #expect(!t2.rows.contains { $0.kind == "run" })
        let physics = try #require(doc.runs.first { $0.directory.hasSuffix("wx-physics") })
        #expect(physics.unplaced == ["widowx_carrot_on_plate"])

        let sims = runs.compactMap { if case .sim(let r) = $0 { return r } else { return nil } }
        let summary = try #require(sims.first { $0.manifest.suite == "google-robot" }?.summary)
        let byTask = Dictionary(uniqueKeysWithValues: summary.tasks.map { ($0.task, $0) })
        #expect(byTask["google_move_near"]?.graspRate == nil && byTask["google_open_top_drawer"]?.graspRate == nil)
        #expect(byTask["google_pick_coke_can_horizontal"]?.graspRate == 0.75)
        #expect(TerminalRenderer.render(doc).contains("n=5"))
    }
}
