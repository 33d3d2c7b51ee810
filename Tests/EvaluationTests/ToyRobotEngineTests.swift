import Engine
import Evaluation
import Foundation
import Kinematics
import Sim
import Testing
import TestSupport
import VLMath

/// A third robot defined only in a test's data directory — two 6-joint arms with two-finger grippers, a 14-D
/// absolute joint action (`joint_position_move`), a reaching predicate latched at the first physics sub-step where
/// it holds (`termination: first_success`) — runs through the same engine and CLI as the SimplerEnv suites. This
/// is the proof that a bimanual suite (RoboTwin) fits without new loop code.
@Suite(.serialized) struct ToyRobotEngineTests {
    /// The joint targets the test sends: each arm folds forward; the right TCP then lies in the success box.
    static let target: [Double] = [0.3, 0.6, -0.9, 0.2, 0.4, 0.1]

    static func scenes(termination: String = "first_success", maxSteps: Int = 4) throws -> URL {
        let root = try TestSupport.makeTempDir().appendingPathComponent("scenes")
        for d in ["robots", "setups", "stages", "tasks"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(d), withIntermediateDirectories: true)
        }
        try ToyRobot.urdf.write(to: root.appendingPathComponent("robots/toy_bimanual.urdf"), atomically: true, encoding: .utf8)
        try ToyRobot.setup.write(to: root.appendingPathComponent("setups/toy_bimanual.json"), atomically: true, encoding: .utf8)
        try ToyRobot.stage.write(to: root.appendingPathComponent("stages/toy_floor.json"), atomically: true, encoding: .utf8)
        // The success box: 2 cm around the right TCP at `target`, from the URDF's own kinematics.
        let model = try URDFModel.load(contentsOf: root.appendingPathComponent("robots/toy_bimanual.urdf"))
        let chain = try KinematicChain(model: model, base: model.rootLink, tip: "right_tcp")
        let p = chain.forward(target).p
        try ToyRobot.task(tcp: p, termination: termination, maxSteps: maxSteps)
            .write(to: root.appendingPathComponent("tasks/toy_reach.json"), atomically: true, encoding: .utf8)
        return root
    }

    /// One replay file with the given actions, one per line.
    static func replay(_ actions: [[Double]]) throws -> URL {
        let url = try TestSupport.makeTempDir().appendingPathComponent("actions.jsonl")
        let lines = actions.enumerated().map { "{\"step\":\($0.offset),\"action\":[\($0.element.map { "\($0)" }.joined(separator: ","))]}" }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func records(_ dir: URL) throws -> [[String: Any]] {
        try String(contentsOf: dir.appendingPathComponent("episodes.jsonl"), encoding: .utf8).split(separator: "\n")
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Runs the toy task with one replayed action and returns its record.
    static func runOnce(termination: String, maxSteps: Int, actions: [[Double]]) throws -> (record: [String: Any], out: URL) {
        let scenes = try Self.scenes(termination: termination, maxSteps: maxSteps)
        let out = try TestSupport.makeTempDir().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", "toy", "--scenes", scenes.path, "--out", out.path,
                                     "--policy", "replay:" + (try Self.replay(actions)).path])
        #expect(r.status == 0, "\(r.stderr)")
        return (try #require(try Self.records(out).first), out)
    }

    @Test func bimanualJointActionsEndAtTheFirstSuccessfulSubStep() throws {
        let action = Self.target + [1.0] + Self.target + [0.0]  // left arm, left gripper open; right arm, right closed
        let latched = try Self.runOnce(termination: "first_success", maxSteps: 4, actions: [action, action])
        #expect(latched.record["status"] as? String == "ok", "\(latched.record)")
        #expect(latched.record["success"] as? Bool == true)
        #expect(latched.record["steps"] as? Int == 1)
        // The whole first action, read at its end as SimplerEnv does: also a success, but later in simulated time —
        // the latched run stopped at the sub-step the TCP entered the box, before the move had finished.
        let whole = try Self.runOnce(termination: "final_step", maxSteps: 1, actions: [action])
        #expect(whole.record["success"] as? Bool == true && whole.record["steps"] as? Int == 1, "\(whole.record)")
        let tLatched = try #require(latched.record["sim_time_s"] as? Double), tWhole = try #require(whole.record["sim_time_s"] as? Double)
        #expect(tLatched < tWhole, "latched at \(tLatched) s, whole action \(tWhole) s")
        // The move lasts the rest-to-rest time of the largest joint change at 1 rad/s and 1 rad/s²: the latch fell
        // inside it (not before the action started).
        let move = JointMoveTiming.duration(of: Self.target.map(abs).max()!)
        #expect(tLatched > tWhole - move - 0.004, "latched at \(tLatched) s, move from \(tWhole - move) s")
        // The executed action is the 14-D one, recorded as the engine ran it.
        let log = try String(contentsOf: latched.out.appendingPathComponent("actions/toy_reach/toy__toy_reach__base__0__0.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1 && log.contains("0.6,-0.9"))
    }

    @Test func withoutALatchTheSameEpisodeRunsItsWholeBudget() throws {
        let action = Self.target + [1.0] + Self.target + [0.0]
        let rec = try Self.runOnce(termination: "final_step", maxSteps: 3, actions: [action, action, action]).record
        #expect(rec["steps"] as? Int == 3 && rec["success"] as? Bool == true, "\(rec)")
    }

    @Test func zeroAndRandomPoliciesUseTheActionSpaceAndFail() throws {
        let scenes = try Self.scenes()
        for policy in ["zero", "random"] {
            let out = try TestSupport.makeTempDir().appendingPathComponent("run")
            let r = try TestSupport.cli(["sim", "--suite", "toy", "--scenes", scenes.path, "--out", out.path, "--policy", policy])
            #expect(r.status == 0, "\(r.stderr)")
            let rec = try #require(try Self.records(out).first)
            #expect(rec["status"] as? String == "ok" && rec["success"] as? Bool == false && rec["steps"] as? Int == 4, "\(policy): \(rec)")
        }
    }

    @Test func aSevenNumberActionIsRejectedByTheActionSpace() throws {
        let scenes = try Self.scenes()
        let out = try TestSupport.makeTempDir().appendingPathComponent("run")
        _ = try TestSupport.cli(["sim", "--suite", "toy", "--scenes", scenes.path, "--out", out.path,
                                 "--policy", "replay:" + (try Self.replay([[0, 0, 0, 0, 0, 0, 1]])).path])
        let rec = try #require(try Self.records(out).first)
        #expect(rec["status"] as? String == "error")
        #expect((rec["error"] as? String)?.contains("expected 14 numbers per action, got 7 (joint_position: [left_j1") == true, "\(rec)")
    }

    @Test func theSetUpMustDeclareAsManyActionEntriesAsTheControllerReads() throws {
        let scenes = try Self.scenes()
        let url = scenes.appendingPathComponent("setups/toy_bimanual.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let last = #", {"name": "right_gripper", "unit": "1", "bounds": [0, 1], "random": {"low": 0, "high": 1}}"#
        #expect(text.contains(last))
        try text.replacingOccurrences(of: last, with: "").write(to: url, atomically: true, encoding: .utf8)
        let r = try TestSupport.cli(["sim", "--suite", "toy", "--scenes", scenes.path, "--out",
                                     try TestSupport.makeTempDir().appendingPathComponent("run").path, "--policy", "zero"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("toy_bimanual.json: field 'action_space.entries': declares 13 entries, the joint_position_move controller reads 14"), "\(r.stderr)")
    }
}

/// The rest-to-rest timing the toy set-up's `motion` block asks for (1 rad/s, 1 rad/s²), for the latch check.
enum JointMoveTiming {
    static func duration(of d: Double, velocity v: Double = 1, acceleration a: Double = 1) -> Double {
        d >= v * v / a ? d / v + v / a : 2 * (d / a).squareRoot()
    }
}
