import Foundation
import Testing
import Trajectory
import VLMath
@testable import Sim
import TestSupport

/// The Google Robot planner controller (simplerenv-tasks.md §3.3).
@Suite struct GoogleControllerTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")
    static let delta = GripperDelta(scale: 1.31, deadBand: 1e-3, targetRange: [-0.0101, 1.31])

    /// Relative gripper: + closes, 1.31·g, dead band 1e-3 keeps the last target, clipped to [−0.0101, 1.31].
    @Test func gripperDeltaSignDeadBandAndClip() {
        let t = { (prev: Double, g: Double) in PlannedDeltaPoseController.gripperTarget(previous: prev, g: g, delta: Self.delta) }
        #expect(t(0, 1) == 1.31)
        #expect(abs(t(0.2, 0.5)! - 0.855) < 1e-12)
        #expect(t(0.5, -1) == -0.0101)
        #expect(t(0.3, 0.0007) == nil)            // 1.31·0.0007 = 9.2e-4 < 1e-3
        #expect(t(0.3, 0.00077) != nil)           // 1.31·0.00077 = 1.009e-3
        #expect(t(0, 3) == 1.31)                  // g clipped to 1
    }

    /// Every sub-step's arm drive target is the plan sampled at k/513 s; a translation action moves the measured
    /// TCP toward +x (only part of the way in one period: the next action re-plans from the measured TCP).
    @Test func subStepTargetsSampleThePlanAndTheTCPMoves() throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: "google_pick_coke_can_horizontal", root: Self.root)
            let ep = try Episode(assets: assets, index: 0)
            let c = ep.controller as! PlannedDeltaPoseController
            let p0 = ep.robotState().tcpPose.p
            c.apply([0.05, 0, 0, 0, 0, 0, 1], ep.robot, in: ep.world)
            let plan = try #require(c.armPlan)
            for k in [1, 50, 171] {
                c.prepareSubStep(k, ep.robot, in: ep.world)
                let s = plan.sample(at: Double(k) / 513)
                for (i, name) in c.driven.enumerated() {
                    #expect(abs(ep.world.drive(of: ep.robot.joint(name)!)!.target - s.position[i]) < 1e-12)
                }
                let g = try #require(c.gripperPlan).sample(at: Double(k) / 513)
                let finger = ep.world.drive(of: ep.robot.joint("joint_finger_left")!)!
                #expect(abs(finger.target - g.position[0]) < 1e-12 && abs(finger.targetVelocity - g.velocity[0]) < 1e-12)
            }
            try ep.apply([0.05, 0, 0, 0, 0, 0, 0])
            let d = ep.robotState().tcpPose.p - p0
            #expect(d.x > 0.01 && d.x < 0.07, "moved \(d)")
            #expect(abs(d.y) < 0.01 && abs(d.z) < 0.01, "moved \(d)")
        }
    }
}
