import Foundation
import Kinematics
import Physics
import Trajectory
import VLMath

/// What an episode needs from a robot controller: install drives at reset, turn an action into a plan, and write
/// the drive targets before every physics sub-step of the control period.
protocol RobotController: AnyObject {
    /// The IK chain from the robot base to the end effector (also gives the TCP pose for observations).
    var chain: KinematicChain { get }
    func reset(_ art: Articulation, in world: PhysicsWorld)
    func apply(_ action: [Double], _ art: Articulation, in world: PhysicsWorld)
    /// Writes the targets of sub-step `k` (1-based) of the current control period.
    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld)
}

enum ControllerFactory {
    /// Picks the controller named by the set-up's `controller.kind`.
    static func make(_ config: ControllerConfig, model: URDFModel) throws -> RobotController {
        switch config.kind {
        case "ee_target_delta_pose_align2": return try EETargetDeltaPoseController(config: config, model: model)
        case PlannedDeltaPoseController.kind: return try PlannedDeltaPoseController(config: config, model: model)
        default:
            throw DataFileError(file: "controller", field: "kind", message: "unknown controller kind '\(config.kind)' (known: ee_target_delta_pose_align2, \(PlannedDeltaPoseController.kind))")
        }
    }
}

/// SimplerEnv's Google Robot controller `arm_pd_ee_delta_pose_align_interpolate_by_planner` +
/// `gripper_pd_joint_target_delta_pos_interpolate_by_planner` (simplerenv-tasks.md §3.3).
/// Arm: the delta pose is applied to the *measured* TCP (translation added, rotation pre-multiplied, base-frame
/// axes), solved by IK seeded at the measured joints (held joints keep their measured value), and reached along a
/// jerk-limited plan that starts from the previous plan's state at the end of the last control period (the measured
/// state only for the first action). Gripper: a relative target (+ closes) planned from the measured finger state;
/// both position and velocity targets are written.
final class PlannedDeltaPoseController: RobotController {
    static let kind = "ee_delta_pose_align_interpolate_by_planner"
    let config: ControllerConfig
    let chain: KinematicChain
    /// Arm joints followed by the held joints, in the order of `config.arm` gains.
    let driven: [String]
    let armLimits: JerkLimits
    let gripperLimits: JerkLimits
    let delta: GripperDelta
    let period: Double, subStep: Double
    private(set) var armPlan: JerkLimitedTrajectory?
    private(set) var gripperPlan: JerkLimitedTrajectory?
    /// The gripper drive target at the end of the last control period (what the next delta is added to).
    private(set) var gripperWaypoint = 0.0
    private(set) var lastIKConverged = true

    init(config: ControllerConfig, model: URDFModel) throws {
        func missing(_ f: String) -> DataFileError {
            DataFileError(file: "controller", field: f, message: "is required for \(Self.kind)")
        }
        guard let a = config.armPlanner else { throw missing("arm_planner") }
        guard let g = config.gripperPlanner else { throw missing("gripper_planner") }
        guard let d = config.gripperDelta, d.targetRange.count == 2 else { throw missing("gripper_delta") }
        self.config = config
        chain = try KinematicChain(model: model, base: model.rootLink, tip: config.eeLink)
        guard chain.jointNames == config.armJoints else {
            throw DataFileError(file: "controller", field: "arm_joints",
                                message: "\(config.armJoints) do not match the chain to \(config.eeLink): \(chain.jointNames)")
        }
        driven = config.armJoints + (config.heldJoints ?? [])
        guard config.arm.stiffness.count == driven.count, config.arm.damping.count == driven.count,
              config.arm.forceLimit.count == driven.count else {
            throw DataFileError(file: "controller", field: "arm", message: "needs one gain per arm and held joint (\(driven.count))")
        }
        armLimits = JerkLimits(dofs: driven.count, velocity: a.velocity, acceleration: a.acceleration, jerk: a.jerk)
        gripperLimits = JerkLimits(dofs: 1, velocity: g.velocity, acceleration: g.acceleration, jerk: g.jerk)
        delta = d
        period = 1 / config.controlFrequency
        subStep = 1 / config.simFrequency
    }

    func reset(_ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        armPlan = nil; gripperPlan = nil
        gripperWaypoint = q[config.gripperJoints[0]] ?? 0
        for (i, name) in driven.enumerated() {
            world.setDrive(art.joint(name)!, JointDrive(stiffness: config.arm.stiffness[i], damping: config.arm.damping[i],
                                                        forceLimit: config.arm.forceLimit[i], target: q[name] ?? 0))
        }
        for (i, name) in config.gripperJoints.enumerated() {
            world.setDrive(art.joint(name)!, JointDrive(stiffness: config.gripper.stiffness[i], damping: config.gripper.damping[i],
                                                        forceLimit: config.gripper.forceLimit[i], target: gripperWaypoint))
        }
    }

    func apply(_ action: [Double], _ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        let measured = driven.map { q[$0]! }
        let goal = armGoal(action, measured: measured)
        let start: MotionState
        if let previous = armPlan {
            let s = previous.sample(at: period)
            start = MotionState(position: s.position, velocity: s.velocity,
                                acceleration: Array(repeating: 0, count: driven.count))
        } else {
            let clip = config.armPlanner!.velocityClip
            start = MotionState(position: measured,
                                velocity: driven.map { world.velocity(of: art.joint($0)!).clamped(-clip, clip) },
                                acceleration: Array(repeating: 0, count: driven.count))
        }
        armPlan = try? JerkLimitedTrajectory.plan(from: start, to: goal, limits: armLimits)

        if let next = Self.gripperTarget(previous: gripperWaypoint, g: action[6], delta: delta) { gripperWaypoint = next }
        let finger = art.joint(config.gripperJoints[0])!
        let clip = config.gripperPlanner!.velocityClip
        let gStart = MotionState(position: [world.position(of: finger)],
                                 velocity: [world.velocity(of: finger).clamped(-clip, clip)], acceleration: [0])
        gripperPlan = try? JerkLimitedTrajectory.plan(from: gStart, to: [gripperWaypoint], limits: gripperLimits)
        // The next delta is added to where this period's plan ends (its last interpolated waypoint).
        if let p = gripperPlan { gripperWaypoint = p.sample(at: period).position[0] }
    }

    /// IK target for the arm (measured values for held joints; the measured arm when IK fails, §3.3).
    func armGoal(_ action: [Double], measured: [Double]) -> [Double] {
        let n = config.armJoints.count
        let armQ = Array(measured.prefix(n))
        let cur = chain.forward(armQ)
        let dR = Quat(rotationVector: Vec3(action[3], action[4], action[5]))
        let target = Pose(p: cur.p + Vec3(action[0], action[1], action[2]), q: (dR * cur.q).normalized)
        let ik = chain.inverse(target: target, seed: armQ, maxIterations: config.ikMaxIterations)
        lastIKConverged = ik.converged
        return (ik.converged ? ik.q : armQ) + measured.suffix(from: n)
    }

    /// The relative gripper rule: δ = scale·clip(g); nil (keep the last target) when |δ| is inside the dead band.
    static func gripperTarget(previous: Double, g: Double, delta: GripperDelta) -> Double? {
        let d = delta.scale * g.clamped(-1, 1)
        guard abs(d) >= delta.deadBand else { return nil }
        return (previous + d).clamped(delta.targetRange[0], delta.targetRange[1])
    }

    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld) {
        let t = Double(k) * subStep
        if let plan = armPlan {
            let s = plan.sample(at: t)
            for (i, name) in driven.enumerated() { world.setDriveTarget(art.joint(name)!, position: s.position[i]) }
        }
        if let plan = gripperPlan {
            let s = plan.sample(at: t)
            for name in config.gripperJoints {
                world.setDriveTarget(art.joint(name)!, position: s.position[0], velocity: s.velocity[0])
            }
        }
    }
}
