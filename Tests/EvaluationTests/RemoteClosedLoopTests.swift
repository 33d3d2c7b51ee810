import Engine
import Evaluation
import Foundation
import ResultsSchema
import Testing
import TestSupport
@testable import Policies
import PolicyTransport
import Sim

/// Closed loop through real servers: the scripted expert's recorded actions, served by the reference server
/// (the vlaser_policy_server package of clients/python: openpi websocket, OpenVLA REST, RoboTwin TCP), drive
/// WidowX episodes to the same outcome as the in-process replay; failing servers give `error` episodes.
@Suite(.serialized) struct RemoteClosedLoopTests {
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")
    static let task = "widowx_carrot_on_plate"
    static let key = EpisodeKey(suite: "widowx", task: task, index: 5)

    /// The scripted run (its actions on disk) and the in-process replay of it, computed once.
    struct Reference: @unchecked Sendable {
        let assets: TaskAssets
        let actionsDir: URL
        let scripted: EpisodeResult
        let replayed: EpisodeResult
    }
    static let reference: Result<Reference, Error> = Result {
        let assets = try TaskAssets(task: task, root: scenes)
        let dir = try TestSupport.makeTempDir()
        let scripted = TestSupport.withODE { EpisodeRunner(assets: assets, policy: ScriptedExpert(), baseSeed: 0, runDirectory: dir).run(key) }
        let replayPolicy = try ReplayPolicy(source: dir)
        let replayed = TestSupport.withODE { EpisodeRunner(assets: assets, policy: replayPolicy, baseSeed: 0, runDirectory: nil).run(key) }
        return Reference(assets: assets, actionsDir: dir, scripted: scripted, replayed: replayed)
    }

    static func actions(_ dir: URL) throws -> String {
        try String(contentsOf: ActionLog.path(runDirectory: dir, task: task, episodeID: key.id), encoding: .utf8)
    }

    @Test(arguments: [("openpi", "ws"), ("http", "http"), ("tcp", "tcp")])
    func replayServedRemotelyMatchesInProcessReplay(serverProtocol: String, scheme: String) throws {
        let ref = try Self.reference.get()
        #expect(ref.scripted.status == "ok" && ref.replayed.status == "ok", "\(ref.scripted.error ?? "") \(ref.replayed.error ?? "")")
        #expect(ref.scripted.success && ref.replayed.success)
        let server = try Peer(referenceServer: ["--protocol", serverProtocol, "--port", "0", "--replay", ref.actionsDir.path,
                                                             "--horizon", "4"])
        let url = "\(scheme)://127.0.0.1:\(server.port)" + (scheme == "http" ? "/act" : "")
        if scheme != "tcp" { try OpenPIClient.waitUntilHealthy(try Endpoint(url), timeout: 30) }
        let policy = try RemotePolicy(url: url, configuration: try RemotePolicyConfiguration.load("replay", scenesRoot: Self.scenes))
        let out = try TestSupport.makeTempDir()
        let remote = TestSupport.withODE { EpisodeRunner(assets: ref.assets, policy: policy, baseSeed: 0, runDirectory: out).run(Self.key) }
        #expect(remote.status == "ok", "\(remote.error ?? "")")
        #expect(remote.success == ref.replayed.success && remote.success == ref.scripted.success)
        #expect(remote.stats == ref.replayed.stats)
        #expect(remote.steps == ref.replayed.steps)
        // Float64 on every wire: the executed actions are the recorded ones, byte for byte.
        #expect(try Self.actions(out) == Self.actions(ref.actionsDir))
        // Beside them, each reply as received: one line per request at the step it was asked, its `execute` first
        // rows the actions that ran (this preset has no adapters).
        let raw = ActionLog.rawPath(runDirectory: out, task: Self.task, episodeID: Self.key.id)
        let replies = try String(contentsOf: raw, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(RawLine.self, from: Data($0.utf8))
        }
        let executed = try ActionLog.read(ActionLog.path(runDirectory: out, task: Self.task, episodeID: Self.key.id))
        #expect(replies.map(\.step) == Array(stride(from: 0, to: executed.count, by: 4)))
        #expect(replies.flatMap { $0.reply.prefix(4) }.prefix(executed.count).elementsEqual(executed))
    }
    struct RawLine: Decodable { var step: Int; var reply: [[Double]] }

    /// EchoPolicy (fixtures/peers.py) scaled to small actions; `constants` add the fault switches.
    static func echoPolicy(_ port: Int, constants: String) throws -> RemotePolicy {
        let dir = try TestSupport.makeTempDir()
        let file = dir.appendingPathComponent("echo.json")
        try Data(#"{"prompt_key": "prompt", "execute": 4, "connect_timeout": 1, "constants": {"scale": "0.0001"\#(constants)}}"#.utf8).write(to: file)
        return try RemotePolicy(url: "ws://127.0.0.1:\(port)", configuration: try RemotePolicyConfiguration.load(file.path, scenesRoot: scenes))
    }

    @Test func faultyServersMarkTheEpisodeErrorWithTheReason() throws {
        let assets = try Self.reference.get().assets
        func run(_ policy: RemotePolicy) -> EpisodeResult {
            TestSupport.withODE { EpisodeRunner(assets: assets, policy: policy, baseSeed: 0, runDirectory: nil).run(Self.key) }
        }
        let dying = try Peer("serve", "openpi", "--die-after", "3")
        try OpenPIClient.waitUntilHealthy(try Endpoint("ws://127.0.0.1:\(dying.port)"), timeout: 30)
        let killed = run(try Self.echoPolicy(dying.port, constants: ""))
        #expect(killed.status == "error" && killed.success == false)
        #expect(killed.error?.contains("closed the connection") == true, "\(killed.error ?? "")")
        #expect(killed.steps == 12)  // three chunks of 4 executed before the server died

        let healthy = try Peer("serve", "openpi")
        try OpenPIClient.waitUntilHealthy(try Endpoint("ws://127.0.0.1:\(healthy.port)"), timeout: 30)
        let ok = run(try Self.echoPolicy(healthy.port, constants: ""))
        #expect(ok.status == "ok", "\(ok.error ?? "")")
        let traceback = run(try Self.echoPolicy(healthy.port, constants: #", "raise": "model exploded""#))
        #expect(traceback.status == "error" && traceback.error?.contains("RuntimeError: model exploded") == true)
        let nan = run(try Self.echoPolicy(healthy.port, constants: #", "nan": "1""#))
        #expect(nan.status == "error" && nan.error?.contains("invalid action: element 0 is nan") == true, "\(nan.error ?? "")")

        let silent = try Peer("silent")
        let hung = try Self.echoPolicy(silent.port, constants: "")
        let t0 = Date()
        let timedOut = TestSupport.withODE { EpisodeRunner(assets: assets, policy: hung, baseSeed: 0, runDirectory: nil).run(Self.key) }
        #expect(timedOut.status == "error" && timedOut.error?.contains("timed out") == true, "\(timedOut.error ?? "")")
        #expect(Date().timeIntervalSince(t0) < 30)
    }

    /// A run's episode records without their timing fields, sorted: equal for two runs with the same outcomes.
    static func records(_ dir: URL) throws -> [String] {
        try TestSupport.withoutTiming(String(contentsOf: dir.appendingPathComponent("episodes.jsonl"), encoding: .utf8))
            .split(separator: "\n").map(String.init).sorted()
    }

    /// The user's path: `vlaser-eval sim --policy ws://…` (preset from `VLASER_POLICY_PRESET`), two worker processes.
    @Test func simCommandAgainstTheReferenceServer() throws {
        let scripted = try TestSupport.makeTempDir()
        let base = ["sim", "--task", Self.task, "--episodes", "5,13"]
        let s = try TestSupport.cli(base + ["--policy", "scripted", "--out", scripted.path])
        #expect(s.status == 0, "\(s.stderr)")
        let server = try Peer(referenceServer: ["--protocol", "openpi", "--port", "0", "--replay", scripted.path])
        let url = "ws://127.0.0.1:\(server.port)"
        try OpenPIClient.waitUntilHealthy(try Endpoint(url), timeout: 30)
        let remote = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(base + ["--policy", url, "--workers", "2", "--out", remote.path],
                                    environment: [RemotePolicy.presetVariable: "replay"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = Self.records
        #expect(try records(remote) == records(scripted))
        #expect(try records(remote).allSatisfy { $0.contains(#""status":"ok""#) && $0.contains(#""success":true"#) })
        // Provenance: the preset as used and the server's metadata frame (the reference server sends an empty map).
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: remote.appendingPathComponent("manifest.json"))) as! [String: Any]
        #expect((manifest["policy_preset"] as? [String: Any])?["execute"] != nil, "\(manifest["policy_preset"] ?? "none")")
        #expect((manifest["server_metadata"] as? [String: Any])?.isEmpty == true, "\(manifest["server_metadata"] ?? "none")")

        server.kill()
        let dead = try TestSupport.makeTempDir()
        let d = try TestSupport.cli(["sim", "--task", Self.task, "--episodes", "5", "--policy", url, "--out", dead.path],
                                    environment: [RemotePolicy.presetVariable: "replay"])
        #expect(d.status == 4 && d.stderr.contains("\(url) is not reachable: cannot connect to policy server \(url)"), "\(d.stderr)")
    }
}
