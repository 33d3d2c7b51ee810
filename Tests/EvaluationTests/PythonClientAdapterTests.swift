import Engine
import Foundation
import Testing
import TestSupport
import Policies

/// The installed Python client (clients/python, `pip install`ed into the test venv by scripts/setup-test-venv.sh)
/// serving the two policy interfaces users already have, closed-loop against `vlaser-eval sim`:
/// a SimplerEnv-style policy class (`reset(task_description)` / `step(image) -> (raw_action, action)`) over openpi
/// `ws://`, and a RoboTwin-style `deploy_policy.py` + `deploy_policy.yml` over RoboTwin `tcp://`. There is no
/// RoboTwin suite yet, so the RoboTwin-style module drives a WidowX task with 7-D actions. Both toy policies (written
/// here) replay the scripted expert's recorded episodes, one per reset, so the run must reproduce the scripted run
/// exactly — which needs exactly one reset per episode, the right step counter and float64 actions end to end.
@Suite(.serialized) struct PythonClientAdapterTests {
    static let task = "widowx_carrot_on_plate"
    static let episodes = [5, 13]
    static let base = ["sim", "--task", task, "--episodes", episodes.map(String.init).joined(separator: ","), "--workers", "1"]

    /// The scripted run both toys replay, and its per-episode action files in run order.
    static let scripted: Result<(dir: URL, files: [String]), Error> = Result {
        let dir = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(base + ["--policy", "scripted", "--out", dir.path])
        guard r.status == 0 else { throw PeerError.didNotStart("scripted run: \(r.stderr)") }
        let files = episodes.map { ActionLog.path(runDirectory: dir, task: task, episodeID: EpisodeKey(suite: "widowx", task: task, index: $0).id).path }
        return (dir, files)
    }

    /// Runs `sim` against `url`, then checks it reproduced the scripted run and that the toy logged one reset per
    /// episode with the task's instruction.
    static func expectScriptedRunReproduced(url: String, preset: String, log: URL) throws {
        let ref = try scripted.get()
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(base + ["--policy", url, "--policy-preset", preset, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try RemoteClosedLoopTests.records(out) == RemoteClosedLoopTests.records(ref.dir))
        #expect(try RemoteClosedLoopTests.records(out).allSatisfy { $0.contains(#""success":true"#) })
        for (index, file) in ref.files.enumerated() {
            let id = EpisodeKey(suite: "widowx", task: task, index: episodes[index]).id
            #expect(try String(contentsOfFile: file, encoding: .utf8)
                    == String(contentsOf: ActionLog.path(runDirectory: out, task: task, episodeID: id), encoding: .utf8))
        }
        let resets = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(resets.count == episodes.count, "\(resets)")
        #expect(resets.allSatisfy { $0.contains("carrot") }, "\(resets)")
    }

    @Test func simplerEnvPolicyClassOverOpenPI() throws {
        let ref = try Self.scripted.get()
        let dir = try TestSupport.makeTempDir()
        let log = dir.appendingPathComponent("resets.log")
        let module = dir.appendingPathComponent("toy_simpler.py")
        try """
            import json
            import numpy as np


            class ReplayingInference:
                \"\"\"SimplerEnv's policy interface; replays the next recorded episode after each reset.\"\"\"

                def __init__(self, episodes, log):
                    self.episodes, self.log = list(episodes), log

                def reset(self, task_description):
                    with open(self.episodes.pop(0)) as f:
                        self.actions = [json.loads(line)["action"] for line in f if line.strip()]
                    self.t = 0
                    with open(self.log, "a") as f:
                        f.write(json.dumps(task_description) + "\\n")

                def step(self, image, task_description=None):
                    assert image.dtype == np.uint8 and image.shape == (480, 640, 3), (image.dtype, image.shape)
                    a = np.asarray(self.actions[min(self.t, len(self.actions) - 1)], dtype=np.float64)
                    self.t += 1
                    raw = {"world_vector": a[:3], "rotation_delta": a[3:6], "open_gripper": a[6:]}
                    return raw, {"world_vector": a[:3], "rot_axangle": a[3:6], "gripper": a[6:], "terminate_episode": np.zeros(1)}
            """.write(to: module, atomically: true, encoding: .utf8)
        let episodesJSON = String(decoding: try JSONSerialization.data(withJSONObject: ref.files), as: UTF8.self)
        let server = try Peer(referenceServer: ["--protocol", "openpi", "--port", "0", "--simplerenv", "\(module.path):ReplayingInference",
                                                "--arg", "episodes=\(episodesJSON)", "--arg", "log=\(log.path)"])
        try Self.expectScriptedRunReproduced(url: "ws://127.0.0.1:\(server.port)", preset: "simplerenv-widowx", log: log)
    }

    @Test func roboTwinDeployPolicyOverTCP() throws {
        let ref = try Self.scripted.get()
        let dir = try TestSupport.makeTempDir()
        let policy = dir.appendingPathComponent("ToyPolicy")
        try FileManager.default.createDirectory(at: policy, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("resets.log")
        try """
            import json
            import numpy as np


            class Model:
                def __init__(self, usr_args):
                    self.episodes, self.chunk, self.log = list(usr_args["episodes"]), usr_args["chunk"], usr_args["log"]


            def get_model(usr_args):
                return Model(usr_args)


            def reset_model(model):
                with open(model.episodes.pop(0)) as f:
                    model.actions = [json.loads(line)["action"] for line in f if line.strip()]
                model.instruction = None


            def eval(TASK_ENV, model, observation):
                assert observation["observation"]["image"]["rgb"].shape == (480, 640, 3)
                if model.instruction is None:
                    model.instruction = TASK_ENV.get_instruction()
                    with open(model.log, "a") as f:
                        f.write(json.dumps(model.instruction) + "\\n")
                for _ in range(model.chunk):
                    TASK_ENV.take_action(model.actions[min(TASK_ENV.take_action_cnt, len(model.actions) - 1)], action_type="ee")
                    observation = TASK_ENV.get_obs()
            """.write(to: policy.appendingPathComponent("deploy_policy.py"), atomically: true, encoding: .utf8)
        try """
            policy_name: ToyPolicy
            chunk: 4
            log: \(log.path)
            episodes:
            \(ref.files.map { "  - \($0)" }.joined(separator: "\n"))
            """.write(to: policy.appendingPathComponent("deploy_policy.yml"), atomically: true, encoding: .utf8)
        // The RoboTwin model-server keys with WidowX's camera: 4-action chunks, all executed.
        let preset = dir.appendingPathComponent("robotwin-style-widowx.json")
        try Data(#"""
            {"images": [{"key": "image", "camera": "3rd_view_camera", "width": 640, "height": 480}], "prompt_key": "prompt",
             "harness_key": true, "execute": 4, "command": "get_action", "reset_command": "reset", "action_dim": 7}
            """#.utf8).write(to: preset)
        let server = try Peer(referenceServer: ["--protocol", "tcp", "--port", "0", "--robotwin", policy.path])
        try Self.expectScriptedRunReproduced(url: "tcp://127.0.0.1:\(server.port)", preset: preset.path, log: log)
    }

    /// Wire compatibility with the real openpi-client and json_numpy, and the boundaries without `__harness__`: a new
    /// websocket connection restarts a one-file replay; over HTTP the counter runs on.
    @Test func realPythonClientsTalkToThePackage() throws {
        let dir = try TestSupport.makeTempDir()
        let file = dir.appendingPathComponent("actions.jsonl")
        try (0..<6).map { #"{"step": \#($0), "action": [\#($0).5, 0, 0, 0, 0, 0, 1]}"# }.joined(separator: "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let ws = try Peer(referenceServer: ["--protocol", "openpi", "--port", "0", "--replay", file.path, "--horizon", "2"])
        let http = try Peer(referenceServer: ["--protocol", "http", "--port", "0", "--replay", file.path, "--horizon", "2"])
        let out = try TestSupport.python("""
            import json, urllib.request, json_numpy, numpy as np
            from openpi_client.websocket_client_policy import WebsocketClientPolicy
            firsts = []
            for _ in range(2):
                c = WebsocketClientPolicy("127.0.0.1", \(ws.port))
                firsts += [c.infer({"prompt": "x", "image": np.zeros((4, 4, 3), np.uint8)})["actions"][:, 0].tolist() for _ in range(2)]
            for _ in range(2):
                body = json_numpy.dumps({"instruction": "x", "image": np.zeros((4, 4, 3), np.uint8)}).encode()
                reply = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:\(http.port)/act", body)).read()
                firsts.append(json_numpy.loads(reply)[:, 0].tolist())
            print(json.dumps(firsts))
            """)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines)
                == "[[0.5, 1.5], [2.5, 3.5], [0.5, 1.5], [2.5, 3.5], [0.5, 1.5], [2.5, 3.5]]")
    }
}
