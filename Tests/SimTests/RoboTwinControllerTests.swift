import Foundation
import Physics
import Testing
import TestSupport
import VLMath
@testable import Sim

/// RoboTwin's `take_action(qpos)` on the real Aloha-AgileX set-up (robotwin-tasks.md §4.7, robotwin-embodiment.md
/// §5): physics sub-steps per action = the longer arm's TOPP samples, 50 for an arm without motion; both arms
/// interleaved to finish together; gripper commands interpolated linearly over the arm's samples; and the joint
/// drive targets equal to the commanded goal once the action is done.
@Suite(.serialized) struct RoboTwinControllerTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    static func episode() throws -> Episode {
        try Episode(assets: try TaskAssets(task: "click_bell", root: root), index: 0)
    }

    /// The 14-D action that moves joint `joint` of each arm by the given distances from its current drive targets.
    static func action(_ ep: Episode, left: Double, right: Double, joint: Int = 0, grippers: (Double, Double)? = nil) -> [Double] {
        var t = ep.jointTargets
        t[0][joint] += left
        t[1][joint] += right
        let g = grippers ?? (ep.gripperCommands[0], ep.gripperCommands[1])
        return t[0] + [g.0] + t[1] + [g.1]
    }

    /// (left Δ, right Δ) → sub-steps: §5.2's sample counts, the longer arm deciding, 50 for an idle arm.
    static let moves: [(Double, Double, Int)] = [
        (0.5, 0.1, 353), (-0.1, -0.5, 353), (0, 0, 50), (0.05, 0, 111), (0, -0.2, 223), (0.005, 0, 50),
        (-0.01, 0.001, 50), (0, 1e-5, 50),
    ]

    @Test func subStepsPerActionAreTheLongerArmsSamples() throws {
        try TestSupport.withODE {
            let ep = try Self.episode()
            for (l, r, n) in Self.moves {
                let before = ep.world.stepCount
                try ep.apply(Self.action(ep, left: l, right: r))
                #expect(ep.world.stepCount - before == n, "Δ left \(l), right \(r): \(ep.world.stepCount - before) sub-steps, want \(n)")
            }
            #expect(!ep.evaluation.success)  // joint-1 swings at home height never reach the bell
        }
    }

    /// One action, sub-step by sub-step: the left arm moves 0.1 rad (158 samples) and closes its gripper, the
    /// right moves 0.02 rad (70 samples) and half-closes.
    @Test func grippersInterpolateAndTargetsEndAtTheGoal() throws {
        try TestSupport.withODE {
            let ep = try Self.episode()
            #expect(ep.gripperCommands == [1, 1])  // initial fingers at 0.045 m = open
            let action = Self.action(ep, left: 0.1, right: 0.02, joint: 1, grippers: (0, 0.5))
            let controller = try #require(ep.controller as? JointMoveController)
            let n = controller.apply(action, ep.robot, in: ep.world)
            #expect(n == 158)
            var left: [Double] = [], right: [Double] = []
            for k in 1...n {
                controller.prepareSubStep(k, ep.robot, in: ep.world)
                left.append(controller.gripperCommands[0])
                right.append(controller.gripperCommands[1])
                try ep.world.step()
            }
            // The left arm samples every sub-step: linspace(1, 0, 158).
            let leftLine = (0..<158).map { 1 - Double($0) / 157 }
            #expect(zip(left, leftLine).allSatisfy { abs($0 - $1) < 1e-12 }, "left gripper \(left.prefix(4))…")
            // The right arm's 70 samples are spread over the 158 sub-steps (interleaved by progress): its distinct
            // values are linspace(1, 0.5, 70) and the last arrives at the end, not after 70 sub-steps.
            var distinct: [Double] = []
            for g in right where distinct.last != g { distinct.append(g) }
            let rightLine = (0..<70).map { 1 - 0.5 * Double($0) / 69 }
            #expect(distinct.count == 70 && zip(distinct, rightLine).allSatisfy { abs($0 - $1) < 1e-12 }, "right gripper \(distinct.count) values")
            let reached = try #require(right.firstIndex { abs($0 - 0.5) < 1e-12 })
            #expect(reached >= n - 3, "right gripper reached its goal at sub-step \(reached + 1) of \(n)")
            // Drive targets after the action: exactly the goal, arm joints and fingers (g ↦ −0.01 + g · 0.055 m).
            let goals = [Array(action[0..<6]), Array(action[7..<13])]
            for (arm, a) in controller.arms.enumerated() {
                for (j, name) in a.config.joints.enumerated() {
                    let target = try #require(ep.world.drive(of: ep.robot.joint(name)!)?.target)
                    #expect(abs(target - goals[arm][j]) < 1e-12, "\(name) target \(target), goal \(goals[arm][j])")
                    #expect(abs(ep.jointTargets[arm][j] - goals[arm][j]) < 1e-12)
                }
                let finger = [-0.01, -0.01 + 0.5 * 0.055][arm]
                for name in a.config.gripperJoints {
                    #expect(abs(ep.world.drive(of: ep.robot.joint(name)!)!.target - finger) < 1e-12, "\(name)")
                }
            }
            #expect(ep.gripperCommands == [0, 0.5])
            // The PD drives (1000/200, 1 kg links) follow: after an idle action every arm joint is near its target.
            try ep.apply(action)
            let q = ep.jointPositions
            for (arm, a) in controller.arms.enumerated() {
                for (j, name) in a.config.joints.enumerated() {
                    #expect(abs(q[name]! - goals[arm][j]) < 0.02, "\(name) at \(q[name]!), target \(goals[arm][j])")
                }
            }
        }
    }
}
