import Foundation
import Kinematics
import Physics
import VLMath

/// `joint_position_move`: each action gives absolute targets for every arm, `[arm joints…, gripper]` per arm in
/// the set-up's order (gripper 0 = closed … 1 = open, mapped onto `gripper_closed … gripper_open`). The move from
/// the current targets is a straight line in joint space, time-parameterised rest-to-rest with the `motion` speed
/// and acceleration bounds; the slowest joint of any arm sets the duration, so all arms finish together, and the
/// action lasts as many physics sub-steps as that takes (`idle_substeps` when nothing moves). The fingers are
/// interpolated linearly over the same sub-steps.
final class JointMoveController: RobotController {
    static let kind = "joint_position_move"
    let arms: [ControlledArm]
    let motion: JointMotion
    let subStep: Double
    /// Joint names of every arm, then each arm's gripper, in action order.
    private var start: [Double] = [], goal: [Double] = []
    private var gripperStart: [Double] = [], gripperGoal: [Double] = []
    private var duration = 0.0
    private var steps = 1

    init(config: ControllerConfig, model: URDFModel) throws {
        motion = try config.required(config.motion, "motion")
        guard motion.velocity > 0, motion.acceleration > 0, motion.idleSubSteps >= 1 else {
            throw DataFileError(file: "controller", field: "motion", message: "velocity and acceleration must be > 0, idle_substeps ≥ 1")
        }
        guard !config.arms.isEmpty else { throw DataFileError(file: "controller", field: "arms", message: "must not be empty") }
        for a in config.arms {
            _ = try config.required(a.gripperClosed, "arms.\(a.name).gripper_closed")
            _ = try config.required(a.gripperOpen, "arms.\(a.name).gripper_open")
        }
        arms = try config.arms.map { try ControlledArm($0, model: model) }
        subStep = 1 / config.simFrequency
    }

    private var jointNames: [String] { arms.flatMap(\.config.joints) }

    func reset(_ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        start = jointNames.map { q[$0] ?? 0 }
        goal = start
        gripperStart = arms.map { q[$0.config.gripperJoints[0]] ?? 0 }
        gripperGoal = gripperStart
        for a in arms.map(\.config) {
            for (i, name) in a.joints.enumerated() {
                world.setDrive(art.joint(name)!, JointDrive(stiffness: a.gains.stiffness[i], damping: a.gains.damping[i],
                                                            forceLimit: a.gains.forceLimit[i], target: q[name] ?? 0))
            }
            for (i, name) in a.gripperJoints.enumerated() {
                world.setDrive(art.joint(name)!, JointDrive(stiffness: a.gripperGains.stiffness[i], damping: a.gripperGains.damping[i],
                                                            forceLimit: a.gripperGains.forceLimit[i], target: q[name] ?? 0))
            }
        }
    }

    func apply(_ action: [Double], _ art: Articulation, in world: PhysicsWorld) -> Int {
        start = goal
        gripperStart = gripperGoal
        var k = 0
        goal = []; gripperGoal = []
        for a in arms.map(\.config) {
            goal += action[k..<(k + a.joints.count)]
            let g = action[k + a.joints.count].clamped(0, 1)
            gripperGoal.append(a.gripperClosed! + g * (a.gripperOpen! - a.gripperClosed!))
            k += a.joints.count + 1
        }
        let distance = zip(start, goal).map { abs($1 - $0) }.max() ?? 0
        duration = Self.restToRestDuration(distance, velocity: motion.velocity, acceleration: motion.acceleration)
        steps = distance > 0 ? max(1, Int((duration / subStep).rounded(.up))) : motion.idleSubSteps
        return steps
    }

    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld) {
        let s = duration > 0 ? Self.pathFraction(min(Double(k) * subStep, duration), duration: duration,
                                                 velocity: motion.velocity, acceleration: motion.acceleration,
                                                 distance: zip(start, goal).map { abs($1 - $0) }.max() ?? 0) : 1
        for (i, name) in jointNames.enumerated() {
            world.setDriveTarget(art.joint(name)!, position: start[i] + s * (goal[i] - start[i]))
        }
        let f = Double(k) / Double(steps)
        for (a, (g0, g1)) in zip(arms, zip(gripperStart, gripperGoal)) {
            for name in a.config.gripperJoints { world.setDriveTarget(art.joint(name)!, position: g0 + f * (g1 - g0)) }
        }
    }

    /// Time of a rest-to-rest move over `d` with speed ≤ v and acceleration ≤ a (trapezoid, or triangle if short).
    static func restToRestDuration(_ d: Double, velocity v: Double, acceleration a: Double) -> Double {
        d >= v * v / a ? d / v + v / a : 2 * (d / a).squareRoot()
    }

    /// Fraction of the path covered at time t of that move.
    static func pathFraction(_ t: Double, duration T: Double, velocity v: Double, acceleration a: Double, distance d: Double) -> Double {
        guard d > 0 else { return 1 }
        let peak = min(v, (a * d).squareRoot())  // cruise speed, or the triangle's peak
        let ramp = peak / a
        let x: Double
        if t <= ramp { x = 0.5 * a * t * t }
        else if t <= T - ramp { x = 0.5 * a * ramp * ramp + peak * (t - ramp) }
        else { let r = T - t; x = d - 0.5 * a * r * r }
        return (x / d).clamped(0, 1)
    }

    var actionDimension: Int { arms.reduce(0) { $0 + $1.config.joints.count + 1 } }
}
