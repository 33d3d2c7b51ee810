import Foundation
import Testing
import TestSupport
@testable import Policies

/// The documented exit codes (README § Exit codes): 0 every episode ran, 2 bad input (nothing ran), 3 episodes ended in
/// `error` (results written, resumable), 4 the policy server or reasoning endpoint never answered — and a server that
/// comes up late is waited for with `--wait-for-server`.
@Suite(.serialized) struct ExitCodeTests {
    static let task = "widowx_stack_cube"

    /// A preset file with no images (a cheap remote policy); `constants` add EchoPolicy's fault switches.
    static func preset(_ constants: String = "") throws -> String {
        let file = try TestSupport.makeTempDir().appendingPathComponent("echo.json")
        try Data(#"{"prompt_key": "prompt", "harness_key": true, "execute": 4, "constants": {"scale": "0.0001"\#(constants)}}"#.utf8).write(to: file)
        return file.path
    }

    @Test func unreachableServerExits4BeforeAnyEpisode() throws {
        let out = try TestSupport.makeTempDir().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--task", Self.task, "--policy", "ws://127.0.0.1:9", "--policy-preset", try Self.preset(),
                                     "--out", out.path])
        #expect(r.status == 4, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("ws://127.0.0.1:9 is not reachable") && r.stderr.contains("--wait-for-server"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("episodes.jsonl").path))
    }

    @Test func episodeErrorsExit3WithResultsKeptAndAbortStops() throws {
        let server = try Peer("serve", "openpi")
        let url = "ws://127.0.0.1:\(server.port)"
        let raising = try Self.preset(#", "raise": "model exploded""#)
        let skip = try TestSupport.makeTempDir(), abort = try TestSupport.makeTempDir()
        let base = ["sim", "--task", Self.task, "--episodes", "0..2", "--policy", url, "--policy-preset", raising, "--wait-for-server", "30"]
        let s = try TestSupport.cli(base + ["--out", skip.path])
        #expect(s.status == 3 && s.stderr.contains("3 of 3 episodes ended in error"), "\(s.status) \(s.stderr)")
        let recs = try SimCommandTests.records(skip)
        #expect(recs.count == 3 && recs.allSatisfy { $0["status"] as? String == "error" && ($0["error"] as? String ?? "").contains("model exploded") })
        #expect(FileManager.default.fileExists(atPath: skip.appendingPathComponent("summary.json").path))
        let a = try TestSupport.cli(base + ["--out", abort.path, "--on-policy-error", "abort"])
        #expect(a.status == 3 && a.stderr.contains("abort"), "\(a.status) \(a.stderr)")
        #expect(try SimCommandTests.records(abort).count == 1)
        let bad = try TestSupport.cli(base + ["--out", abort.path + "x", "--on-policy-error", "shrug"])
        #expect(bad.status == 2 && bad.stderr.contains("--on-policy-error"))
        // A healthy server: every episode runs, exit 0.
        let ok = try TestSupport.cli(["sim", "--task", Self.task, "--episodes", "0", "--policy", url, "--policy-preset", try Self.preset(),
                                      "--out", try TestSupport.makeTempDir().path])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    /// A server that starts listening a few seconds after the run (a loading checkpoint): the run waits, says so,
    /// and then runs every episode.
    @Test func lateServerIsWaitedFor() throws {
        let log = try TestSupport.makeTempDir().appendingPathComponent("requests.jsonl")
        let server = try Peer("log", "openpi", log.path, "4")
        let r = try TestSupport.cli(["sim", "--task", Self.task, "--episodes", "0", "--policy", "ws://127.0.0.1:\(server.port)",
                                     "--policy-preset", try Self.preset(), "--wait-for-server", "60", "--out", try TestSupport.makeTempDir().path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("waiting for ws://127.0.0.1:\(server.port)") && r.stderr.contains("is up after"), "\(r.stderr)")
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == 15)
    }

    @Test func presetThatDoesNotFitTheTaskExits2() throws {
        // One line naming the camera the preset asks for and the robot set-up that lacks it.
        for (preset, camera) in [("robotwin-head", "head_camera"), ("vlaser-simpler-google", "overhead_camera")] {
            let r = try TestSupport.cli(["sim", "--task", Self.task, "--policy", "ws://127.0.0.1:9", "--policy-preset", preset,
                                         "--out", try TestSupport.makeTempDir().path])
            #expect(r.status == 2 && r.stderr.contains("camera '\(camera)'") && r.stderr.contains("widowx_flat_table"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        let wide = try TestSupport.makeTempDir().appendingPathComponent("wide.json")
        try Data(#"{"action_dim": 14}"#.utf8).write(to: wide)
        let r = try TestSupport.cli(["sim", "--task", Self.task, "--policy", "tcp://127.0.0.1:9", "--policy-preset", wide.path,
                                     "--out", try TestSupport.makeTempDir().path])
        #expect(r.status == 2 && r.stderr.contains("action_dim 14, but task \(Self.task)'s action space has 7 entries"), "\(r.stderr)")
    }

    /// A merged run has records but no actions/: replaying it is bad input, found before episode 0.
    @Test func replayOfARunWithoutActionsExits2() throws {
        let run = try TestSupport.makeTempDir().appendingPathComponent("run")
        let s = try TestSupport.cli(["sim", "--task", Self.task, "--episodes", "0", "--out", run.path])
        #expect(s.status == 0, "\(s.stderr)")
        try FileManager.default.removeItem(at: run.appendingPathComponent("actions"))
        let r = try TestSupport.cli(["sim", "--task", Self.task, "--episodes", "0", "--policy", "replay:\(run.path)",
                                     "--out", try TestSupport.makeTempDir().path])
        #expect(r.status == 2 && r.stderr.contains("1 of 1 planned episodes have no recorded actions"), "\(r.stderr)")
    }

    @Test func unreachableReasoningEndpointExits4() throws {
        let data = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["reason", "--bench", "erqa", "--data", data.path, "--endpoint", "http://127.0.0.1:9/v1",
                                     "--model", "m", "--no-cache", "--out", try TestSupport.makeTempDir().path])
        #expect(r.status == 4 && r.stderr.contains("http://127.0.0.1:9/v1 is not reachable"), "\(r.status) \(r.stderr)")
    }
}
