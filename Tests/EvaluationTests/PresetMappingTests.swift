import Engine
import Evaluation
import Foundation
import Testing
import TestSupport
import VLMath
@testable import Policies
import PolicyTransport
import Sim

/// Every built-in preset on an observation recorded from the simulator (the reset state of one task per robot, images
/// rendered at the preset's sizes): the keys and image shapes it sends, its state vector against transforms3d, and
/// the actions it executes for a canned server reply, per the policy's SimplerEnv adapter named in its `_source`.
@Suite(.serialized) struct PresetMappingTests {
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")
    static let robots = ["widowx_carrot_on_plate", "google_pick_coke_can_horizontal"]

    /// What each preset must execute for the canned reply rows (translation 0.01, −0.02, 0.03; roll/pitch/yaw 0.1,
    /// −0.2, 0.3; gripper values below): the gripper column, per the policy's SimplerEnv code.
    static let cannedGripper: [String: [Double]] = ["rt1x-bridge": [-1, 1, 1], "rt1x-fractal": [0.005, 0.5, -0.8]]
    static let expectedGripper: [String: [Double]] = [
        // Bridge: open > 0.5 → +1 else −1 (openvla, octo, spatialvla, cogact, open-pi-zero models); RT-1 negates closedness.
        "openvla-bridge": [1, -1, -1], "octo-bridge": [1, -1, -1], "spatialvla-bridge": [1, -1, -1], "cogact-bridge": [1, -1, -1],
        "pi0-openpizero-bridge": [1, -1, -1], "vlaser-simpler-widowx": [1, -1, -1], "rt1x-bridge": [1, -1, -1],
        // Google: relative to the previous openness, latched (Octo/OpenVLA/SpatialVLA/CogACT) …
        "openvla-fractal": [0, 1, 1], "octo-fractal": [0, 1, 1], "spatialvla-fractal": [0, 1, 1], "cogact-fractal": [0, 1, 1],
        // … 1 − 2·openness, latched (open-pi-zero / Vlaser) …
        "pi0-openpizero-fractal": [-1, -1, -1], "vlaser-simpler-google": [-1, -1, -1],
        // … RT-1: its own relative command, below 0.01 zeroed.
        "rt1x-fractal": [0, 0.5, -0.8],
        // SimplerEnv policy classes post-process their gripper themselves: passed through.
        "simplerenv-widowx": [1, 0, 0], "simplerenv-google": [1, 0, 0],
    ]

    struct Recorded { let assets: TaskAssets; let episode: Episode }

    static func record(_ task: String) throws -> Recorded {
        let assets = try TaskAssets(task: task, root: scenes)
        return Recorded(assets: assets, episode: try TestSupport.withODE { try Episode(assets: assets, index: 0) })
    }

    /// The state components computed by transforms3d from the recorded TCP rotation matrix.
    static func oracle(_ r: RobotState) throws -> [String: [Double]] {
        let m = Mat3(r.tcpPose.q)
        let rows = (0..<3).map { i in (0..<3).map { m[i, $0] } }
        let out = try TestSupport.python("""
            import json, numpy as np
            from transforms3d.euler import mat2euler
            from transforms3d.quaternions import mat2quat
            from transforms3d.axangles import mat2axangle
            R = np.array(\(rows))
            D = np.array([[0, 0, 1.0], [0, 1.0, 0], [-1.0, 0, 0]])
            q = mat2quat(R)
            ax, a = mat2axangle(R)
            print(json.dumps({"ee_rpy": list(mat2euler(R)), "ee_rpy_topdown": list(mat2euler(R @ D.T)),
                              "ee_quat_wxyz": list(q), "ee_quat_xyzw": list(np.roll(q, -1)), "ee_axis_angle": list(ax * a)}))
            """)
        var c = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [Double]])
        c["ee_pos"] = [r.tcpPose.p.x, r.tcpPose.p.y, r.tcpPose.p.z]
        c["gripper_open"] = [r.gripperOpening]
        c["gripper_closed"] = [1 - r.gripperOpening]
        c["joints"] = r.jointPositions
        c["arm_joints"] = Array(r.jointPositions.prefix(r.armJointCount))
        c["gripper_joints"] = Array(r.jointPositions.dropFirst(r.armJointCount))
        return c
    }

    @Test(arguments: robots)
    func everyFittingPresetMapsTheRecordedObservation(_ task: String) throws {
        let rec = try Self.record(task)
        let state = rec.episode.robotState()
        let oracle = try Self.oracle(state)
        let renderers = RendererCache(overlays: false, explicitOverlay: nil, assetRoot: nil)
        let context = EpisodeContext(episodeID: "\(rec.assets.task.suite)/\(task)/base/0/2", suite: rec.assets.task.suite, task: task,
                                     seed: 77, trial: 2, instruction: rec.episode.instruction, maxSteps: 80, controlFrequency: 3)
        var checked: [String] = []
        for name in RemotePolicyConfiguration.presetNames(scenesRoot: Self.scenes) {
            let c = try RemotePolicyConfiguration.load(name, scenesRoot: Self.scenes)
            guard c.mismatch(with: rec.assets) == nil else { continue }
            checked.append(name)
            let policy = try RemotePolicy(url: "ws://127.0.0.1:1", configuration: c, presetName: name)
            let views = try TestSupport.withODE { try renderers.renderer(for: rec.episode).images(rec.episode, spec: policy.observationSpec) }
            let request = try RemoteObservationMapping(c).request(rec.episode.observe(policy.observationSpec, instruction: rec.episode.instruction,
                                                                                      views: views), episode: context)
            var keys = Set(c.images.map(\.key)).union(c.constants?.keys ?? [:].keys)
            if let s = c.state { keys.insert(s.key) }
            if let p = c.promptKey { keys.insert(p); #expect(request[p] == .string(rec.episode.instruction)) }
            if c.harnessKey == true {
                keys.insert("__harness__")
                #expect(request["__harness__"]?.map?["seed"] == .int(77) && request["__harness__"]?.map?["trial"] == .int(2), "\(name)")
            }
            #expect(Set(request.stringKeys) == keys, "\(name): \(request.stringKeys)")
            for im in c.images {
                #expect(request[im.key]?.ndarray?.shape == [im.height, im.width, 3] && request[im.key]?.ndarray?.dtype == .uint8, "\(name)")
            }
            if let s = c.state {
                let want = try s.components.flatMap { try #require(oracle[$0], "\($0)") }
                let got = try #require(request[s.key]?.ndarray?.doubles())
                #expect(got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) < 1e-5 }, "\(name): \(got) vs \(want)")
            }
            if let gripper = Self.expectedGripper[name] { try Self.checkActions(name, c, gripper) }
        }
        #expect(checked.count >= 8, "\(task): \(checked)")
        #expect(Set(Self.expectedGripper.keys).intersection(checked).count == checked.filter { !$0.hasPrefix("openpi-") && $0 != "replay" }.count)
    }

    /// Feeds three executed actions, identical but for the gripper, through the preset's adapters (ensembling is
    /// checked on its own below) and checks translation and gripper.
    static func checkActions(_ name: String, _ c: RemotePolicyConfiguration, _ gripper: [Double]) throws {
        let chain = try ActionAdapterChain(c)
        let g = cannedGripper[name] ?? [1, 0, 0]
        let rt1Bridge = c.adapters.contains { $0.name == "rt1_bridge_rescale" }
        let raw: [Double] = rt1Bridge ? [0.35, -0.7, 1.05, 0.56, -1.12, 1.68] : [0.01, -0.02, 0.03, 0.1, -0.2, 0.3]
        for step in 0..<3 {
            let row = raw + [g[step]]
            let a = try chain.adapt(row)
            #expect(abs(a[6] - gripper[step]) < 1e-12, "\(name) step \(step): gripper \(a[6]), want \(gripper[step])")
            // Translation: Octo un-normalises mean + std·x; RT-1 Bridge rescales [−1.75, 1.75] → [−0.05, 0.05].
            let octo = c.adapters.first { $0.name == "unnormalize" }
            if octo == nil {
                let t = rt1Bridge ? raw.prefix(3).map { $0 / 1.75 * 0.05 } : Array(raw.prefix(3))
                #expect(zip(a.prefix(3), t).allSatisfy { abs($0 - $1) < 1e-12 }, "\(name): \(a)")
            }
        }
    }

    /// The three sticky-gripper rules differ on a slow close (openness 1 → 0.1): Octo/OpenVLA compare with the previous
    /// step (never latches), SpatialVLA/CogACT with the openness at the start or last latch (latches at the third step),
    /// open-pi-zero maps 1 − 2·openness (latches the open command at once).
    @Test func stickyGripperRules() throws {
        let opens: [Double] = [1, 0.7, 0.4, 0.1]
        for (relative, want) in [("change", [0, 0.3, 0.3, 0.3]), ("change_since_latch", [0, 0.3, 0.6, 0.6]), ("openness", [-1, -1, -1, -1.0])] {
            let dir = try TestSupport.makeTempDir()
            let file = dir.appendingPathComponent("p.json")
            try Data(#"{"adapters": [{"name": "google_sticky_gripper", "relative": "\#(relative)", "repeat_steps": 10}]}"#.utf8).write(to: file)
            let chain = try ActionAdapterChain(try RemotePolicyConfiguration.load(file.path, scenesRoot: Self.scenes))
            let got = try opens.map { try chain.adapt([0, 0, 0, 0, 0, 0, $0])[6] }
            #expect(zip(got, want).allSatisfy { abs($0 - $1) < 1e-12 }, "\(relative): \(got)")
        }
    }

    /// Weighted ensembling against SimplerEnv's formulas in numpy: exponential weights exp(−T·i) over the predictions
    /// for this step, oldest first (SpatialVLA T = −0.8), and CogACT's exp(α·cos) over a 2-prediction window.
    @Test func weightedEnsemblingMatchesSimplerEnv() throws {
        func value(_ s: Int, _ h: Int, _ d: Int) -> Double { sin(Double(7 * s + 3 * h + d)) }
        let chunks: [[[Double]]] = (0..<4).map { s in (0..<4).map { h in (0..<7).map { d in value(s, h, d) } } }
        let out = try TestSupport.python("""
            import numpy as np
            chunks = np.array(\(chunks))
            exp_out, ada_out = [], []
            for step in range(4):
                preds = np.stack([chunks[s][step - s] for s in range(max(0, step - 3), step + 1)])
                w = np.exp(0.8 * np.arange(len(preds))); exp_out.append((w[:, None] * preds).sum(0) / w.sum())
                p2 = preds[-2:]
                cos = (p2 @ p2[-1]) / (np.linalg.norm(p2, axis=1) * np.linalg.norm(p2[-1]) + 1e-7)
                w2 = np.exp(0.1 * cos); ada_out.append((w2[:, None] * p2).sum(0) / w2.sum())
            print(*np.concatenate(exp_out + ada_out))
            """).split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        var exponential = RemotePolicyConfiguration.Ensemble(), adaptive = RemotePolicyConfiguration.Ensemble()
        exponential.temperature = -0.8
        adaptive.weights = "adaptive"; adaptive.alpha = 0.1; adaptive.window = 2
        let e = ActionEnsembler(exponential), a = ActionEnsembler(adaptive)
        for step in 0..<4 {
            let ge = try e.action(predicted: chunks[step], at: step), ga = try a.action(predicted: chunks[step], at: step)
            for d in 0..<7 {
                #expect(abs(ge[d] - out[7 * step + d]) < 1e-12 && abs(ga[d] - out[28 + 7 * step + d]) < 1e-12, "step \(step)")
            }
        }
    }

    /// An empty preset file is one clear error (fuzz/scenes seed `regression-empty-preset`: Foundation's reader
    /// leaked 4 KB on it).
    @Test func emptyPresetFileIsNotJSON() throws {
        let file = try TestSupport.makeTempDir().appendingPathComponent("empty.json")
        try Data().write(to: file)
        let error = try #require(throws: RemotePolicyError.self) { try RemotePolicyConfiguration.load(file.path, scenesRoot: Self.scenes) }
        #expect("\(error)".contains("\(file.path): not valid JSON"), "\(error)")
    }
}
