import Foundation
import ImageIO
import ResultsSchema
@testable import Evaluation
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

    /// The caption's dots land where the 5×7 glyph says, over a band darkened to `shade`; the rest is untouched.
    @Test func captionGlyphsAndBand() {
        var image = RGBImage(width: 40, height: 20, fill: (100, 100, 100))
        FrameCaption.draw(["I1"], on: &image, scale: 1)
        func white(_ x: Int, _ y: Int) -> Bool { image[x, y] == (255, 255, 255) }
        // "I" at (2, 2): rows 0x0E, 0x04, …; "1" one advance (6 px) to the right: rows 0x04, 0x0C, …
        #expect((0..<5).map { white(2 + $0, 2) } == [false, true, true, true, false])
        #expect((0..<5).map { white(2 + $0, 3) } == [false, false, true, false, false])
        #expect((0..<5).map { white(8 + $0, 3) } == [false, true, true, false, false])
        #expect(image[30, 5] == (35, 35, 35) && image[30, 11] == (35, 35, 35))  // the band: one line + margins
        #expect(image[30, 12] == (100, 100, 100) && image[0, 19] == (100, 100, 100))
    }

    /// `--info-on-video` draws into the video only; the policy's frames (`--save-frames`) stay as the policy saw them.
    @Test func infoOnVideoDrawsIntoTheVideoOnly() throws {
        let out = try TestSupport.makeTempDir()
        let base = ["sim", "--policy", "zero", "--task", "widowx_carrot_on_plate", "--episodes", "0", "--protocol", "physics-only",
                    "--out", out.path, "--quiet"]
        let bad = try TestSupport.cli(base + ["--info-on-video"])
        #expect(bad.status == 2 && bad.stderr == "error: --info-on-video draws into the video: add --record\n", "\(bad.stderr)")
        let r = try TestSupport.cli(base + ["--record", "--save-frames", "--info-on-video"])
        #expect(r.status == 0, "\(r.stderr)")
        let stem = "widowx__widowx_carrot_on_plate__base__0__0"
        let video = out.appendingPathComponent("videos/widowx_carrot_on_plate/\(stem)__failure.mp4")
        let first = out.appendingPathComponent("video0.png")
        let ffmpeg = try TestSupport.run("/usr/bin/ffmpeg", ["-v", "error", "-i", video.path, "-frames:v", "1", first.path])
        #expect(ffmpeg.status == 0, "\(ffmpeg.stderr)")
        let shown = try readPNG(first).rgb
        let seen = try readPNG(out.appendingPathComponent("frames/widowx_carrot_on_plate/\(stem)/step_0000.png")).rgb
        func meanDifference(_ rows: Range<Int>) -> Double {
            var sum = 0
            for y in rows { for x in 0..<seen.width { sum += abs(Int(shown[x, y].0) - Int(seen[x, y].0)) } }
            return Double(sum) / Double(rows.count * seen.width)
        }
        let band = 2 * (2 * (FrameCaption.glyphHeight + 3)) + 4  // two lines at scale 2 (640 px wide)
        #expect(meanDifference(0..<band) > 25, "the caption band")
        #expect(meanDifference(band + 8..<seen.height) < 6, "below the band only the video codec's loss")
    }
}
