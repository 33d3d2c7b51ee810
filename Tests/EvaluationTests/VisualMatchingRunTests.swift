import Foundation
import ImageIO
import Testing
import TestSupport

/// `sim --protocol visual-matching --record --save-frames` end to end: videos and frames named by task and
/// episode, the real photo behind the scene, and the same episode results as the physics-only run.
@Suite struct VisualMatchingRunTests {
    @Test func recordedVisualMatchingRunEqualsPhysicsOnly() throws {
        let photo = TestSupport.sharedAssets.appendingPathComponent("simpler-overlays/bridge_real_eval_1.png")
        #expect(FileManager.default.fileExists(atPath: photo.path), "the overlay photos are expected in ../shared/assets")
        let vm = try TestSupport.makeTempDir(), plain = try TestSupport.makeTempDir()
        let args = ["sim", "--task", "widowx_stack_cube", "--episodes", "3", "--policy", "scripted"]
        let a = try TestSupport.cli(args + ["--protocol", "visual-matching", "--overlay", photo.path, "--record", "--save-frames",
                                            "--out", vm.path])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(try TestSupport.cli(args + ["--out", plain.path]).status == 0)
        #expect(try SimCommandTests.withoutTiming(vm) == SimCommandTests.withoutTiming(plain))
        // The manifest names the photo by content (checked against Python's hashlib).
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: vm.appendingPathComponent("manifest.json"))) as! [String: Any]
        let digest = try TestSupport.python("import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", args: [photo.path])
        let assets = manifest["input_files"] as? [[String: Any]]
        #expect(assets?.count == 1 && assets?.first?["name"] as? String == "bridge_real_eval_1.png"
                && assets?.first?["sha256"] as? String == digest.trimmingCharacters(in: .whitespacesAndNewlines), "\(assets ?? [])")

        let stem = "widowx__widowx_stack_cube__base__3__0"
        // The video's name carries the episode's outcome (SimplerEnv's and ManiSkill's convention).
        let success = try SimCommandTests.records(vm).first?["success"] as? Bool
        let video = vm.appendingPathComponent("videos/widowx_stack_cube/\(stem)__\(success == true ? "success" : "failure").mp4")
        #expect(FileManager.default.fileExists(atPath: video.path))
        #expect(!FileManager.default.fileExists(atPath: vm.appendingPathComponent("videos/widowx_stack_cube/\(stem).mp4").path))
        let probe = try TestSupport.run("/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                                            "stream=nb_read_frames,width,height", "-of", "csv=p=0", video.path])
        #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "640,480,61")  // reset + 60 steps
        let first = try readPNG(vm.appendingPathComponent("frames/widowx_stack_cube/\(stem)/step_0000.png")).rgb
        #expect(first.width == 640 && first.height == 480)
        // Bottom-right corner: table in the photo, which the overlay shows unchanged (bilinear at the same size).
        let real = try readPNG(photo).rgb
        #expect(first[630, 470] == real[630, 470])
    }

    @Test func missingOverlayNamesTheFetchScript() throws {
        let home = try TestSupport.makeTempDir().appendingPathComponent("a/b")  // no ../shared next to the cwd
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let run = { (extra: [String], out: String) in
            try TestSupport.run(TestSupport.cliExecutable, ["sim", "--protocol", "visual-matching", "--task", "widowx_stack_cube",
                                                           "--scenes", TestSupport.repoRoot.appendingPathComponent("scenes").path,
                                                           "--out", home.appendingPathComponent(out).path] + extra,
                                cwd: home, environment: ["HOME": home.path, "VLASER_OVERLAY_DIR": "", "VLASER_CACHE_DIR": ""])
        }
        // Frames are rendered (--save-frames; likewise a camera policy): the photo is needed and its absence is bad input.
        let r = try run(["--save-frames"], "run")
        #expect(r.status == 2)
        #expect(r.stderr.contains("bridge_real_eval_1.png") && r.stderr.contains("scripts/fetch-overlays.sh"), "\(r.stderr)")
        // The scripted expert sees no camera: the quick start's visual-matching run works on a machine without photos.
        let expert = try run(["--episodes", "0"], "expert")
        #expect(expert.status == 0, "\(expert.stderr)")
    }
}
