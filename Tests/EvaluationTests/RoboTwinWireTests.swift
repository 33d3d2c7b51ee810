import Foundation
import Testing
import TestSupport

/// The RoboTwin suite closed-loop over RoboTwin's `tcp://` model-server framing: the reference server of
/// clients/python (`--robotwin`) serves a `deploy_policy.py` written like RoboTwin's pi0 adapter (head, right and
/// left wrist RGB from `observation["observation"][cam]["rgb"]`, the state from `observation["joint_action"]
/// ["vector"]`), driven through the `robotwin-pi0` preset. The policy moves both joint-1s a little per action and
/// steps the left gripper down, so each request's `joint_action` must be exactly the previous chunk's last action
/// — RoboTwin reports drive targets and commanded gripper values, not measured joints.
@Suite(.serialized) struct RoboTwinWireTests {
    static let policy = """
        import json
        import numpy as np


        class Model:
            def __init__(self, args):
                self.log, self.step, self.chunk = args["log"], args["step"], args["chunk"]
                self.instruction = None


        def get_model(usr_args):
            return Model(usr_args)


        def reset_model(model):
            model.instruction = None


        def encode_obs(observation):
            o = observation["observation"]
            images = [o["head_camera"]["rgb"], o["right_camera"]["rgb"], o["left_camera"]["rgb"]]
            return images, observation["joint_action"]["vector"]


        def eval(TASK_ENV, model, observation):
            if model.instruction is None:
                model.instruction = TASK_ENV.get_instruction()
            images, state = encode_obs(observation)
            with open(model.log, "a") as f:
                f.write(json.dumps({"shapes": [list(i.shape) for i in images], "dtypes": [str(i.dtype) for i in images],
                                    "state": state.tolist(), "state_dtype": str(state.dtype),
                                    "instruction": model.instruction, "means": [float(i.mean()) for i in images]}) + "\\n")
            for k in range(1, model.chunk + 1):
                a = np.array(state, dtype=np.float64)
                a[0] += k * model.step
                a[7] -= k * model.step
                a[6] = 1.0 - 0.25 * k
                TASK_ENV.take_action(a, action_type="qpos")
                observation = TASK_ENV.get_obs()
        """

    @Test func pi0StyleDeployPolicyReceivesRoboTwinObservations() throws {
        let dir = try TestSupport.makeTempDir()
        let log = dir.appendingPathComponent("requests.jsonl")
        let policy = dir.appendingPathComponent("ToyPi0")
        try FileManager.default.createDirectory(at: policy, withIntermediateDirectories: true)
        try Self.policy.write(to: policy.appendingPathComponent("deploy_policy.py"), atomically: true, encoding: .utf8)
        try "policy_name: ToyPi0\nstep: 0.05\nchunk: 2\nlog: \(log.path)\n"
            .write(to: policy.appendingPathComponent("deploy_policy.yml"), atomically: true, encoding: .utf8)
        // Four actions (two requests) instead of the task's 400.
        let scenes = try TestSupport.editedScenes("tasks/click_bell.json", replacing: #""max_steps": 400"#, with: #""max_steps": 4"#).scenes
        let server = try Peer(referenceServer: ["--protocol", "tcp", "--port", "0", "--robotwin", policy.path])
        let out = dir.appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", "robotwin", "--task", "click_bell", "--episodes", "0", "--scenes", scenes.path, "--out", out.path,
                                     "--policy", "tcp://127.0.0.1:\(server.port)", "--policy-preset", "robotwin-pi0"])
        #expect(r.status == 0, "\(r.stderr)")
        let record = try String(contentsOf: out.appendingPathComponent("episodes.jsonl"), encoding: .utf8)
        #expect(record.contains(#""status":"ok""#) && record.contains(#""steps":4"#), "\(record)")

        let requests = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        try #require(requests.count == 2, "\(requests.count) requests")
        for q in requests {
            #expect(q["shapes"] as? [[Int]] == [[240, 320, 3], [240, 320, 3], [240, 320, 3]])
            #expect(q["dtypes"] as? [String] == ["uint8", "uint8", "uint8"] && q["state_dtype"] as? String == "float64")
            #expect((q["instruction"] as? String)?.contains("bell") == true, "\(q["instruction"] ?? "")")
            #expect((q["means"] as? [Double])?.allSatisfy { $0 > 10 } == true, "images are blank: \(q["means"] ?? "")")
        }
        let home: [Double] = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]
        var last = home
        last[0] = 0.1; last[7] = -0.1; last[6] = 0.5  // the first chunk's second action
        for (q, want) in zip(requests, [home, last]) {
            let state = try #require(q["state"] as? [Double])
            #expect(state.count == 14 && zip(state, want).allSatisfy { abs($0 - $1) < 1e-12 }, "joint_action \(state), want \(want)")
        }
    }
}

/// RoboTwin observation data that cannot work stops the run before episode 0, in one line.
@Suite struct RoboTwinBadInputTests {
    @Test func endposeRotationMustBeARotation() throws {
        let edited = try TestSupport.editedScenes("setups/aloha_agilex.json", replacing: #""endpose_rotation": [1, 0, 0, 0, -1, 0, 0, 0, -1]"#,
                                                  with: #""endpose_rotation": [1, 0, 0, 0, -1, 0, 0, 0]"#)
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--suite", "robotwin", "--task", "click_bell", "--episodes", "0", "--policy", "zero",
                                     "--scenes", edited.scenes.path, "--out", out.path])
        BadInputTests.expectOneLineError(r, "aloha_agilex.json: field 'controller.arms.left.endpose_rotation': must be 9 numbers, a row-major rotation matrix", "endpose_rotation")
    }

    @Test func jointActionNeedsAControllerWithDriveTargets() throws {
        let dir = try TestSupport.makeTempDir()
        let preset = dir.appendingPathComponent("preset.json")
        try Data(#"{"state": {"key": "joint_action", "components": ["joint_action"]}, "action_dim": 7}"#.utf8).write(to: preset)
        let r = try TestSupport.cli(["sim", "--task", "widowx_carrot_on_plate", "--episodes", "0", "--policy", "ws://127.0.0.1:9",
                                     "--policy-preset", preset.path, "--out", dir.appendingPathComponent("run").path])
        BadInputTests.expectOneLineError(r, "state component 'joint_action' but robot widowx_flat_table's controller (ee_target_delta_pose_align2) keeps no drive targets", "joint_action on WidowX")
    }
}
