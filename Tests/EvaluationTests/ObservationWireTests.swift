import Foundation
import Testing
import TestSupport
import VLMath

/// What a policy server receives from `vlaser-eval sim` with the suite's default preset, logged by a real openpi
/// server (fixtures/peers.py `log`, zero actions) and compared with SimplerEnv's definitions: the TCP in the base frame
/// (the initial pose derived in simplerenv-tasks.md §2.1 / §3.1), the quaternion order x, y, z, w with w ≥ 0, the
/// Bridge roll/pitch/yaw relative to the top-down gripper (computed here with transforms3d, open-pi-zero's way), and
/// the gripper: WidowX openness 1 at reset, Google closedness 0 at reset, both moving the right way as the zero-action
/// policy's gripper command closes the fingers.
@Suite(.serialized) struct ObservationWireTests {
    /// Runs one episode against a logging server; returns the logged requests and the episode record.
    static func logged(_ args: [String]) throws -> (requests: [[String: Any]], record: [String: Any], stdout: String) {
        let dir = try TestSupport.makeTempDir()
        let log = dir.appendingPathComponent("requests.jsonl")
        let server = try Peer("log", "openpi", log.path)
        let out = dir.appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--episodes", "0", "--protocol", "physics-only", "--policy", "ws://127.0.0.1:\(server.port)",
                                     "--wait-for-server", "30", "--out", out.path] + args)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        let requests = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("episodes.jsonl"))) as? [String: Any])
        return (requests, record, r.stdout)
    }

    static func vector(_ request: [String: Any], _ key: String) throws -> [Double] {
        let a = try #require(request[key] as? [String: Any])
        return try #require(a["values"] as? [Double])
    }

    static func checkImage(_ request: [String: Any], side: Int) throws {
        let image = try #require(request["image"] as? [String: Any])
        #expect(image["shape"] as? [Int] == [side, side, 3] && image["dtype"] as? String == "|u1")
    }

    @Test func googleRobotDefaultPresetSendsSimplerEnvState() throws {
        let (requests, record, stdout) = try Self.logged(["--suite", "google-robot", "--task", "google_pick_coke_can_horizontal"])
        #expect(stdout.contains("protocol: physics-only"))
        #expect(requests.count == 40)  // 80 steps, 2 executed of each chunk (vlaser-simpler-google)
        let first = try #require(requests.first), last = try #require(requests.last)
        try Self.checkImage(first, side: 448)
        #expect(first["prompt"] as? String == "pick coke can")
        let proprio = try Self.vector(first, "proprio")
        #expect(proprio.count == 8 && (first["proprio"] as? [String: Any])?["dtype"] as? String == "<f4")
        // TCP position and quaternion (x, y, z, w) at reset: simplerenv-tasks.md §3.1, q(wxyz) ≈ (0.1601, −0.6039, 0.7802, −0.0325).
        let expected: [Double] = [0.4394, -0.2184, 0.9619, -0.6039, 0.7802, -0.0325, 0.1601]
        for i in 0..<7 { #expect(abs(proprio[i] - expected[i]) < 4e-3, "proprio[\(i)] = \(proprio[i])") }
        #expect(proprio[6] > 0)  // w ≥ 0, transforms3d mat2quat's sign
        #expect(proprio[7] < 0.02, "gripper closedness at reset (fingers open): \(proprio[7])")
        // Zero actions: openness 0 → relative +1 (close, sticky): the closedness rises.
        #expect(try Self.vector(last, "proprio")[7] > 0.5)
        let harness = try #require(first["__harness__"] as? [String: Any])
        let seed = try #require(record["seed"] as? UInt64)
        #expect(harness["seed"] as? UInt64 == seed && harness["trial"] as? Int == 0 && harness["step"] as? Int == 0)
    }

    @Test func widowXDefaultPresetSendsOpenPiZeroProprio() throws {
        let (requests, record, _) = try Self.logged(["--suite", "widowx", "--task", "widowx_carrot_on_plate"])
        #expect(requests.count == 15)  // 60 steps, 4 executed of each chunk (vlaser-simpler-widowx)
        let first = try #require(requests.first), last = try #require(requests.last)
        try Self.checkImage(first, side: 448)
        let proprio = try Self.vector(first, "proprio")
        #expect(proprio.count == 7)
        // Position (simplerenv-tasks.md §2.1) and the top-down roll/pitch/yaw of the spec's initial TCP rotation,
        // computed as open-pi-zero's BridgeSimplerAdapter does.
        let rpy = try TestSupport.python("""
            import numpy as np
            from transforms3d.euler import mat2euler
            from transforms3d.quaternions import quat2mat
            d = np.array([[0, 0, 1.0], [0, 1.0, 0], [-1.0, 0, 0]])
            print(*mat2euler(quat2mat([0.6867, 0.0053, 0.7269, -0.0081]) @ d.T))
            """).split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        let expected = [0.2921, -0.0061, 0.1353] + rpy
        for i in 0..<6 { #expect(abs(proprio[i] - expected[i]) < 0.01, "proprio[\(i)] = \(proprio[i]), expected \(expected[i])") }
        #expect(proprio[6] > 0.97, "gripper openness at reset (fingers open): \(proprio[6])")
        #expect(try Self.vector(last, "proprio")[6] < 0.5)  // zero actions → g −1 closes
        let seed = try #require(record["seed"] as? UInt64)
        #expect((first["__harness__"] as? [String: Any])?["seed"] as? UInt64 == seed)
    }
}
