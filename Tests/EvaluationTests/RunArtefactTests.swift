import Foundation
import ResultsSchema
import Testing
import TestSupport

/// What a run leaves for a person to look at: videos named by outcome, the `index.html` gallery, each episode's
/// initial scene in its record — and older records without it still resume.
@Suite struct RunArtefactTests {
    @Test func galleryVideosByOutcomeAndInitialState() throws {
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--policy", "zero", "--task", "widowx_stack_cube", "--episodes", "0..1", "--protocol",
                                     "physics-only", "--record", "--name", "zero <check>", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try SimCommandTests.records(out)
        #expect(records.count == 2 && records.allSatisfy { $0["success"] as? Bool == false })
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<h1>zero &lt;check&gt;</h1>") && html.contains("0/2 successful, 0 errors"))
        for rec in records {
            let id = rec["episode_id"] as! String
            let stem = RunArtifacts.stem(episodeID: id)
            let video = "videos/widowx_stack_cube/\(stem)__failure"
            let written = ["mp4", ""].map { video + ($0.isEmpty ? "" : ".\($0)") }
                .first { FileManager.default.fileExists(atPath: out.appendingPathComponent($0).path) }
            #expect(written != nil, "no video for \(id)")
            #expect(html.contains("<div class=\"c failure\">") && html.contains("href=\"actions/widowx_stack_cube/\(stem).jsonl\""))
            #expect(html.contains(written == video + ".mp4" ? "src=\"\(video).mp4\"" : "src=\"\(video)/frame_00000.png\""), "\(id)")
            // The initial scene: both objects and the WidowX joints; the gripper starts open (0.037 m fingers).
            let initial = rec["initial_state"] as? [String: Any]
            let objects = initial?["objects"] as? [String: [Double]]
            #expect(Set(objects?.keys ?? [:].keys) == ["source", "target"] && objects?.values.allSatisfy { $0.count == 7 } == true)
            let q = initial?["robot_qpos"] as? [String: Double]
            #expect(q?.count == 8 && abs((q?["left_finger"] ?? 0) - 0.037) < 1e-6, "\(q ?? [:])")
        }
        // Different layouts (corner pairs 0 and 1 share the source corner): the objects start elsewhere.
        let layouts = records.compactMap { ($0["initial_state"] as? [String: Any])?["objects"] as? [String: [Double]] }
        #expect(layouts.count == 2 && layouts[0] != layouts[1])
    }

    /// A run whose records predate `initial_state` resumes; its old lines are kept as they are.
    @Test func recordsWithoutInitialStateResume() throws {
        let out = try TestSupport.makeTempDir()
        let args = ["sim", "--policy", "zero", "--task", "widowx_spoon_on_towel", "--protocol", "physics-only", "--out", out.path, "--quiet"]
        #expect(try TestSupport.cli(args + ["--episodes", "0..0"]).status == 0)
        let file = out.appendingPathComponent("episodes.jsonl")
        var old = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        old["initial_state"] = nil
        let line = try JSONSerialization.data(withJSONObject: old, options: [.sortedKeys])
        try (line + Data("\n".utf8)).write(to: file)
        let r = try TestSupport.cli(args + ["--episodes", "0..1", "--resume"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try SimCommandTests.records(out)
        #expect(records.count == 2 && records[0]["initial_state"] == nil && records[1]["initial_state"] != nil)
    }
}
