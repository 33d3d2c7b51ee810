import Foundation
import Testing
import VLMath
@testable import Sim
import TestSupport

/// What the robot state means, checked against the simulated bodies and SimplerEnv's definitions for both robots:
/// the TCP is the controller's end-effector link in the robot's root-link frame, and the gripper opening
/// (SimplerEnv `eef_pos[7]` = 1 − `get_gripper_closedness()`) is 1 with the fingers apart and falls as they close —
/// the Google fingers close as their joints grow, the WidowX fingers as theirs shrink (the inversion this guards).
@Suite struct ObservationSemanticsTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    struct RobotCase: Sendable, CustomStringConvertible {
        let task: String
        let rootLink: String
        /// Links whose separation is the gripper's physical opening.
        let fingerLinks: (String, String)
        /// A gripper command that closes: WidowX absolute −1, Google relative +1 (simplerenv-tasks.md §2.3, §3.3).
        let close: Double
        /// The initial TCP in the base frame, derived by forward kinematics in simplerenv-tasks.md §2.1 / §3.1:
        /// position and quaternion (w, x, y, z).
        let tcp: Vec3
        let tcpQ: Quat
        var description: String { task }
    }
    static let cases = [
        RobotCase(task: "widowx_carrot_on_plate", rootLink: "base_link", fingerLinks: ("left_finger_link", "right_finger_link"),
                  close: -1, tcp: Vec3(0.2921, -0.0061, 0.1353), tcpQ: Quat(w: 0.6867, x: 0.0053, y: 0.7269, z: -0.0081)),
        RobotCase(task: "google_pick_coke_can_horizontal", rootLink: "link_base",
                  fingerLinks: ("link_finger_nail_left", "link_finger_nail_right"),
                  close: 1, tcp: Vec3(0.4394, -0.2184, 0.9619), tcpQ: Quat(w: 0.1601, x: -0.6039, y: 0.7802, z: -0.0325)),
    ]

    static func separation(_ ep: Episode, _ c: RobotCase) throws -> Double {
        let a = try #require(ep.linkPose(c.fingerLinks.0)), b = try #require(ep.linkPose(c.fingerLinks.1))
        return (a.p - b.p).norm
    }

    @Test(arguments: cases)
    func gripperReadsOpenWhenTheFingersAreApartAndFallsAsTheyClose(_ c: RobotCase) throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: c.task, root: Self.root), index: 0)
            var opening = [ep.robotState().gripperOpening], gap = [try Self.separation(ep, c)]
            #expect(opening[0] > 0.97, "reset: fingers open, state says \(opening[0])")
            for _ in 0..<3 {
                try ep.apply([0, 0, 0, 0, 0, 0, c.close])
                opening.append(ep.robotState().gripperOpening)
                gap.append(try Self.separation(ep, c))
            }
            // The fingers physically close, and the reported opening follows them down.
            #expect(gap.last! < gap[0] - 0.01, "finger gap \(gap)")
            #expect(opening.last! < 0.6 && zip(opening, opening.dropFirst()).allSatisfy { $1 < $0 + 1e-6 }, "opening \(opening)")
        }
    }

    @Test(arguments: cases)
    func tcpIsTheEndEffectorLinkInTheRootLinkFrame(_ c: RobotCase) throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: c.task, root: Self.root)
            let ep = try Episode(assets: assets, index: 0)
            let rootPose = try #require(ep.linkPose(c.rootLink))
            #expect((rootPose.p - ep.basePose.p).norm < 1e-6 && (rootPose.q.conjugate * ep.basePose.q).angle < 1e-6)
            let state = ep.robotState()
            let link = ep.basePose.inverse * (try #require(ep.linkPose(assets.setup.controller.arms[0].eeLink)))
            #expect((state.tcpPose.p - link.p).norm < 1e-6, "FK \(state.tcpPose.p) vs body \(link.p)")
            #expect((state.tcpPose.q.conjugate * link.q).angle < 1e-6)
            // SimplerEnv's initial TCP (spec values to 4 decimals; the settled arm sags by under a millimetre).
            #expect((state.tcpPose.p - c.tcp).norm < 3e-3, "TCP \(state.tcpPose.p), SimplerEnv \(c.tcp)")
            #expect((state.tcpPose.q.conjugate * c.tcpQ.normalized).angle < 0.01, "TCP rotation \(state.tcpPose.q)")
            #expect(state.armJointCount == assets.setup.controller.arms[0].joints.count)
            #expect(Array(state.jointNames.dropFirst(state.armJointCount)) == assets.setup.controller.arms[0].gripperJoints)
        }
    }

    @Test func closednessIsLinearBetweenTheDataEndsAndFlooredAtZero() throws {
        let google = GripperClosedness(open: 0, closed: 1.3), widowx = GripperClosedness(open: 0.037, closed: 0.015)
        #expect(google.closedness([0, 0]) == 0 && abs(google.closedness([0.65, 1.3]) - 0.75) < 1e-12)
        #expect(google.closedness([-0.0001, -0.0001]) == 0)  // just past the open limit: floored, as SimplerEnv's max(·, 0)
        #expect(widowx.closedness([0.037, 0.037]) == 0 && abs(widowx.closedness([0.015, 0.026]) - 0.75) < 1e-12)
        let bad = try TestSupport.editedScenes("setups/widowx_flat_table.json", replacing: #""closed": 0.015"#, with: #""closed": 0.037"#)
        #expect { _ = try TaskAssets(task: "widowx_carrot_on_plate", root: bad.scenes) } throws: {
            "\($0)".contains("widowx_flat_table.json") && "\($0)".contains("gripper_closedness.closed")
        }
    }
}
