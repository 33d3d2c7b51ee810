import Foundation
import Testing
import TestSupport
import VLMath
@testable import Sim

/// RoboTwin's proprioception (robotwin-tasks.md §4.6) on the Aloha-AgileX set-up: `joint_action` is the drive
/// targets and the commanded gripper values (not the measured joints), `endpose` the world-frame TCP with the
/// rotation link6 · diag(1, −1, −1) as sxyz Euler angles, plus the gripper value.
@Suite(.serialized) struct RoboTwinObservationTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    @Test func homeStateReport() throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "click_bell", root: Self.root), index: 0)
            let arms = ep.robotState().arms
            let reports = try arms.map { try #require($0.roboTwin) }
            let home: [Double] = [0, 0, 0, 0, 0, 0, 1]
            for r in reports { #expect(zip(r.jointAction, home).allSatisfy { abs($0 - $1) < 1e-12 }, "\(r.jointAction)") }
            // The home TCPs of robotwin-embodiment.md §1.5 (4 decimals), the arm bases' yaws (91.15°, 90.57°), and
            // the diag(1, −1, −1) flip: roll ±π, pitch 0 (to 1e-4: the URDF's joint3 and joint6 turn −3.1416 rad
            // about x, not −π, so link6 keeps a 1.5e-5 rad roll at home).
            let tcps = [Vec3(-0.3003, -0.1938, 0.942), Vec3(0.3052, -0.1928, 0.941)], yaws = [91.15, 90.57]
            for (r, (tcp, yaw)) in zip(reports, zip(tcps, yaws)) {
                #expect(r.endpose.count == 6 && r.endposeWithGripper.count == 7)
                #expect(zip(r.endpose.prefix(3), tcp.array).allSatisfy { abs($0 - $1) <= 5e-5 }, "endpose \(r.endpose)")
                #expect(abs(abs(r.endpose[3]) - .pi) < 1e-4 && abs(r.endpose[4]) < 1e-4, "roll, pitch \(r.endpose[3...4])")
                #expect(abs(r.endpose[5] * 180 / .pi - yaw) <= 0.005, "yaw \(r.endpose[5] * 180 / .pi)")
            }
        }
    }

    @Test func jointActionIsTheTargetsAndEndposeTheMeasuredTCP() throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "click_bell", root: Self.root), index: 0)
            let action = [0.3, 0.4, -0.5, 0.2, 0.1, -0.3, 0.4] + [-0.2, 0.3, -0.4, 0, 0.2, 0.1, 0.0]
            try ep.apply(action)
            let state = ep.robotState()
            let reports = try state.arms.map { try #require($0.roboTwin) }
            #expect(reports[0].jointAction == Array(action[0..<7]) && reports[1].jointAction == Array(action[7..<14]))
            // The measured joints lag the targets (PD drives), so a report of measured positions would differ.
            let q = ep.jointPositions
            let lag = zip(["fl_joint2", "fl_joint3"], [0.4, -0.5]).map { abs(q[$0.0]! - $0.1) }.max()!
            #expect(lag > 1e-6, "measured joints equal the targets to \(lag)")
            // endpose: the simulated link6 body, 0.12 m along its x (gripper_bias), in the world frame.
            for (i, link) in ["fl_link6", "fr_link6"].enumerated() {
                let link6 = try #require(ep.linkPose(link))
                let tcp = link6.apply(Vec3(0.12, 0, 0))
                #expect(zip(reports[i].endpose.prefix(3), tcp.array).allSatisfy { abs($0 - $1) < 1e-3 }, "\(link): \(reports[i].endpose) vs \(tcp)")
                let flipped = link6.rotation * Mat3.diagonal(Vec3(1, -1, -1))
                let e = reports[i].endpose
                let rebuilt = Mat3(Quat(roll: e[3], pitch: e[4], yaw: e[5]))
                #expect(zip(rebuilt.m, flipped.m).allSatisfy { abs($0 - $1) < 1e-3 }, "\(link) endpose rotation")
            }
            #expect(reports.map(\.gripperCommand) == [0.4, 0.0])
        }
    }
}
