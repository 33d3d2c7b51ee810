import Foundation
import Testing
import TestSupport

/// The summary a user reads: the protocol and whether it was the suite's default, and "–" (never 0.0 %) for a metric
/// the task does not define — move near has no grasp metric, pick coke can has one.
@Suite struct SummaryOutputTests {
    @Test func undefinedGraspIsADashAndTheProtocolIsNamed() throws {
        let out = try TestSupport.makeTempDir().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", "google-robot", "--task", "google_move_near", "--task", "google_pick_coke_can_vertical",
                                     "--episodes", "0", "--policy", "zero", "--protocol", "physics-only", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "protocol: physics-only")
        let moveNear = try #require(lines.first { $0.hasPrefix("google_move_near ") })
        let coke = try #require(lines.first { $0.hasPrefix("google_pick_coke_can_vertical ") })
        #expect(moveNear.hasSuffix("–") && coke.hasSuffix("0.0%"), "\(moveNear)\n\(coke)")
        let record = try String(contentsOf: out.appendingPathComponent("episodes.jsonl"), encoding: .utf8)
            .split(separator: "\n").first { $0.contains("google_move_near") }
        #expect(record?.contains(#""grasped":null"#) == true)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
        #expect(summary.contains(#""grasp_rate":null"#))

        let wx = try TestSupport.cli(["sim", "--task", "widowx_stack_cube", "--episodes", "0", "--policy", "zero",
                                      "--out", try TestSupport.makeTempDir().path])
        #expect(wx.status == 0 && wx.stdout.hasPrefix("protocol: visual-matching (SimplerEnv's protocol for widowx, the default"), "\(wx.stdout)")
    }
}
