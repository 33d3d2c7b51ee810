import Foundation
import Testing
import TestSupport

/// `sim` with and without SimplerEnv's collision meshes, through the built executable: the manifest says which shapes
/// the run used, results stay deterministic and resumable, and a resume cannot mix the two. Replaying a
/// SimplerEnv-recorded action sequence goes through clients/python/simpler_actions_to_replay.py.
@Suite struct CollisionMeshRunTests {
    static let meshes = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")
    static let withMeshes = ["VLASER_ASSETS_DIR": meshes.path]
    static let without = ["VLASER_ASSETS_DIR": "/nonexistent/vlaser-assets", "VLASER_CACHE_DIR": "/nonexistent/vlaser-cache"]

    static func env(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(extra) { _, b in b }
    }
    static func manifest(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as! [String: Any]
    }

    @Test func expertWithMeshesIsDeterministicAndSaysSo() throws {
        let a = try TestSupport.makeTempDir(), b = try TestSupport.makeTempDir()
        let args = ["sim", "--suite", "widowx", "--policy", "scripted", "--task", "widowx_spoon_on_towel", "--episodes", "3,16"]
        let r = try TestSupport.cli(args + ["--out", a.path], environment: Self.env(Self.withMeshes))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.manifest(a)["collision"] as? String == "simpler-meshes")
        let recs = try SimCommandTests.records(a)
        #expect(recs.count == 2)
        for rec in recs { #expect(rec["success"] as? Bool == true, "\(rec["episode_id"]!) failed: \(rec["stats"]!)") }
        #expect(try TestSupport.cli(args + ["--out", b.path, "--workers", "2"], environment: Self.env(Self.withMeshes)).status == 0)
        #expect(try SimCommandTests.withoutTiming(a) == SimCommandTests.withoutTiming(b))
    }

    @Test func withoutAssetsThePrimitivesAreUsedAndAResumeCannotMixThem() throws {
        let out = try TestSupport.makeTempDir()
        let args = ["sim", "--policy", "zero", "--task", "widowx_carrot_on_plate", "--episodes", "0", "--out", out.path]
        let r = try TestSupport.cli(args, environment: Self.env(Self.without))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.manifest(out)["collision"] as? String == "primitives")
        let mixed = try TestSupport.cli(args + ["--resume"], environment: Self.env(Self.withMeshes))
        #expect(mixed.status == 2, "resuming a primitives run with meshes must be refused: \(mixed.stderr)")
        #expect(try TestSupport.cli(args + ["--resume"], environment: Self.env(Self.without)).status == 0)
    }

    /// Raw Bridge policy outputs (world vector, roll/pitch/yaw, open_gripper) become SimplerEnv's env actions exactly as
    /// transforms3d's `euler2axangle` and the Bridge wrappers' binarisation make them, and replay as recorded (roll,
    /// pitch and yaw up to 0.6 rad, beyond what a Bridge policy emits; the action space rejects rotations over π).
    @Test func simplerRecordedActionsReplay() throws {
        let dir = try TestSupport.makeTempDir()
        let raw = dir.appendingPathComponent("raw.npy"), converted = dir.appendingPathComponent("actions.jsonl")
        let script = TestSupport.repoRoot.appendingPathComponent("clients/python/simpler_actions_to_replay.py").path
        let check = try TestSupport.python("""
            import json, subprocess, sys, numpy as np
            from transforms3d.euler import euler2axangle
            rng = np.random.default_rng(14)
            raw = np.concatenate([rng.uniform(-0.02, 0.02, (40, 3)), rng.uniform(-0.6, 0.6, (40, 3)), rng.uniform(0, 1, (40, 1))], 1)
            np.save(sys.argv[2], raw)
            subprocess.run([sys.executable, sys.argv[1], '--raw-bridge', '--input', sys.argv[2], '--output', sys.argv[3]], check=True)
            worst = 0.0
            for a, line in zip(raw, open(sys.argv[3])):
                rec = json.loads(line); ax, ang = euler2axangle(*a[3:6])
                want = list(a[:3]) + list(np.array(ax) * ang) + [1.0 if a[6] > 0.5 else -1.0]
                worst = max(worst, max(abs(x - y) for x, y in zip(rec['action'], want)))
            print(worst)
            bad = subprocess.run([sys.executable, sys.argv[1], '--input', sys.argv[2] + '.missing', '--output', sys.argv[3] + '.x'])
            print(bad.returncode)
            """, args: [script, raw.path, converted.path])
        let lines = check.split(separator: "\n")
        #expect(Double(lines[0])! < 1e-12, "converted rotation differs from transforms3d by \(lines[0])")
        #expect(lines[1] == "2")
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--policy", "replay:\(converted.path)", "--task", "widowx_stack_cube",
                                     "--episodes", "0", "--out", out.path], environment: Self.env(Self.without))
        #expect(r.status == 0, "\(r.stderr)")
        let replayed = try String(contentsOf: out.appendingPathComponent("actions/widowx_stack_cube/widowx__widowx_stack_cube__base__0__0.jsonl"), encoding: .utf8)
        let given = try String(contentsOf: converted, encoding: .utf8)
        func numbers(_ s: String) throws -> [[Double]] {
            try s.split(separator: "\n").map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["action"] as! [Double] }
        }
        #expect(Array(try numbers(replayed).prefix(40)) == (try numbers(given)))
    }
}
