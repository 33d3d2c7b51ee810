import Foundation
import Testing
import TestSupport

/// Inputs an adversarial probe found crashing the process or accepted silently: each is now one line naming the
/// file, field or value, exit status 2, before any episode runs.
@Suite struct BadInputTests {
    static func expectOneLineError(_ r: TestSupport.ProcessResult, _ text: String, _ label: String) {
        #expect(r.status == 2, "\(label): status \(r.status), \(r.stderr.prefix(300))")
        #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(text), "\(label): \(r.stderr.prefix(500))")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(label): more than one line: \(r.stderr.prefix(500))")
    }

    /// Scene data edited in a copy of scenes/ (file, text, replacement, expected message).
    @Test(arguments: [
        ("setups/widowx_flat_table.json", #""sim_frequency": 500"#, #""sim_frequency": 0"#,
         "widowx_flat_table.json: field 'controller.sim_frequency': must be between control_frequency (5.0) and 10000.0 Hz, got 0.0"),
        ("objects/eggplant.json", #""mass": 0.0215"#, #""mass": 1e300"#, "eggplant.json: field 'mass': must be in [0.001, 1000.0] kg, got 1e+300"),
        // fuzz/scenes: an empty layout centre was read (counting the episodes) before it was checked.
        ("tasks/widowx_carrot_on_plate.json", #""center": ["#, #""center": [], "_old_center": ["#,
         "widowx_carrot_on_plate.json: field 'episodes.layouts.corner_pairs.center': needs [x, y]"),
        // fuzz/scenes: a mass of 5.5e-37 kg made the settling orientation NaN (an ODE assertion).
        ("objects/eggplant.json", #""mass": 0.0215"#, #""mass": 5.5e-37"#, "eggplant.json: field 'mass': must be in [0.001, 1000.0] kg, got 5.5e-37"),
        ("objects/eggplant.json", #""size": [0.0783, 0.0374, 0.038]}]"#, #""size": [0.0783, -0.0374, 0.038]}]"#,
         "eggplant.json: field 'collision[0].size.y': must be in (0, 100.0] m, got -0.0374"),
        ("objects/eggplant.json", #""density": 400"#, #""density": 0"#, "eggplant.json: field 'density': must be in (0, 1000000.0] kg/m³, got 0.0"),
        ("stages/bridge_flat_table.json", "[1.6, 1.6, 0.10]", "[1.6, 1.6, -0.10]", "bridge_flat_table.json: field 'parts[0].primitive.size.z'"),
        ("setups/widowx_flat_table.json", #""waist": -0.01840777"#, #""waist": 1e30"#,
         "widowx_flat_table.json: field 'initial_qpos.waist': 1e+30 is outside the joint's limits"),
        ("setups/widowx_flat_table.json", #""waist": -0.01840777,"#, #""waist": -0.01840777, "wrist_spin": 0,"#,
         "widowx_flat_table.json: field 'initial_qpos.wrist_spin': not a movable joint of robots/widowx_250s.urdf"),
        // Found by fuzz/scenes: a controller joint the URDF lacks, or too few gains, crashed the episode.
        ("setups/widowx_flat_table.json", "\"left_finger\",\n          \"right_finger\"\n        ]", "\"left_finger\",\n          \"thumb\"\n        ]",
         "widowx_flat_table.json: field 'controller.arms.arm.gripper_joints[1]': 'thumb' is not a movable joint of robots/widowx_250s.urdf"),
        ("setups/widowx_flat_table.json", "\"damping\": [\n            200,\n            200\n          ]", "\"damping\": [\n            200\n          ]",
         "widowx_flat_table.json: field 'controller.arms.arm.gripper_gains.damping': needs 2 values (one per joint), got 1"),
        ("robots/widowx_250s.urdf", #"<mass value="0.5387"/>"#, #"<mass value="1e300"/>"#,
         #"widowx_250s.urdf: <link name="base_link"> <inertial> <mass>: attribute 'value' has invalid value '1e300'"#),
    ] as [(String, String, String, String)])
    func badSceneDataStopsTheRun(file: String, old: String, new: String, message: String) throws {
        let edited = try TestSupport.editedScenes(file, replacing: old, with: new)
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--suite", "widowx", "--episodes", "0", "--policy", "zero", "--scenes", edited.scenes.path,
                                     "--out", out.path])
        Self.expectOneLineError(r, message, "\(file): \(new)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("episodes.jsonl").path), "an episode ran")
    }

    /// Remote policy presets (written to a file; the server is never contacted).
    @Test(arguments: [
        (#"{"images": [{"key": "image", "camera": "3rd_view_camera", "width": 100000, "height": 100000}]}"#,
         "field 'images[0]' needs a width and height of 1…4096 pixels, got 100000×100000"),
        (#"{"images": [{"key": "image", "camera": "wrist_camera", "width": 224, "height": 224}]}"#,
         "the policy asks for camera 'wrist_camera', which task widowx_carrot_on_plate's set-up widowx_flat_table does not have"),
        (#"{"request_timeout": -1}"#, "field 'request_timeout' must be in (0, 86400] seconds, got -1.0"),
        (#"{"connect_timeout": 0}"#, "field 'connect_timeout' must be in (0, 86400] seconds, got 0.0"),
        (#"{"max_reply_bytes": 0}"#, "field 'max_reply_bytes' must be ≥ 1, got 0"),
    ] as [(String, String)])
    func badPresetStopsTheRun(json: String, message: String) throws {
        let dir = try TestSupport.makeTempDir()
        let preset = dir.appendingPathComponent("preset.json")
        try Data(json.utf8).write(to: preset)
        let r = try TestSupport.cli(["sim", "--task", "widowx_carrot_on_plate", "--episodes", "0", "--policy", "ws://127.0.0.1:9",
                                     "--policy-preset", preset.path, "--out", dir.appendingPathComponent("run").path])
        Self.expectOneLineError(r, message, json)
    }

    /// Command-line values: huge or repeated episode ranges, values the argument parser rejects, paths.
    @Test func badCommandLinesGiveOneLine() throws {
        let file = try TestSupport.makeTempDir().appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let cases: [([String], String)] = [
            (["sim", "--episodes", "0..9223372036854775807"], "index 9223372036854775807 is outside task widowx_carrot_on_plate's grid 0..23"),
            (["sim", "--episodes", "0..1000000000"], "index 1000000000 is outside"),
            (["sim", "--episodes", "3,3"], "--episodes '3,3': index 3 is given twice"),
            (["sim", "--episodes", "1,,2"], "--episodes '1,,2': expected A..B or a comma list"),
            (["sim", "--workers", "-3"], "'--workers <workers>'"),
            (["sim", "--seed", "x"], "The value 'x' is invalid for '--seed <seed>'"),
            (["sim", "--scenes", "/nonexistent"], "--scenes /nonexistent: not a scenes directory (no tasks/ folder)"),
            (["sim", "--assets", "/nonexistent"], "--assets /nonexistent: no such directory"),
            (["sim", "--out", file.path], "--out \(file.path) is a file, not a directory"),
            (["reason", "--bench", "erqa", "--model", "chance", "--data", "/tmp", "--timeout", "nan"], "--timeout must be a positive number of seconds, not nan"),
            (["reason", "--bench", "erqa", "--model", "chance", "--data", "/tmp", "--timeout", "inf"], "--timeout must be a positive number of seconds, not inf"),
            (["reason", "--bench", "erqa", "--model", "chance", "--data", "/tmp", "--temperature", "nan"], "--temperature must be a number ≥ 0, not nan"),
            (["reason", "--bench", "erqa", "--model", "chance", "--data", "/tmp", "--out", file.path], "--out \(file.path) is a file"),
        ]
        for (args, message) in cases {
            Self.expectOneLineError(try TestSupport.cli(args), message, args.joined(separator: " "))
        }
    }
}
