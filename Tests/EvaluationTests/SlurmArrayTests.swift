import Foundation
import Testing
import TestSupport

/// The WidowX suite on a real single-node SLURM cluster (docs/cluster.md): `deploy/slurm/submit.sh` submits it as a
/// 4-task array (`--shard auto`) and an `afterok` merge; the merged run equals the unsharded one byte for byte
/// (timing fields aside), actions and videos included, replays and resumes. A failing array cancels its merge.
@Suite(.serialized) struct SlurmArrayTests {
    /// One episode per task, each with a video: every array task gets one episode of its own.
    static let runArguments = ["sim", "--suite", "widowx", "--episodes", "0", "--record", "--progress-interval", "0"]

    /// Relative path → bytes of every file under `dir/sub`.
    static func files(_ dir: URL, _ sub: String) throws -> [String: Data] {
        let root = dir.appendingPathComponent(sub)
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    static func manifestWithoutTime(_ dir: URL) throws -> NSDictionary {
        var m = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as! [String: Any]
        m["created_at"] = nil
        // Each node reads the scenes' commit from its own view of the checkout (a batch job may see no git at all).
        m["git_commit"] = nil
        return m as NSDictionary
    }

    @Test func widowxArrayMergesIntoTheUnshardedRun() throws {
        let slurm = try LocalSlurm()
        let dir = try TestSupport.makeTempDir("slurm-sim")
        let run = dir.appendingPathComponent("run")
        let jobs = try slurm.submit(["--shards", "4", run.path] + Self.runArguments)
        #expect(jobs.count == 2, "\(jobs)")
        // The unsharded reference, on this machine while the cluster works.
        let whole = dir.appendingPathComponent("whole")
        let reference = try TestSupport.cli(Self.runArguments + ["--out", whole.path])
        #expect(reference.status == 0, "\(reference.stderr)")

        let arrayStates = try slurm.wait(for: jobs[0], timeout: 900)
        let mergeStates = try slurm.wait(for: jobs[1], timeout: 120)
        #expect(arrayStates == Array(repeating: "COMPLETED", count: 4), "\(arrayStates)")
        #expect(mergeStates == ["COMPLETED"], "\(mergeStates): \((try? String(contentsOf: run.appendingPathComponent("slurm/merge.log"), encoding: .utf8)) ?? "")")

        // Each shard took its index from the array and logged one line per episode and a progress line.
        for i in 0..<4 {
            let m = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("shards/shard-\(i)/manifest.json"))) as! [String: Any]
            #expect((m["shard"] as? [String: Int]) == ["index": i, "count": 4])
            let log = try String(contentsOf: run.appendingPathComponent("slurm/shard-\(i).log"), encoding: .utf8)
            #expect(log.contains("[1/1] widowx/") && log.contains("success steps=") && log.contains("1/1 episodes (100%)"), "\(log)")
        }
        // Merged = unsharded: summary byte for byte, episodes and manifest up to timing, every action and video file.
        #expect(try Data(contentsOf: run.appendingPathComponent("summary.json")) == Data(contentsOf: whole.appendingPathComponent("summary.json")))
        let episodes = { (d: URL) in TestSupport.withoutTiming(try String(contentsOf: d.appendingPathComponent("episodes.jsonl"), encoding: .utf8)) }
        #expect(try episodes(run) == episodes(whole))
        #expect(try Self.manifestWithoutTime(run) == Self.manifestWithoutTime(whole))
        for kind in ["actions", "videos"] {
            let merged = try Self.files(run, kind), unsharded = try Self.files(whole, kind)
            #expect(merged.count >= 4 && merged == unsharded, "\(kind): \(merged.keys.sorted()) vs \(unsharded.keys.sorted())")
        }
        #expect(try Set(Self.files(run, "logs").keys) == Set(Self.files(whole, "logs").keys))
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("timing.json").path))

        // The merged run replays and resumes like any run.
        let replay = try TestSupport.cli(["sim", "--policy", "replay:\(run.path)", "--task", "widowx_carrot_on_plate",
                                          "--episodes", "0", "--out", dir.appendingPathComponent("replay").path])
        #expect(replay.status == 0 && replay.stdout.contains("100.0%"), "\(replay.stdout) \(replay.stderr)")
        let resumed = try TestSupport.cli(Self.runArguments + ["--out", run.path, "--resume"])
        #expect(resumed.status == 0 && resumed.stderr.contains("4 episodes, 4 already done"), "\(resumed.stderr)")

        // A failing array never merges: the dependent job is cancelled, not left pending.
        let bad = try slurm.submit(["--shards", "2", dir.appendingPathComponent("bad").path, "sim", "--suite", "widowx",
                                    "--policy", "telepathy"])
        #expect(try slurm.wait(for: bad[0], timeout: 120) == ["FAILED", "FAILED"])
        #expect(try slurm.wait(for: bad[1], timeout: 60) == ["CANCELLED"])
        #expect(slurm.stop().isEmpty, "daemons survived stop")
    }

    /// `--shard auto` outside SLURM: Kubernetes' JOB_COMPLETION_INDEX with the count given, and clear refusals.
    @Test func shardAutoReadsTheSchedulerEnvironment() throws {
        let dir = try TestSupport.makeTempDir("shard-auto")
        var out = dir
        func run(_ shard: String, _ env: [String: String]) throws -> TestSupport.ProcessResult {
            out = dir.appendingPathComponent(UUID().uuidString)
            return try TestSupport.cli(["sim", "--task", "widowx_stack_cube", "--episodes", "0..2", "--policy", "zero",
                                        "--shard", shard, "--out", out.path, "--quiet"],
                                       environment: ["SLURM_ARRAY_TASK_ID": "", "JOB_COMPLETION_INDEX": ""].merging(env) { $1 })
        }
        func shard() throws -> [String: Int]? {
            (try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json"))) as? [String: Any])?["shard"] as? [String: Int]
        }
        let cases: [(String, [String: String], [String: Int])] = [
            // Kubernetes Indexed Job: the index from the pod, the count from the command.
            ("auto/3", ["JOB_COMPLETION_INDEX": "2"], ["index": 2, "count": 3]),
            // A stepped array, --array=3-7:2: task 7 is the third of three.
            ("auto", ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_MAX": "7",
                      "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "3"], ["index": 2, "count": 3]),
            // One task of a 3-shard run resubmitted alone (--array=1): the count given keeps its index.
            ("auto/3", ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "1",
                        "SLURM_ARRAY_TASK_COUNT": "1"], ["index": 1, "count": 3]),
        ]
        for (spec, env, want) in cases {
            let r = try run(spec, env)
            #expect(r.status == 0, "\(spec) \(env): \(r.stderr)")
            #expect(try shard() == want, "\(spec) \(env)")
        }
        for (shard, env, message) in [("auto", ["JOB_COMPLETION_INDEX": "1"], "pass --shard auto/N"),
                                      ("auto", [:], "neither SLURM_ARRAY_TASK_ID"),
                                      ("auto/2", ["SLURM_ARRAY_TASK_ID": "5"], "not below the shard count 2"),
                                      ("auto", ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "9",
                                                "SLURM_ARRAY_TASK_COUNT": "3"], "is not a range"),
                                      ("auto/x", [:], "auto/N")] {
            let r = try run(shard, env)
            #expect(r.status == 2 && r.stderr.contains(message), "\(shard) \(env): \(r.status) \(r.stderr)")
        }
    }
}
