import Foundation
import Testing
@testable import Evaluation
import Sim
import TestSupport

/// Google Robot suite: episode counts per protocol (simplerenv-tasks.md §4.1, §4.2) and scripted runs through the CLI.
@Suite struct GoogleRobotSuiteTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    static func counts(_ protocolName: String) throws -> [String: Int] {
        var o = SimRunOptions(suite: "google-robot", out: try TestSupport.makeTempDir())
        o.protocolName = protocolName
        o.scenesRoot = root
        let run = try SimRun(o)
        var c: [String: Int] = [:]
        for id in run.manifest.allEpisodeIds {
            let task = id.split(separator: "/")[1]
            let family = task.contains("coke") ? "coke" : task.contains("move_near") ? "move_near"
                : task.contains("apple") ? "apple" : "drawer"
            c[family, default: 0] += 1
        }
        return c
    }

    @Test func visualMatchingCounts() throws {
        #expect(try Self.counts("visual-matching") == ["coke": 300, "move_near": 240, "drawer": 216, "apple": 108])
    }

    /// VA: 9 / 8 / 7 / 7 variants × 75 / 60 / 54 / 27 episodes.
    @Test func variantAggregationCounts() throws {
        #expect(try Self.counts("variant-aggregation") == ["coke": 675, "move_near": 480, "drawer": 378, "apple": 189])
    }

    /// The scripted expert lifts the can (lying and standing), moves an object near another, opens and closes drawers,
    /// all through the real planner controller (a few episodes; full-suite rates are in docs/google-robot.md).
    @Test func scriptedExpertSucceeds() throws {
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--suite", "google-robot", "--policy", "scripted", "--episodes", "7",
                                     "--task", "google_pick_coke_can_vertical", "--task", "google_pick_coke_can_standing",
                                     "--task", "google_close_bottom_drawer", "--task", "google_open_middle_drawer",
                                     "--task", "google_move_near", "--protocol", "physics-only", "--out", out.path, "--workers", "2",
                                     "--scenes", Self.root.path])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: out.appendingPathComponent("episodes.jsonl"), encoding: .utf8)
        let recs = try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(recs.count == 5)
        for rec in recs { #expect(rec["success"] as? Bool == true, "\(rec["episode_id"]!): \(rec["stats"]!) \(rec["error"] ?? "")") }
    }
}
