import Foundation
import Kinematics
import Testing
import TestSupport
import VLMath

/// The WidowX 250s file against the spec's derived checks (simplerenv-tasks.md §6.1, §2.1).
@Suite struct WidowXKinematicsTests {
    let model: URDFModel
    init() throws { model = try RobotFiles.load("widowx_250s") }

    @Test func structureMatchesSpec() throws {
        #expect(model.name == "widowx_250s")
        #expect(model.rootLink == "base_link")
        #expect(model.links.count == 14)
        #expect(model.joints.count == 13)
        let right = try #require(model.joint(named: "right_finger"))
        #expect(right.type == .prismatic)
        #expect(right.mimic?.joint == "left_finger")
        #expect(right.axis == Vec3(0, -1, 0))
        #expect(right.limit?.lower == 0.015 && right.limit?.upper == 0.037)
        #expect(model.link(named: "upper_arm_link")?.inertial?.mass == 0.4308)
        #expect(model.childJoints(of: "ee_arm_link").map(\.name) == ["gripper", "gripper_bar"])
        // Every link with geometry uses primitive boxes for collision (ode-grasping.md §7: no capsules).
        for link in model.links {
            for c in link.collisions {
                guard case .box = c.geometry else { Issue.record("\(link.name) collision is not a box"); continue }
            }
            for v in link.visuals { #expect(v.rgba == [0.15, 0.15, 0.15, 1]) }
        }
    }

    /// §6.1 "Finger geometry": the pad box spans x [−0.0121, 0.0432], z ±0.0145, left y [−0.011, 0.005].
    @Test func fingerPadsMatchSpec() throws {
        for (name, ylo, yhi) in [("left_finger_link", -0.011, 0.005), ("right_finger_link", -0.005, 0.011)] {
            let pad = try #require(model.link(named: name)?.collisions.first)
            guard case .box(let size) = pad.geometry else { Issue.record("pad is not a box"); continue }
            let c = pad.origin.p
            #expect(abs(c.x - size.x / 2 - -0.0121) < 1e-12 && abs(c.x + size.x / 2 - 0.0432) < 1e-12)
            #expect(abs(c.y - size.y / 2 - ylo) < 1e-12 && abs(c.y + size.y / 2 - yhi) < 1e-12)
            #expect(abs(c.z - size.z / 2 - -0.0145) < 1e-12 && abs(c.z + size.z / 2 - 0.0145) < 1e-12)
        }
        // Inner-face gap 2·(q − 0.011): 52 mm fully open.
        let poses = KinematicTree(model).linkPoses(["left_finger": 0.037])
        let left = poses["left_finger_link"]!.apply(Vec3(0, -0.011, 0))
        let right = poses["right_finger_link"]!.apply(Vec3(0, 0.011, 0))
        #expect(abs((left - right).norm - 0.052) < 1e-12)
    }

    @Test func tcpAtZeroConfiguration() throws {
        let chain = try KinematicChain(model: model, base: "base_link", tip: "ee_gripper_link")
        #expect(chain.jointNames == RobotFiles.widowxArm)
        let tcp = chain.forward([Double](repeating: 0, count: 6))
        #expect((tcp.p - Vec3(0.458325, 0, 0.36065)).norm < 1e-12)
        #expect(quatDistance(tcp.q, .identity) < 1e-12)
        let tree = KinematicTree(model).linkPoses([:])
        #expect((tree["ee_gripper_link"]!.p - tcp.p).norm < 1e-12)
    }

    /// §2.1 derived initial end-effector poses (4-digit precision in the spec).
    @Test(arguments: [
        ([-0.01840777, 0.0398835, 0.22242722, -0.00460194, 1.36524296, 0.00153398],
         Vec3(0.2921, -0.0061, 0.1353), Quat(w: 0.6867, x: 0.0053, y: 0.7269, z: -0.0081) as Quat?),
        ([-0.2600599, -0.12875618, 0.04461369, -0.00652761, 1.7033415, -0.26983038],
         Vec3(0.2497, -0.0675, 0.2276), nil),
    ])
    func tcpAtInitialConfigurations(q: [Double], p: Vec3, rotation: Quat?) throws {
        let chain = try KinematicChain(model: model, base: "base_link", tip: "ee_gripper_link")
        let tcp = chain.forward(q)
        #expect((tcp.p - p).norm < 1e-4, "TCP \(tcp.p) vs spec \(p)")
        if let rotation { #expect(quatDistance(tcp.q, rotation) < 2e-4, "TCP rotation \(tcp.q.array)") }
    }
}
