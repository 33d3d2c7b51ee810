import Evaluation
import Foundation
import Sim
import Testing
import TestSupport

/// The conventions users bring from SimplerEnv, lmms-eval and other CLIs, through the built executable: `list`,
/// `--config FILE`, comma lists, SimplerEnv env names as tasks, `--name` and `--limit`.
@Suite struct CLIConventionTests {
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    static func manifest(_ dir: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as! [String: Any]
    }

    /// `list tasks` names every task with its grid size, and its per-suite total is the episode count a default run
    /// plans (read back from a one-episode shard's `all_episode_ids`).
    @Test func listTasksMatchesWhatARunPlans() throws {
        let r = try TestSupport.cli(["list", "tasks"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in try TaskAssets.taskNames(root: Self.scenes) {
            let count = try TaskAssets(task: name, root: Self.scenes).episodeCount
            let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("  \(name) ") }
            #expect(line?.split(separator: " ").dropFirst().first == Substring("\(count)"), "\(name): \(line ?? "absent")")
        }
        #expect(r.stdout.contains("google_robot_pick_horizontal_coke_can") && r.stdout.contains("google_robot_open_drawer"))
        for suite in ["widowx", "google-robot"] {
            let header = r.stdout.split(separator: "\n").first { $0.hasPrefix("\(suite): ") }
            let listed = header.flatMap { $0.split(separator: ",").dropFirst().first?.split(separator: " ").first }.flatMap { Int($0) }
            let out = try TestSupport.makeTempDir()
            let run = try TestSupport.cli(["sim", "--suite", suite, "--policy", "zero", "--shard", "0/5000", "--out", out.path, "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            let planned = (try Self.manifest(out)["all_episode_ids"] as? [String])?.count
            #expect(listed != nil && listed == planned, "\(suite): list says \(listed.map(String.init) ?? "?"), a run plans \(planned ?? -1)")
        }
    }

    @Test func listVariantsPresetsAndBadKind() throws {
        let v = try TestSupport.cli(["list", "variants"])
        #expect(v.status == 0 && v.stdout.contains("google-robot · variant-aggregation") && v.stdout.contains("no (robustness)"), "\(v.stderr)")
        let p = try TestSupport.cli(["list", "presets"])
        let presets = try FileManager.default.contentsOfDirectory(atPath: Self.scenes.appendingPathComponent("policy-presets").path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        #expect(p.status == 0 && !presets.isEmpty)
        for name in presets { #expect(p.stdout.contains("  \(name) "), "\(name)") }
        #expect(p.stdout.contains("widowx http://"))  // openvla-bridge is the suite's default for http://
        let bad = try TestSupport.cli(["list", "robots"])
        #expect(bad.status == 2 && bad.stderr == "error: list: unknown kind 'robots' (known: tasks, variants, presets, benchmarks)\n", "\(bad.stderr)")
    }

    /// SimplerEnv env names and comma lists name the same tasks, so the runs share one configuration.
    @Test func aliasesAndCommaListsNameTheSameRun() throws {
        let a = try TestSupport.makeTempDir(), b = try TestSupport.makeTempDir()
        let common = ["sim", "--suite", "google-robot", "--policy", "zero", "--protocol", "physics-only", "--episodes", "0..0", "--quiet"]
        let ra = try TestSupport.cli(common + ["--task", "google_robot_open_drawer,google_robot_pick_horizontal_coke_can", "--out", a.path])
        #expect(ra.status == 0, "\(ra.stderr)")
        let rb = try TestSupport.cli(common + ["--task", "google_open_top_drawer", "--task", "google_open_middle_drawer",
                                               "--task", "google_open_bottom_drawer,google_pick_coke_can_horizontal", "--out", b.path])
        #expect(rb.status == 0, "\(rb.stderr)")
        let ma = try Self.manifest(a), mb = try Self.manifest(b)
        #expect(ma["tasks"] as? [String] == ["google_open_top_drawer", "google_open_middle_drawer", "google_open_bottom_drawer",
                                             "google_pick_coke_can_horizontal"])
        #expect(ma["config_hash"] as? String == mb["config_hash"] as? String)
        let unknown = try TestSupport.cli(common + ["--task", "google_robot_fly", "--out", try TestSupport.makeTempDir().path])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown task 'google_robot_fly'"), "\(unknown.stderr)")
    }

    /// A YAML or JSON file of long options; the command line wins; unknown keys and wrong kinds name file and key.
    @Test func configFileSetsOptionsAndTheCommandLineWins() throws {
        let dir = try TestSupport.makeTempDir()
        let yaml = dir.appendingPathComponent("run.yaml")
        try """
            # a smoke run
            suite: widowx
            task: [widowx_stack_cube, widowx_spoon_on_towel]
            policy: random
            seed: 3
            episodes: "0..0"
            name: yaml-run
            quiet: true
            """.write(to: yaml, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("a")
        let r = try TestSupport.cli(["sim", "--config", yaml.path, "--task", "widowx_carrot_on_plate", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let m = try Self.manifest(out)
        #expect(m["tasks"] as? [String] == ["widowx_carrot_on_plate"] && m["seed"] as? Int == 3 && m["name"] as? String == "yaml-run")
        #expect((m["episode_ids"] as? [String])?.count == 1 && m["policy"] as? String == "random")
        // The same settings as JSON give the same run, byte for byte.
        let json = dir.appendingPathComponent("run.json")
        try #"{"suite": "widowx", "task": "widowx_carrot_on_plate", "policy": "random", "seed": 3, "episodes": "0..0", "name": "yaml-run", "quiet": true}"#
            .write(to: json, atomically: true, encoding: .utf8)
        let out2 = dir.appendingPathComponent("b")
        #expect(try TestSupport.cli(["sim", "--config", json.path, "--out", out2.path]).status == 0)
        #expect(try TestSupport.withoutTiming(String(contentsOf: out.appendingPathComponent("episodes.jsonl"), encoding: .utf8))
            == TestSupport.withoutTiming(String(contentsOf: out2.appendingPathComponent("episodes.jsonl"), encoding: .utf8)))

        func refused(_ name: String, _ text: String, _ message: String) throws {
            let f = dir.appendingPathComponent(name)
            try text.write(to: f, atomically: true, encoding: .utf8)
            let r = try TestSupport.cli(["sim", "--config", f.path, "--out", dir.appendingPathComponent("x-\(name)").path])
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(f.path): \(message)") && r.stderr.split(separator: "\n").count == 1,
                    "\(name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x-\(name)").path))
        }
        try refused("typo.yaml", "sute: widowx\n", "key 'sute': unknown (the keys are the long options: ")
        try refused("flag.json", #"{"record": 1}"#, "key 'record': expected true or false")
        try refused("list.yaml", "seed: [1, 2]\n", "key 'seed': takes one value, got a list of 2")
        try refused("broken.yaml", "task: [a\n", "is not valid YAML")
        try refused("scalar.yaml", "widowx\n", "expected a mapping of option names to values")
        try refused("run.toml", "suite = 1\n", "a --config file ends in .yaml, .yml or .json")
    }

    /// `--limit N` runs the first N episodes of each task and is recorded; a resume without it completes the run.
    @Test func limitMarksThePartialRunAndResumeCompletesIt() throws {
        let out = try TestSupport.makeTempDir()
        let args = ["sim", "--policy", "zero", "--task", "widowx_stack_cube,widowx_carrot_on_plate", "--episodes", "0..2",
                    "--name", "smoke", "--out", out.path, "--quiet"]
        let r = try TestSupport.cli(args + ["--limit", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        var m = try Self.manifest(out)
        #expect(m["limit"] as? Int == 1 && m["name"] as? String == "smoke")
        #expect(m["episode_ids"] as? [String] == ["widowx/widowx_stack_cube/base/0/0", "widowx/widowx_carrot_on_plate/base/0/0"])
        let resumed = try TestSupport.cli(Array(args.filter { $0 != "smoke" && $0 != "--name" }) + ["--resume"])
        #expect(resumed.status == 0 && resumed.stderr.contains("adding 4 episode(s)"), "\(resumed.stderr)")
        m = try Self.manifest(out)
        #expect(m["limit"] == nil && m["name"] as? String == "smoke" && (m["episode_ids"] as? [String])?.count == 6)
        let bad = try TestSupport.cli(args + ["--limit", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--limit must be ≥ 1, got 0"), "\(bad.stderr)")
    }

    /// The argument parser's own findings use the same one-line style and exit 2.
    @Test func parserErrorsUseTheOneErrorStyle() throws {
        let r = try TestSupport.cli(["sim", "--seed", "abc"])
        #expect(r.status == 2 && r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        let v = try TestSupport.cli(["--version"])
        #expect(v.status == 0 && v.stdout == SimRun.harnessVersion + "\n")
    }
}
