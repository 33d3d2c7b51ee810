import Foundation
import Kinematics
import Testing
import TestSupport
import VLMath

/// The Google Robot file against the spec's derived checks (simplerenv-tasks.md §6.2, §3.1, §3.2).
@Suite struct GoogleRobotKinematicsTests {
    let model: URDFModel
    let tree: KinematicTree
    /// §3.1 initial qpos, in the order of `RobotFiles.googleQpos`.
    static let initialQpos = [-0.2639457174606611, 0.0831913360274175, 0.5017611504652179, 1.156859026208673,
                              0.028583671314766423, 1.592598203487462, -1.080652960128774, 0, 0, -0.00285961,
                              0.7851361]
    static var initial: [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(RobotFiles.googleQpos, initialQpos))
    }

    init() throws {
        model = try RobotFiles.load("google_robot")
        tree = KinematicTree(model)
    }

    @Test func structureMatchesSpec() throws {
        #expect(model.rootLink == "link_base")
        let movable = model.joints.filter { $0.type.isMovable }.map(\.name)
        #expect(Set(movable) == Set(RobotFiles.googleQpos))
        #expect(model.joint(named: "joint_finger_left")?.mimic?.joint == "joint_finger_right")
        #expect(model.link(named: "link_base")?.inertial?.origin.p == Vec3(-0.1425, 0.0023, 0.1301))
        for link in model.links {
            for c in link.collisions {
                guard case .box = c.geometry else { Issue.record("\(link.name) collision is not a box"); continue }
            }
        }
        let chain = try KinematicChain(model: model, base: "link_base", tip: "link_gripper_tcp")
        #expect(chain.jointNames == Array(RobotFiles.googleQpos.prefix(7)))
    }

    @Test func tcpAtZeroConfiguration() throws {
        let p = tree.linkPoses([:])["link_gripper_tcp"]!.p
        #expect((p - Vec3(0.0043, -0.3281, 1.7451)).norm < 1e-4, "\(p)")
    }

    @Test func tcpAtInitialConfiguration() throws {
        let tcp = tree.linkPoses(Self.initial)["link_gripper_tcp"]!
        #expect((tcp.p - Vec3(0.4394, -0.2184, 0.9619)).norm < 1e-4, "\(tcp.p)")
        #expect(quatDistance(tcp.q, Quat(w: 0.1601, x: -0.6039, y: 0.7802, z: -0.0325)) < 2e-4, "\(tcp.q.array)")
        // World pose for the coke-can base pose (§3.1): base (0.35, 0.20, 0.07905), yaw π.
        let base = Pose(p: Vec3(0.35, 0.20, 0.07905), q: Quat(w: 0, x: 0, y: 0, z: 1))
        let world = tree.linkPoses(Self.initial, base: base)["link_gripper_tcp"]!.p
        #expect((world - Vec3(-0.089, 0.418, 1.041)).norm < 1e-3, "\(world)")
    }

    /// §3.2: the SAPIEN camera sits on link_camera with local quaternion (0.5, 0.5, −0.5, 0.5) and looks along its x.
    @Test func headCameraAtInitialConfiguration() throws {
        let base = Pose(p: Vec3(0.35, 0.20, 0.07905), q: Quat(w: 0, x: 0, y: 0, z: 1))
        let mount = Pose(q: Quat(w: 0.5, x: 0.5, y: -0.5, z: 0.5))
        let cam = tree.linkPoses(Self.initial)["link_camera"]! * mount
        #expect((cam.p - Vec3(0.146, -0.0004, 1.213)).norm < 1e-3, "\(cam.p)")
        #expect((cam.q.act(.unitX) - Vec3(0.707, -0.002, -0.707)).norm < 2e-3)
        let opencv = tree.linkPoses(Self.initial, base: base)["link_camera"]!
        #expect((opencv.p - Vec3(0.204, 0.200, 1.292)).norm < 1e-3, "\(opencv.p)")
        #expect((opencv.q.act(.unitX) - Vec3(0.0029, 1.0, 0.0)).norm < 2e-3)
        #expect((opencv.q.act(.unitY) - Vec3(0.7069, -0.002, -0.7073)).norm < 2e-3)
        #expect((opencv.q.act(.unitZ) - Vec3(-0.7073, 0.002, -0.7069)).norm < 2e-3)
    }

    /// §6.2 "Finger closure": nail centres in the link_gripper frame at y = ±0.109 (open), ±0.049 (0.65),
    /// ∓0.021 (1.3), which checks the finger, tip and nail frames together with the mimic coupling.
    @Test(arguments: [(0.0, 0.109), (0.65, 0.049), (1.3, -0.021)])
    func fingerClosure(q: Double, y: Double) throws {
        let poses = tree.linkPoses(["joint_finger_right": q])
        let palm = poses["link_gripper"]!.inverse
        let left = (palm * poses["link_finger_nail_left"]!).p, right = (palm * poses["link_finger_nail_right"]!).p
        #expect(abs(left.y - y) < 1.5e-3, "left nail \(left)")
        #expect(abs(right.y + y) < 1.5e-3, "right nail \(right)")
    }
}
