import Foundation
import Kinematics
import Physics
import VLMath

/// SimplerEnv's WidowX controller `arm_pd_ee_target_delta_pose_align2` + `gripper_pd_joint_pos`
/// (simplerenv-tasks.md §2.3). Action `[dx, dy, dz, rx, ry, rz, g]`: translation (m) and axis-angle rotation (rad)
/// in the robot base frame, applied to the previous *target* pose and pivoted about the measured TCP ("align2");
/// no clipping or scaling (`normalize_action=False`). The gripper value is absolute: g = +1 open, −1 closed.
final class EETargetDeltaPoseController: RobotController {
    let config: ControllerConfig
    let chain: KinematicChain
    private(set) var targetPose = Pose.identity
    private(set) var armTarget: [Double] = []
    private(set) var gripperTarget = 0.0
    /// Whether the last IK solve converged (on failure the arm holds its current joints).
    private(set) var lastIKConverged = true

    init(config: ControllerConfig, model: URDFModel) throws {
        guard config.kind == "ee_target_delta_pose_align2" else {
            throw DataFileError(file: "controller", field: "kind", message: "unknown controller kind '\(config.kind)'")
        }
        guard config.gripperClosed != nil, config.gripperOpen != nil else {
            throw DataFileError(file: "controller", field: "gripper_closed", message: "is required for \(config.kind)")
        }
        self.config = config
        chain = try KinematicChain(model: model, base: model.rootLink, tip: config.eeLink)
        guard chain.jointNames == config.armJoints else {
            throw DataFileError(file: "controller", field: "arm_joints",
                                message: "\(config.armJoints) do not match the chain to \(config.eeLink): \(chain.jointNames)")
        }
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
        let ik = chain.inverse(target: newPose, seed: q, maxIterations: config.ikMaxIterations)
        lastIKConverged = ik.converged
        armTarget = ik.converged ? ik.q : q
        // g ∈ [−1, 1] maps linearly onto [closed, open]: 0.026 + 0.012·g for the WidowX (§2.3).
        let g = action[6].clamped(-1, 1)
        let closed = config.gripperClosed!, open = config.gripperOpen!
        gripperTarget = closed + (g + 1) / 2 * (open - closed)
    }

    /// Installs the implicit-PD drives with the system-identified gains (§2.3).
    func installDrives(_ art: Articulation, in world: PhysicsWorld) {
        for (i, name) in config.armJoints.enumerated() {
            world.setDrive(art.joint(name)!, JointDrive(stiffness: config.arm.stiffness[i], damping: config.arm.damping[i],
                                                        forceLimit: config.arm.forceLimit[i], target: armTarget[i]))
        }
        for (i, name) in config.gripperJoints.enumerated() {
            world.setDrive(art.joint(name)!, JointDrive(stiffness: config.gripper.stiffness[i],
                                                        damping: config.gripper.damping[i],
                                                        forceLimit: config.gripper.forceLimit[i], target: gripperTarget))
        }
    }

    func writeTargets(_ art: Articulation, in world: PhysicsWorld) {
        for (i, name) in config.armJoints.enumerated() { world.setDriveTarget(art.joint(name)!, position: armTarget[i]) }
        for name in config.gripperJoints { world.setDriveTarget(art.joint(name)!, position: gripperTarget) }
    }
}

extension EETargetDeltaPoseController {
    func reset(_ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        reset(armPositions: config.armJoints.map { q[$0] ?? 0 }, gripperPosition: q[config.gripperJoints[0]] ?? 0)
        installDrives(art, in: world)
    }

    func apply(_ action: [Double], _ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        apply(action, armPositions: config.armJoints.map { q[$0]! })
        writeTargets(art, in: world)
    }

    /// Targets are held for the whole control period.
    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld) {}
}
