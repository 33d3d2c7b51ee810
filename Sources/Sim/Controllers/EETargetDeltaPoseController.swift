import Foundation
import Kinematics
import Physics
import VLMath

/// SimplerEnv's WidowX controller `arm_pd_ee_target_delta_pose_align2` + `gripper_pd_joint_pos`
/// (simplerenv-tasks.md §2.3). Action `[dx, dy, dz, rx, ry, rz, g]`: translation (m) and axis-angle rotation (rad)
/// in the robot base frame, applied to the previous *target* pose and pivoted about the measured TCP ("align2");
/// no clipping or scaling (`normalize_action=False`). The gripper value is absolute: g = +1 open, −1 closed.
final class EETargetDeltaPoseController: SingleArmController {
    static let kind = "ee_target_delta_pose_align2"
    let basics: SingleArmBasics
    let gripperClosed: Double, gripperOpen: Double
    private(set) var targetPose = Pose.identity
    private(set) var armTarget: [Double] = []
    private(set) var gripperTarget = 0.0
    /// Whether the last IK solve converged (on failure the arm holds its current joints).
    private(set) var lastIKConverged = true

    init(config: ControllerConfig, model: URDFModel) throws {
        basics = try SingleArmBasics(config, kind: Self.kind, model: model)
        let arm = basics.arm
        gripperClosed = try config.required(arm.gripperClosed, "arms.\(arm.name).gripper_closed")
        gripperOpen = try config.required(arm.gripperOpen, "arms.\(arm.name).gripper_open")
    }

    /// Target = measured pose at reset (§2.3).
    func reset(armPositions q: [Double], gripperPosition: Double) {
        targetPose = chain.forward(q)
        armTarget = q
        gripperTarget = gripperPosition
    }

    /// Turns one action into joint targets, held for all physics sub-steps of the control period.
    func apply(_ action: [Double], armPositions q: [Double]) {
        let dp = Vec3(action[0], action[1], action[2])
        let dR = Quat(rotationVector: Vec3(action[3], action[4], action[5]))
        let pCur = chain.forward(q).p
        let newPose = Pose(p: pCur + dp + dR.act(targetPose.p - pCur), q: (dR * targetPose.q).normalized)
        targetPose = newPose
        let ik = chain.inverse(target: newPose, seed: q, maxIterations: ikMaxIterations)
        lastIKConverged = ik.converged
        armTarget = ik.converged ? ik.q : q
        // g ∈ [−1, 1] maps linearly onto [closed, open]: 0.026 + 0.012·g for the WidowX (§2.3).
        let g = action[6].clamped(-1, 1)
        gripperTarget = gripperClosed + (g + 1) / 2 * (gripperOpen - gripperClosed)
    }

    /// Installs the implicit-PD drives with the system-identified gains (§2.3).
    func installDrives(_ art: Articulation, in world: PhysicsWorld) {
        for (i, name) in arm.joints.enumerated() {
            world.setDrive(art.joint(name)!, JointDrive(stiffness: arm.gains.stiffness[i], damping: arm.gains.damping[i],
                                                        forceLimit: arm.gains.forceLimit[i], target: armTarget[i]))
        }
        for (i, name) in arm.gripperJoints.enumerated() {
            world.setDrive(art.joint(name)!, JointDrive(stiffness: arm.gripperGains.stiffness[i],
                                                        damping: arm.gripperGains.damping[i],
                                                        forceLimit: arm.gripperGains.forceLimit[i], target: gripperTarget))
        }
    }

    func writeTargets(_ art: Articulation, in world: PhysicsWorld) {
        for (i, name) in arm.joints.enumerated() { world.setDriveTarget(art.joint(name)!, position: armTarget[i]) }
        for name in arm.gripperJoints { world.setDriveTarget(art.joint(name)!, position: gripperTarget) }
    }
}

extension EETargetDeltaPoseController {
    func reset(_ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        reset(armPositions: arm.joints.map { q[$0] ?? 0 }, gripperPosition: q[arm.gripperJoints[0]] ?? 0)
        installDrives(art, in: world)
    }

    func apply(_ action: [Double], _ art: Articulation, in world: PhysicsWorld) -> Int {
        let q = art.jointPositions(world)
        apply(action, armPositions: arm.joints.map { q[$0]! })
        writeTargets(art, in: world)
        return subSteps
    }

    /// `[dx, dy, dz, rx, ry, rz, g]` (simplerenv-tasks.md §2.3, §3.3).
    var actionDimension: Int { 7 }

    /// Targets are held for the whole control period.
    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld) {}
}
