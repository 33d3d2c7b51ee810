import Foundation
import Testing
import TestSupport

/// What a run reports while it works and what it records of its time (docs/cluster.md § Logs), and how `--resume`
/// treats a changed command.
@Suite struct RunLogTests {
    static let base = ["sim", "--task", "widowx_stack_cube", "--policy", "zero"]

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func logLinesTimingAndJSONEvents() throws {
        let dir = try TestSupport.makeTempDir("runlog")
        // Without a terminal: one line per episode and a progress line (every episode with an interval of 0).
        let a = dir.appendingPathComponent("a")
        let r = try TestSupport.cli(Self.base + ["--episodes", "0..1", "--progress-interval", "0", "--out", a.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[1/2] widowx/widowx_stack_cube/base/0/0 failure steps=60 policy="), "\(r.stderr)")
        #expect(r.stderr.contains(" sim=") && r.stderr.contains("widowx: 2/2 episodes (100%)"), "\(r.stderr)")
        #expect(r.stdout.contains("time per episode"), "\(r.stdout)")
        let records = try Self.jsonLines(String(contentsOf: a.appendingPathComponent("episodes.jsonl"), encoding: .utf8))
        for rec in records {
            let t = try #require(rec["timing"] as? [String: Any])
            #expect(t["policy_calls"] as? Int == 60 && (t["physics_s"] as? Double ?? 0) > 0, "\(t)")
            // The episode log: the reset row and one row per policy call.
            let stem = (rec["episode_id"] as! String).replacingOccurrences(of: "/", with: "__")
            let log = try String(contentsOf: a.appendingPathComponent("logs/widowx_stack_cube/\(stem).jsonl"), encoding: .utf8)
            let rows = try Self.jsonLines(log)
            #expect(rows.count == 61 && rows.last?["step"] as? Int == 59 && rows.last?["actions"] as? Int == 1)
        }
        let timing = try JSONSerialization.jsonObject(with: Data(contentsOf: a.appendingPathComponent("timing.json"))) as! [String: Any]
        #expect((timing["run"] as? [String: Any])?["steps"] as? Int == 120 && (timing["run"] as? [String: Any])?["policy_calls"] as? Int == 120)

        // --quiet with --log-json FILE: no text lines, the events in the file.
        let b = dir.appendingPathComponent("b"), events = dir.appendingPathComponent("events.jsonl")
        let q = try TestSupport.cli(Self.base + ["--episodes", "0..1", "--quiet", "--log-json", events.path, "--out", b.path])
        #expect(q.status == 0 && !q.stderr.contains("[1/2]") && !q.stderr.contains("episodes ("), "\(q.stderr)")
        let e = try Self.jsonLines(String(contentsOf: events, encoding: .utf8))
        #expect(e.map { $0["event"] as! String } == ["start", "episode", "episode", "progress", "end"])
        for ev in e where ev["event"] as? String == "episode" {
            #expect(ev["outcome"] as? String == "failure" && ev["steps"] as? Int == 60 && ev["policy_calls"] as? Int == 60)
            #expect(ev["policy_ms"] is Double && ev["sim_ms"] is Double && ev["episode_id"] is String)
        }
        // --log-json -: stderr carries only the events.
        let c = try TestSupport.cli(Self.base + ["--episodes", "0", "--log-json", "-", "--out", dir.appendingPathComponent("c").path])
        #expect(c.status == 0)
        #expect(try Self.jsonLines(c.stderr).map { $0["event"] as! String } == ["start", "episode", "progress", "end"], "\(c.stderr)")
    }

    @Test func resumeNamesTheChangedSettingAndGrowsTheEpisodeSet() throws {
        let dir = try TestSupport.makeTempDir("resume")
        let run = dir.appendingPathComponent("run")
        #expect(try TestSupport.cli(Self.base + ["--episodes", "0..1", "--out", run.path, "--quiet"]).status == 0)
        let seed = try TestSupport.cli(Self.base + ["--episodes", "0..1", "--seed", "1", "--out", run.path, "--resume"])
        #expect(seed.status == 2 && seed.stderr.contains("--seed '0', this command '1'"), "\(seed.stderr)")
        let policy = try TestSupport.cli(["sim", "--task", "widowx_stack_cube", "--policy", "random", "--episodes", "0..1",
                                          "--out", run.path, "--resume"])
        #expect(policy.status == 2 && policy.stderr.contains("--policy 'zero', this command 'random'"), "\(policy.stderr)")
        let shrink = try TestSupport.cli(Self.base + ["--episodes", "1..3", "--out", run.path, "--resume"])
        #expect(shrink.status == 2 && shrink.stderr.contains("leaves out 1 of them"), "\(shrink.stderr)")
        // A larger episode set grows the run into what a fresh run of that set writes.
        let grow = try TestSupport.cli(Self.base + ["--episodes", "0..3", "--out", run.path, "--resume"])
        #expect(grow.status == 0 && grow.stderr.contains("adding 2 episode(s)"), "\(grow.stderr)")
        let fresh = dir.appendingPathComponent("fresh")
        #expect(try TestSupport.cli(Self.base + ["--episodes", "0..3", "--out", fresh.path, "--quiet"]).status == 0)
        let episodes = { (d: URL) in TestSupport.withoutTiming(try String(contentsOf: d.appendingPathComponent("episodes.jsonl"), encoding: .utf8)) }
        #expect(try episodes(run) == episodes(fresh))
        #expect(try Data(contentsOf: run.appendingPathComponent("summary.json")) == Data(contentsOf: fresh.appendingPathComponent("summary.json")))
        // The manifest names the binary's version and the settings.
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("manifest.json"))) as! [String: Any]
        let version = try TestSupport.cli(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == m["harness_version"] as? String)
        #expect((m["config"] as? [String: String])?["policy"] == "zero")
    }
}
