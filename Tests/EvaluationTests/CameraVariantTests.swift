import Foundation
import Testing
@testable import Evaluation
import Render
import Sim
import TestSupport
import VLMath

/// The camera-pose variants of variant aggregation (simplerenv-tasks.md §3.1, §4.2): robustness-only data that a
/// default run leaves out, `--variant` runs, the summary marks, and whose head tilt reaches the camera.
@Suite struct CameraVariantTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")
    static let cameraVariants = ["alt_google_camera", "alt_google_camera_2"]

    static func run(variants: [String], tasks: [String] = []) throws -> SimRun {
        var o = SimRunOptions(suite: "google-robot", out: try TestSupport.makeTempDir())
        o.protocolName = "variant-aggregation"
        o.scenesRoot = root
        o.variants = variants
        o.tasks = tasks
        return try SimRun(o)
    }

    static func perTask(_ run: SimRun) -> [String: Int] {
        var c: [String: Int] = [:]
        for id in run.manifest.allEpisodeIds { c[String(id.split(separator: "/")[1]), default: 0] += 1 }
        return c
    }

    @Test func defaultRunLeavesCameraVariantsOut() throws {
        let run = try Self.run(variants: [])
        #expect(!run.manifest.allEpisodeIds.contains { id in Self.cameraVariants.contains { id.contains("/\($0)/") } })
        #expect(run.manifest.variantSelection == nil && run.manifest.robustnessVariants == nil)
        // Per task: coke can 9 variants × 25 per orientation, move near 8 × 60, each drawer 7 × 9, apple 7 × 27 (§4.2).
        let counts = Self.perTask(run)
        #expect(counts["google_pick_coke_can_vertical"] == 225)
        #expect(counts["google_move_near"] == 480)
        #expect(counts["google_open_middle_drawer"] == 63)
        #expect(counts["google_place_apple_in_closed_top_drawer"] == 189)
    }

    /// Naming a camera variant runs it alone, for the task families that have it (coke can, move near).
    @Test func namedVariantRunsOnlyItsTasks() throws {
        let run = try Self.run(variants: ["alt_google_camera"])
        #expect(Self.perTask(run) == ["google_pick_coke_can_horizontal": 25, "google_pick_coke_can_vertical": 25,
                                      "google_pick_coke_can_standing": 25, "google_move_near": 60])
        #expect(run.manifest.tasks.count == 4)
        #expect(run.manifest.variantSelection == ["alt_google_camera"])
        #expect(run.manifest.robustnessVariants == ["alt_google_camera"])
        let mixed = try Self.run(variants: ["base", "alt_google_camera"], tasks: ["google_move_near"])
        #expect(Self.perTask(mixed) == ["google_move_near": 120])
        // A task named with --task must have one of the named variants.
        #expect(throws: EvaluationError.self) { try Self.run(variants: ["alt_google_camera"], tasks: ["google_open_top_drawer"]) }
        #expect(mixed.manifest.robustnessVariants == ["alt_google_camera"])
        #expect(mixed.manifest.configHash != run.manifest.configHash)
    }

    /// The variant's head tilt is where the episode starts, the controller holds it, and the head camera's optical
    /// axis turns by the tilt difference (+0.15 / −0.12 rad) and points sin(tilt) downwards (45° at the default).
    @Test func headTiltReachesTheCamera() throws {
        let set = try #require(try VariantSet.load(suite: "google-robot", protocolName: "variant-aggregation", root: Self.root))
        let task = "google_pick_coke_can_horizontal"
        let assets = try TaskAssets(task: task, root: Self.root)
        let variants = set.variants(for: task)
        let base = try #require(variants.first { $0.name == "base" })
        for name in Self.cameraVariants {
            let alt = try #require(variants.first { $0.name == name })
            #expect(!alt.entersAverage)
            let tilt = try #require(alt.robotQpos?["joint_head_tilt"])
            let defaultTilt = try #require(assets.setup.initialQpos["joint_head_tilt"])
            let (axis0, axis1, held) = try TestSupport.withODE { () throws -> (Vec3, Vec3, Double) in
                let a = try Episode(assets: assets, index: 3, variant: base)
                let b = try Episode(assets: assets, index: 3, variant: alt)
                let forward = { (e: Episode) throws -> Vec3 in try e.camera("overhead_camera").pose.q.act(Vec3(0, 0, 1)) }
                let before = try forward(b)
                for _ in 0..<3 { try b.apply([0, 0, 0, 0, 0, 0, 0]) }
                let after = try forward(b)
                #expect(acos(min(1, before.dot(after))) < 2e-3, "\(name): the camera drifted while holding")
                return (try forward(a), before, b.jointPositions["joint_head_tilt"]!)
            }
            #expect(abs(acos(min(1, axis0.dot(axis1))) - abs(tilt - defaultTilt)) < 1e-6, "\(name)")
            #expect(abs(axis0.z + sin(defaultTilt)) < 1e-3 && abs(axis1.z + sin(tilt)) < 1e-3, "\(name): \(axis0) \(axis1)")
            #expect(abs(held - tilt) < 2e-3, "\(name): head tilt \(held) after three control steps, expected \(tilt)")
        }
    }

    @Test func unknownVariantExitsWithTheKnownNames() throws {
        let r = try TestSupport.cli(["sim", "--suite", "google-robot", "--protocol", "variant-aggregation", "--policy", "zero",
                                     "--variant", "alt_camera", "--out", try TestSupport.makeTempDir().path])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        for name in ["'alt_camera'", "alt_google_camera_2", "drawer_base", "no_distractor"] {
            #expect(r.stderr.contains(name), "\(r.stderr)")
        }
    }

    /// A `robot_qpos` naming no joint of the robot stops `sim` before any episode, naming the variant and the field.
    @Test func badRobotQposStopsTheRunUpFront() throws {
        let (scenes, _, _) = try TestSupport.editedScenes("variants/google-robot_variant-aggregation.json",
            replacing: "\"joint_head_tilt\": 0.9351361", with: "\"joint_head_tlt\": 0.9351361")
        let out = scenes.deletingLastPathComponent().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", "google-robot", "--protocol", "variant-aggregation", "--policy", "zero",
                                     "--variant", "alt_google_camera", "--task", "google_move_near", "--episodes", "0",
                                     "--scenes", scenes.path, "--out", out.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("alt_google_camera") && r.stderr.contains("robot_qpos.joint_head_tlt"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("episodes.jsonl").path))
    }

    /// A camera-variant run through the CLI: manifest and summary mark it; resuming with another selection is
    /// refused, with the same selection (in any order) accepted.
    @Test func cliRunMarksAndResumeChecksTheSelection() throws {
        let out = try TestSupport.makeTempDir()
        let args = ["sim", "--suite", "google-robot", "--protocol", "variant-aggregation", "--policy", "zero",
                    "--task", "google_pick_coke_can_standing", "--episodes", "0", "--out", out.path]
        let r = try TestSupport.cli(args + ["--variant", "alt_google_camera_2", "--variant", "base"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("alt_google_camera_2 (not in average)"), "\(r.stdout)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        let task = try #require((summary["tasks"] as? [[String: Any]])?.first)
        let marks = (task["variants"] as? [[String: Any]] ?? []).map { ($0["variant"] as! String, $0["in_average"] as? Bool) }
        #expect(marks.map(\.0) == ["base", "alt_google_camera_2"] && marks.map(\.1) == [nil, false])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as! [String: Any]
        #expect(manifest["variant_selection"] as? [String] == ["alt_google_camera_2", "base"])
        #expect(manifest["robustness_variants"] as? [String] == ["alt_google_camera_2"])

        let changed = try TestSupport.cli(args + ["--resume", "--variant", "alt_google_camera", "--variant", "base"])
        #expect(changed.status == 2 && changed.stderr.contains("--variant 'alt_google_camera_2,base', this command 'alt_google_camera,base'"),
                "\(changed.stderr)")
        let same = try TestSupport.cli(args + ["--resume", "--variant", "base", "--variant", "alt_google_camera_2"])
        #expect(same.status == 0, "\(same.stderr)")
    }
}
