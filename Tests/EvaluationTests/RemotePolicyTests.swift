import Foundation
import ResultsSchema
import ImageIO
import Testing
import TestSupport
import VLMath
@testable import Policies
import PolicyTransport
import Sim

/// RemotePolicy pieces without the simulator: presets, observation mapping, action adapters (against
/// transforms3d where a convention is involved), chunk execution and ensembling against a real openpi server.
@Suite struct RemotePolicyTests {
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    static func configuration(_ json: String) throws -> RemotePolicyConfiguration {
        let dir = try TestSupport.makeTempDir()
        let url = dir.appendingPathComponent("preset.json")
        try Data(json.utf8).write(to: url)
        return try RemotePolicyConfiguration.load(url.path, scenesRoot: scenes)
    }
    static func robot() -> RobotState {
        RobotState(jointNames: ["waist", "shoulder", "left_finger", "right_finger"], jointPositions: [0.1, 0.2, 0.03, 0.031],
                   jointVelocities: [0, 0, 0, 0], armJointCount: 2, tcpPose: Pose(p: Vec3(0.3, -0.1, 0.2), q: Quat(roll: 0.1, pitch: -0.2, yaw: 0.3)),
                   gripperOpening: 0.75)
    }
    static func context(_ id: String = "widowx/widowx_stack_cube/base/3/0") -> EpisodeContext {
        EpisodeContext(episodeID: id, suite: "widowx", task: "widowx_stack_cube", seed: 1, instruction: "stack", maxSteps: 60, controlFrequency: 5)
    }

    @Test func everyBuiltInPresetLoads() throws {
        let names = RemotePolicyConfiguration.presetNames(scenesRoot: Self.scenes)
        #expect(Set(["vlaser-simpler-widowx", "vlaser-simpler-google", "openpi-libero", "openpi-droid", "openvla-bridge", "openvla-fractal",
                     "octo-bridge", "octo-fractal", "rt1x-bridge", "rt1x-fractal", "spatialvla-bridge", "spatialvla-fractal",
                     "cogact-bridge", "cogact-fractal", "pi0-openpizero-bridge", "pi0-openpizero-fractal", "robotwin-head", "replay"]).isSubset(of: names))
        for n in names {
            let c = try RemotePolicyConfiguration.load(n, scenesRoot: Self.scenes)
            _ = try RemotePolicy(url: "ws://127.0.0.1:1", configuration: c)
        }
        let w = try RemotePolicyConfiguration.load("vlaser-simpler-widowx", scenesRoot: Self.scenes)
        #expect(w.execute == 4 && w.images.first?.width == 448)  // robotwin-tasks.md §2.1
        #expect(try RemotePolicyConfiguration.load("vlaser-simpler-google", scenesRoot: Self.scenes).execute == 2)
    }

    @Test(arguments: [
        (#"{"execute": 0}"#, "field 'execute' must be ≥ 1"),
        (#"{"adapters": [{"name": "flip"}]}"#, "field 'adapters[0].name' unknown adapter 'flip'"),
        (#"{"state": {"key": "s", "components": ["ee_pos", "elbow"]}}"#, "field 'state.components[1]' unknown component 'elbow'"),
        (#"{"images": [{"key": "i", "camera": "c", "width": 4}]}"#, "missing field 'images[0].height'"),
        (#"{"exeucte": 4}"#, "unknown field 'exeucte'"),
        (#"{"adapters": [{"name": "google_sticky_gripper", "relativ": "change"}]}"#, "unknown field 'adapters[0].relativ'"),
        (#"{"adapters": [{"name": "google_sticky_gripper", "relative": "delta"}]}"#, "field 'adapters[0].relative' must be one of change"),
        (#"{"ensemble": {"weights": "median"}}"#, "field 'ensemble.weights' must be one of exponential, adaptive"),
        (#"{"execute": "4"}"#, "field 'execute' has the wrong type"),
        (#"{"adapters": [{"name": "unnormalize", "statistics": "nope.json"}]}"#, "nope.json: cannot read the statistics JSON"),
    ] as [(String, String)])
    func badPresetsNameTheFieldAndFile(json: String, message: String) throws {
        #expect {
            _ = try RemotePolicy(url: "ws://h:1", configuration: try Self.configuration(json))
        } throws: { e in
            "\(e)".contains(message) && "\(e)".contains("vlaser-test-")  // names the file
        }
        #expect(throws: RemotePolicyError.self) { try RemotePolicyConfiguration.load("no-such-preset", scenesRoot: Self.scenes) }
    }

    @Test func mappingBuildsTheServerKeys() throws {
        let c = try Self.configuration(#"""
            {"images": [{"key": "observation/image", "camera": "cam", "width": 2, "height": 1},
                        {"key": "chw", "camera": "cam", "width": 2, "height": 1, "layout": "chw"}],
             "state": {"key": "proprio", "components": ["ee_pos", "ee_rpy", "gripper_open", "gripper_joints", "ee_quat_xyzw"], "dtype": "<f8"},
             "prompt_key": "prompt", "constants": {"unnorm_key": "bridge_orig"}, "harness_key": true}
            """#)
        let image = RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        let obs = Observation(step: 8, instruction: "stack the cube", robot: Self.robot(), images: ["cam": image], privileged: nil)
        let m = try RemoteObservationMapping(c).request(obs, episode: Self.context())
        #expect(m["observation/image"]?.ndarray?.shape == [1, 2, 3])
        #expect(m["chw"]?.ndarray.map { Array($0.data) } == [1, 4, 2, 5, 3, 6])
        let q = Quat(roll: 0.1, pitch: -0.2, yaw: 0.3)
        let expected: [Double] = [0.3, -0.1, 0.2] + [q.rollPitchYaw.roll, q.rollPitchYaw.pitch, q.rollPitchYaw.yaw] + [0.75, 0.03, 0.031, q.x, q.y, q.z, q.w]
        #expect(m["proprio"]?.ndarray?.dtype == .float64)
        #expect(m["proprio"]?.ndarray?.doubles() == expected)
        #expect(m["prompt"] == .string("stack the cube") && m["unnorm_key"] == .string("bridge_orig"))
        #expect(m["__harness__"] == .map(["task": .string("widowx_stack_cube"), "episode_id": .string("widowx__widowx_stack_cube__base__3__0"),
                                          "trial": .int(0), "seed": .int(1), "step": .int(8)]))
        let missing = Observation(step: 0, instruction: "", robot: Self.robot(), images: [:], privileged: nil)
        #expect { _ = try RemoteObservationMapping(c).request(missing, episode: nil) } throws: { "\($0)".contains("no image from camera 'cam'") }
    }

    @Test func rpyToAxisAngleMatchesTransforms3d() throws {
        let chain = try ActionAdapterChain(try Self.configuration(#"{"adapters": [{"name": "rpy_to_axis_angle"}]}"#))
        let rpy: [[Double]] = [[0.1, -0.2, 0.3], [0.5, 0.4, -1.2], [0, 0, 0], [-0.01, 0.02, 0.003]]
        let out = try TestSupport.python("""
            from transforms3d.euler import euler2axangle
            for r, p, y in \(rpy):
                ax, a = euler2axangle(r, p, y, 'sxyz'); print(*(ax * a))
            """).split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }
        for (r, e) in zip(rpy, out) {
            let a = try chain.adapt([0.01, 0, 0] + r + [1])
            for i in 0..<3 { #expect(abs(a[3 + i] - e[i]) < 1e-12, "\(r)") }
            #expect(a[0] == 0.01 && a[6] == 1)
        }
    }

    @Test func grippersAndRescaling() throws {
        let widowx = try ActionAdapterChain(try Self.configuration(#"{"adapters": [{"name": "widowx_gripper"}]}"#))
        #expect(try widowx.adapt([0, 0, 0, 0, 0, 0, 0.51])[6] == 1)
        #expect(try widowx.adapt([0, 0, 0, 0, 0, 0, 0.5])[6] == -1)

        let rt1 = try ActionAdapterChain(try Self.configuration(#"{"adapters": [{"name": "rt1_bridge_rescale"}]}"#))
        let a = try rt1.adapt([1.75, -0.875, 3.5, 1.4, -0.7, -2.8, 0.3])
        #expect(a[0] == 0.05 && a[1] == -0.025 && a[2] == 0.05)  // clipped at ±0.05 m
        #expect(a[3] == 0.25 && a[4] == -0.125 && a[5] == -0.25)
        #expect(a[6] == -1)  // closedness 0.3 → openness −0.3 → close

        // Octo/Vlaser sticky gripper: the latched relative command repeats for 15 steps, then releases.
        let sticky = try ActionAdapterChain(try Self.configuration(#"{"adapters": [{"name": "google_sticky_gripper"}]}"#))
        let opens: [Double] = [1, 1, 0, 0.1] + Array(repeating: 0, count: 14) + [1]
        let g = try opens.map { try sticky.adapt([0, 0, 0, 0, 0, 0, $0])[6] }
        #expect(g[0] == 0 && g[1] == 0)
        #expect(g[2...16].allSatisfy { $0 == 1 })  // 1 − 0 = +1 (close), held 15 steps
        #expect(g[17] == 0)
        #expect(g[18] == -1)  // 0 → 1 opens: relative −1 latches
        sticky.reset()
        #expect(try sticky.adapt([0, 0, 0, 0, 0, 0, 0])[6] == 0)
    }

    @Test func unnormalizeFromStatistics() throws {
        let dir = try TestSupport.makeTempDir()
        try Data(#"{"bridge_orig": {"action": {"q01": [-0.1, -0.2, 0, 0, 0, 0, 0], "q99": [0.1, 0.2, 0.4, 1, 1, 1, 1], "mask": [true, true, true, true, true, true, false]}}, "s": {"mean": [0.01, 0.02, 0.03, 0, 0, 0, 0], "std": [0.1, 0.1, 0.1, 1, 1, 1, 1]}}"#.utf8)
            .write(to: dir.appendingPathComponent("stats.json"))
        let preset = dir.appendingPathComponent("p.json")
        try Data(#"{"adapters": [{"name": "unnormalize", "statistics": "stats.json", "key": "bridge_orig.action"}]}"#.utf8).write(to: preset)
        let p = try ActionAdapterChain(try RemotePolicyConfiguration.load(preset.path, scenesRoot: Self.scenes))
        #expect(try p.adapt([1, -1, 0, 2, -2, 0, 0.7]) == [0.1, -0.2, 0.2, 1, 0, 0.5, 0.7])  // clipped to [−1, 1] first; mask keeps g
        try Data(#"{"adapters": [{"name": "unnormalize", "statistics": "stats.json", "key": "s", "mode": "mean_std"}]}"#.utf8).write(to: preset)
        let m = try ActionAdapterChain(try RemotePolicyConfiguration.load(preset.path, scenesRoot: Self.scenes))
        let out = try m.adapt([0, -2, 2, 0.5, 0, 0, 1])
        let want: [Double] = [0.01, -0.18, 0.23, 0.5, 0, 0, 1]
        #expect(zip(out, want).allSatisfy { abs($0 - $1) < 1e-12 }, "\(out)")
    }

    @Test func nonFiniteAndAbsurdActionsAreRejected() throws {
        let chain = try ActionAdapterChain(try Self.configuration(#"{"adapters": []}"#))
        // Plausibility limits come from the task's action space (set at each episode's reset).
        chain.actionSpace = try TaskAssets(task: "widowx_stack_cube", root: Self.scenes).setup.actionSpace
        #expect { _ = try chain.adapt([0, .nan, 0, 0, 0, 0, 1]) } throws: { "\($0)".contains("element 1 is nan") }
        #expect { _ = try chain.adapt([0, 0, 0, 0, 0, .infinity, 1]) } throws: { "\($0)".contains("element 5 is inf") }
        #expect { _ = try chain.adapt([3, 0, 0, 0, 0, 0, 1]) } throws: { "\($0)".contains("absurd action (translation 3.0 m") }
        #expect { _ = try chain.adapt([0, 0, 0, 0, 0, 0]) } throws: { "\($0)".contains("expected 7 numbers per action, got 6") }
    }

    @Test func chunksAreExecutedKOfHAndEnsembled() throws {
        let peer = try Peer("serve", "openpi")
        let url = "ws://127.0.0.1:\(peer.port)"
        try OpenPIClient.waitUntilHealthy(try Endpoint(url), timeout: 30)
        // EchoPolicy: actions[h, d] = (10h + d + keys + 100·step) · scale, keys = prompt, scale, __harness__.
        let base = #""prompt_key": "prompt", "harness_key": true"#
        let scaled = #""constants": {"scale": "0.001"}"#
        let obs = { (step: Int) in Observation(step: step, instruction: "x", robot: Self.robot(), images: [:], privileged: nil) }
        func expected(_ step: Int, _ h: Int) -> [Double] { (0..<7).map { Double(10 * h + $0 + 3 + 100 * step) * 0.001 } }
        func close(_ a: [[Double]], _ b: [[Double]]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { zip($0, $1).allSatisfy { abs($0 - $1) < 1e-6 } }
        }

        let k3 = try RemotePolicy(url: url, configuration: try Self.configuration("{\(base), \(scaled), \"execute\": 3}"))
        try k3.reset(Self.context())
        #expect(close(try k3.act(obs(0)), [expected(0, 0), expected(0, 1), expected(0, 2)]))

        let ens = try RemotePolicy(url: url, configuration: try Self.configuration("{\(base), \(scaled), \"ensemble\": true}"))
        try ens.reset(Self.context())
        for step in 0..<6 {
            // Chunks predicted at s = step−3…step cover this step at row step − s; their plain average.
            let covering = (max(0, step - 3)...step).map { expected($0, step - $0) }
            let mean = (0..<7).map { i in covering.reduce(0) { $0 + $1[i] } / Double(covering.count) }
            #expect(close(try ens.act(obs(step)), [mean]), "step \(step)")
        }

        let nan = try RemotePolicy(url: url, configuration: try Self.configuration("{\(base), \"constants\": {\"scale\": \"0.001\", \"nan\": \"1\"}}"))
        try nan.reset(Self.context())
        #expect { _ = try nan.act(obs(0)) } throws: { "\($0)".contains("invalid action: element 0 is nan") }
    }

    /// Under `skip` a failed request gives up that episode only: the next episode connects again (tcp:// and a
    /// websocket kept across episodes once failed every later episode with "not connected").
    @Test(arguments: [("tcp", #""reset_command": "reset""#), ("openpi", #""reconnect_per_episode": false"#)])
    func nextEpisodeReconnectsAfterAFailedRequest(serverProtocol: String, connection: String) throws {
        let obs = Observation(step: 0, instruction: "x", robot: Self.robot(), images: [:], privileged: nil)
        let peer = try Peer("serve", serverProtocol)
        let url = "\(serverProtocol == "tcp" ? "tcp" : "ws")://127.0.0.1:\(peer.port)"
        if serverProtocol != "tcp" { try OpenPIClient.waitUntilHealthy(try Endpoint(url), timeout: 30) }
        let preset = #"{"prompt_key": "prompt", "constants": {"scale": "0.0001", "fail_once": "1"}, "connect_timeout": 5, "# + connection + "}"
        let policy = try RemotePolicy(url: url, configuration: try Self.configuration(preset), onError: .skip)
        try policy.reset(Self.context())
        #expect { _ = try policy.act(obs) } throws: { "\($0)".contains("RuntimeError: transient failure") }
        try policy.reset(Self.context("widowx/widowx_stack_cube/base/4/0"))
        #expect(try policy.act(obs).count == 1)
    }

    /// `max_reply_bytes` caps what a server may send (the echo of a 200 kB constant exceeds 100 kB); within the
    /// cap, only the executed rows are converted.
    @Test func replyCapIsAPresetField() throws {
        let obs = Observation(step: 0, instruction: "x", robot: Self.robot(), images: [:], privileged: nil)
        let peer = try Peer("serve", "openpi")
        let url = "ws://127.0.0.1:\(peer.port)"
        try OpenPIClient.waitUntilHealthy(try Endpoint(url), timeout: 30)
        let pad = String(repeating: "p", count: 200_000)
        let capped = try RemotePolicy(url: url, configuration: try Self.configuration(
            #"{"constants": {"scale": "0.0001", "pad": "\#(pad)"}, "max_reply_bytes": 100000}"#))
        try capped.reset(Self.context())
        #expect { _ = try capped.act(obs) } throws: { "\($0)".contains("message larger than the 100000-byte limit") }
        let roomy = try RemotePolicy(url: url, configuration: try Self.configuration(
            #"{"constants": {"scale": "0.0001", "pad": "\#(pad)"}, "execute": 2}"#))
        try roomy.reset(Self.context())
        #expect(try roomy.act(obs).count == 2)
        #expect(RemotePolicyConfiguration.defaultMaxReplyBytes == 64 << 20)
    }

    /// Under `retry`, a server that stays down opens the circuit: later episodes fail at once (one connection
    /// attempt) instead of spending the whole retry cycle each, and the first answer closes it again.
    @Test func retryCircuitOpensOnADeadServerAndClosesWhenItAnswers() throws {
        let obs = Observation(step: 0, instruction: "x", robot: Self.robot(), images: [:], privileged: nil)
        let port: Int
        do { let p = try Peer("silent"); port = p.port }  // a port that was just free; nothing listens there now
        let policy = try RemotePolicy(url: "tcp://127.0.0.1:\(port)", configuration: try Self.configuration(
            #"{"prompt_key": "prompt", "constants": {"scale": "0.0001"}, "connect_timeout": 1}"#), onError: .retry)
        policy.connection.options.initialBackoff = 0.01
        #expect(throws: TransportError.self) { try policy.reset(Self.context()) }
        #expect(policy.circuitOpen)
        let t0 = Date()
        #expect(throws: TransportError.self) { try policy.reset(Self.context("widowx/widowx_stack_cube/base/4/0")) }
        #expect(Date().timeIntervalSince(t0) < 0.5, "an open circuit still spent the retry cycle")
        let back = try Peer("serve", "tcp", "--port", "\(port)")
        _ = back
        try policy.reset(Self.context("widowx/widowx_stack_cube/base/5/0"))
        #expect(try policy.act(obs).count == 1)
        #expect(!policy.circuitOpen)
    }

    /// A scalar `actions` reply is named as such.
    @Test func scalarActionsAreNamed() throws {
        #expect { _ = try RemoteConnection.actions(from: .map(["actions": .double(0.5)])) } throws: {
            "\($0)" == "remote policy reply: 'actions' is float, expected a numeric array of shape [H, D] or [D]"
        }
        #expect { _ = try RemoteConnection.actions(from: .map(["action": .double(0.5)])) } throws: {
            "\($0)".contains("expected an 'actions' array, got keys")
        }
    }

    /// `--on-policy-error retry` reconnects and resends after a server error; `skip` gives the episode up.
    @Test func retryRecoversFromATransientServerError() throws {
        let obs = Observation(step: 0, instruction: "x", robot: Self.robot(), images: [:], privileged: nil)
        let preset = #"{"prompt_key": "prompt", "constants": {"scale": "0.0001", "fail_once": "1"}}"#
        for mode in [OnPolicyError.retry, .skip] {
            let peer = try Peer("serve", "openpi")
            let url = "ws://127.0.0.1:\(peer.port)"
            try OpenPIClient.waitUntilHealthy(try Endpoint(url), timeout: 30)
            let policy = try RemotePolicy(url: url, configuration: try Self.configuration(preset), onError: mode)
            try policy.reset(Self.context())
            if mode == .retry {
                #expect(try policy.act(obs).count == 1)
            } else {
                #expect { _ = try policy.act(obs) } throws: { "\($0)".contains("RuntimeError: transient failure") }
            }
        }
    }
}
