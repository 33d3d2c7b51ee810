import Foundation
import ResultsSchema
import Testing
import TestSupport

/// The `sim` command end to end, through the built executable (each run is its own process, as users run it).
@Suite struct SimCommandTests {
    static func records(_ dir: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: dir.appendingPathComponent("episodes.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
    /// episodes.jsonl without the timing field, for determinism comparisons.
    static func withoutTiming(_ dir: URL) throws -> String {
        TestSupport.withoutTiming(try String(contentsOf: dir.appendingPathComponent("episodes.jsonl"), encoding: .utf8))
    }

    @Test func scriptedExpertSucceedsAndGrasps() throws {
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--suite", "widowx", "--policy", "scripted", "--episodes", "5,13",
                                     "--out", out.path, "--workers", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let recs = try Self.records(out)
        #expect(recs.count == 8)
        for rec in recs {
            #expect(rec["success"] as? Bool == true, "\(rec["episode_id"]!) failed: \(rec["stats"]!)")
            #expect(rec["grasped"] as? Bool == true)
            #expect(rec["status"] as? String == "ok")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect(summary["average_success_rate"] as? Double == 1.0)
        #expect(r.stdout.contains("widowx_stack_cube"))
        // Every episode's executed actions are on disk, and replaying them reproduces the outcome.
        let replayOut = try TestSupport.makeTempDir()
        let rr = try TestSupport.cli(["sim", "--policy", "replay:\(out.path)", "--task", "widowx_carrot_on_plate",
                                      "--episodes", "5,13", "--out", replayOut.path])
        #expect(rr.status == 0, "\(rr.stderr)")
        let original = try Self.records(out).filter { ($0["task"] as? String) == "widowx_carrot_on_plate" }
        let replayed = try Self.records(replayOut)
        for (a, b) in zip(original, replayed) {
            #expect(a["success"] as? Bool == b["success"] as? Bool)
            #expect((a["stats"] as? [String: Bool]) == (b["stats"] as? [String: Bool]))
        }
    }

    @Test func zeroPolicyNeverSucceeds() throws {
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--policy", "zero", "--episodes", "0..1", "--out", out.path, "--workers", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let recs = try Self.records(out)
        #expect(recs.count == 8)
        #expect(recs.allSatisfy { $0["success"] as? Bool == false && $0["grasped"] as? Bool == false })
    }

    @Test func sameCommandSameBytes() throws {
        let a = try TestSupport.makeTempDir(), b = try TestSupport.makeTempDir()
        let args = ["sim", "--policy", "random", "--seed", "7", "--task", "widowx_stack_cube", "--task", "widowx_spoon_on_towel",
                    "--episodes", "2..3"]
        #expect(try TestSupport.cli(args + ["--out", a.path]).status == 0)
        #expect(try TestSupport.cli(args + ["--out", b.path, "--workers", "2"]).status == 0)
        #expect(try Self.withoutTiming(a) == Self.withoutTiming(b))
        let sa = try Data(contentsOf: a.appendingPathComponent("summary.json"))
        let sb = try Data(contentsOf: b.appendingPathComponent("summary.json"))
        #expect(sa == sb)
        // A different seed changes the random policy's actions.
        let c = try TestSupport.makeTempDir()
        #expect(try TestSupport.cli(["sim", "--policy", "random", "--seed", "8", "--task", "widowx_stack_cube",
                                     "--episodes", "2..3", "--out", c.path]).status == 0)
        let seeds = try Self.records(c).map { $0["seed"] as! NSNumber }
        #expect(try Self.records(a).prefix(2).map { $0["seed"] as! NSNumber } != seeds)
    }

    /// Kill a run after its first episode, resume it, and get the same results as an uninterrupted run.
    @Test func resumeAfterInterruption() throws {
        let whole = try TestSupport.makeTempDir(), cut = try TestSupport.makeTempDir()
        let args = ["sim", "--policy", "scripted", "--task", "widowx_carrot_on_plate", "--episodes", "0..3"]
        #expect(try TestSupport.cli(args + ["--out", whole.path]).status == 0)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.cliExecutable)
        p.arguments = args + ["--out", cut.path]
        p.currentDirectoryURL = TestSupport.repoRoot
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run()
        let file = cut.appendingPathComponent("episodes.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").isEmpty {
            usleep(20_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let partial = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(partial.count >= 1 && partial.count < 4)
        // Simulate a torn write as well: a half line at the end must be dropped, not fatal.
        let h = try FileHandle(forWritingTo: file); try h.seekToEnd(); try h.write(contentsOf: Data("{\"episode_id\":\"wid".utf8)); try h.close()

        let again = try TestSupport.cli(args + ["--out", cut.path])
        #expect(again.status == 2 && again.stderr.contains("--resume"))
        let resumed = try TestSupport.cli(args + ["--out", cut.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.withoutTiming(whole) == Self.withoutTiming(cut))
        // Episodes finished before the kill were not run again.
        let before = partial.first.map(String.init)!
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix(before))
    }

    @Test func badInputGivesOneClearLineAndExit2() throws {
        let out = try TestSupport.makeTempDir()
        func fails(_ args: [String], mentioning: [String], env: [String: String]? = nil) throws {
            let r = try TestSupport.cli(["sim", "--out", out.appendingPathComponent(UUID().uuidString).path] + args, environment: env)
            #expect(r.status == 2, "\(args): status \(r.status), stderr \(r.stderr)")
            for m in mentioning { #expect(r.stderr.contains(m), "\(args): stderr lacks '\(m)': \(r.stderr)") }
        }
        try fails(["--task", "widowx_fold_laundry"], mentioning: ["unknown task 'widowx_fold_laundry'", "widowx_carrot_on_plate"])
        try fails(["--suite", "franka"], mentioning: ["unknown suite 'franka'"])
        try fails(["--policy", "telepathy"], mentioning: ["unknown policy 'telepathy'"])
        try fails(["--episodes", "3..1"], mentioning: ["--episodes"])
        try fails(["--episodes", "0..30", "--task", "widowx_stack_cube"], mentioning: ["outside", "0..23"])
        try fails(["--policy", "replay:/nonexistent/run"], mentioning: ["/nonexistent/run"])

        // Malformed data files, in a copy of the scenes directory.
        let scenes = try TestSupport.makeTempDir().appendingPathComponent("scenes")
        try FileManager.default.copyItem(at: TestSupport.repoRoot.appendingPathComponent("scenes"), to: scenes)
        let task = scenes.appendingPathComponent("tasks/widowx_carrot_on_plate.json")
        let good = try String(contentsOf: task, encoding: .utf8)
        try good.replacingOccurrences(of: "\"max_steps\": 60", with: "\"max_steps\": \"sixty\"").write(to: task, atomically: true, encoding: .utf8)
        try fails(["--scenes", scenes.path, "--task", "widowx_carrot_on_plate"], mentioning: ["widowx_carrot_on_plate.json", "max_steps"])
        try good.write(to: task, atomically: true, encoding: .utf8)
        let urdf = scenes.appendingPathComponent("robots/widowx_250s.urdf")
        let u = try String(contentsOf: urdf, encoding: .utf8)
        try u.replacingOccurrences(of: "type=\"prismatic\"", with: "type=\"telescopic\"").write(to: urdf, atomically: true, encoding: .utf8)
        try fails(["--scenes", scenes.path, "--task", "widowx_carrot_on_plate"], mentioning: ["widowx_250s.urdf", "telescopic"])
    }
}
