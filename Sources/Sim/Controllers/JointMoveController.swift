import Foundation
import Kinematics
import Physics
import VLMath

/// `joint_position_move`: RoboTwin's `take_action(qpos)` (robotwin-tasks.md §4.7, robotwin-embodiment.md §5).
/// Each action gives absolute targets for every arm, `[arm joints…, gripper]` per arm in the set-up's order
/// (gripper 0 = closed … 1 = open, clipped to [0, 1] and mapped onto `gripper_closed … gripper_open`).
/// Per arm, the move from the current drive targets is a straight joint-space line time-parameterised
/// rest-to-rest with the `motion` speed and acceleration bounds (`JointMoveTiming`), sampled every physics step;
/// an arm that does not move holds its targets for `idle_substeps`. The arms are interleaved by progress so they
/// finish together and the action lasts as many sub-steps as the longest arm's samples. Each arm's gripper target
/// is interpolated linearly over that arm's samples, opening at most `gripper_open_step` (joint units) per
/// sub-step as RoboTwin's `set_gripper` limits it.
final class JointMoveController: RobotController {
    static let kind = "joint_position_move"
    let arms: [ControlledArm]
    let motion: JointMotion
    let timing: JointMoveTiming
    /// One arm's move within the current action.
    private struct ArmMove {
        var start: [Double], goal: [Double]
        var timing: JointMoveTiming.Move?
        var samples: Int
        var gripperStart: Double, gripperGoal: Double
        var done = 0
        var progress: Double { samples > 0 ? Double(done) / Double(samples) : 1 }
    }
    private var moves: [ArmMove] = []
    /// The drive targets last written per arm (what RoboTwin reports as `joint_action`), and each arm's commanded
    /// gripper value in [0, 1] (what its success predicates test).
    private(set) var jointTargets: [[Double]] = []
    var gripperCommands: [Double] = []

    init(config: ControllerConfig, model: URDFModel) throws {
        motion = try config.required(config.motion, "motion")
        guard motion.velocity > 0, motion.acceleration > 0, motion.idleSubSteps >= 1, config.simFrequency > 0 else {
            throw DataFileError(file: "controller", field: "motion", message: "velocity, acceleration and sim_frequency must be > 0, idle_substeps ≥ 1")
        }
        guard !config.arms.isEmpty else { throw DataFileError(file: "controller", field: "arms", message: "must not be empty") }
        for a in config.arms {
            _ = try config.required(a.gripperClosed, "arms.\(a.name).gripper_closed")
            _ = try config.required(a.gripperOpen, "arms.\(a.name).gripper_open")
        }
        arms = try config.arms.map { try ControlledArm($0, model: model) }
        timing = JointMoveTiming(velocity: motion.velocity, acceleration: motion.acceleration, rate: config.simFrequency)
    }

    func reset(_ art: Articulation, in world: PhysicsWorld) {
        let q = art.jointPositions(world)
        jointTargets = arms.map { a in a.config.joints.map { q[$0] ?? 0 } }
        gripperCommands = arms.map { a in
            let open = a.config.gripperOpen!, closed = a.config.gripperClosed!
            return ((q[a.config.gripperJoints[0]] ?? open) - closed) / (open - closed)
        }.map { $0.clamped(0, 1) }
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
        var k = 0
        moves = []
        for (i, a) in arms.map(\.config).enumerated() {
            let goal = Array(action[k..<(k + a.joints.count)])
            let g = action[k + a.joints.count].clamped(0, 1)
            k += a.joints.count + 1
            let distance = zip(jointTargets[i], goal).map { abs($1 - $0) }.max() ?? 0
            let move = timing.move(distance: distance)
            moves.append(ArmMove(start: jointTargets[i], goal: goal, timing: move, samples: move?.samples ?? motion.idleSubSteps,
                                 gripperStart: gripperCommands[i], gripperGoal: g))
        }
        return moves.map(\.samples).max() ?? motion.idleSubSteps
    }

    /// Advances every arm whose progress is not ahead of the others' (RoboTwin's interleaving), writing its next
    /// sample's position and velocity targets and its gripper target.
    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld) {
        for i in moves.indices {
            let others = moves.indices.filter { $0 != i }.map { moves[$0].progress }.min() ?? 1
            guard moves[i].done < moves[i].samples, moves[i].progress <= others else { continue }
            let m = moves[i], a = arms[i].config
            if let t = m.timing {
                let (s, ds) = t.sample(m.done)
                jointTargets[i] = zip(m.start, m.goal).map { $0 + s * ($1 - $0) }
                for (j, name) in a.joints.enumerated() {
                    world.setDriveTarget(art.joint(name)!, position: jointTargets[i][j], velocity: ds * (m.goal[j] - m.start[j]))
                }
            }
            let f = m.samples > 1 ? Double(m.done) / Double(m.samples - 1) : 1
            gripperCommands[i] = m.gripperStart + f * (m.gripperGoal - m.gripperStart)
            setGripper(gripperCommands[i], arm: a, art, in: world)
            moves[i].done += 1
        }
    }

    /// RoboTwin `set_gripper`: the normalised command mapped onto the finger stroke, an opening limited to
    /// `gripper_open_step` per call, and a velocity target of 0.05 · clip(Δ / 0.01, −1, 1).
    private func setGripper(_ g: Double, arm a: ArmConfig, _ art: Articulation, in world: PhysicsWorld) {
        let closed = a.gripperClosed!, open = a.gripperOpen!
        var target = closed + g * (open - closed)
        for name in a.gripperJoints {
            let joint = art.joint(name)!
            let current = world.drive(of: joint)?.target ?? target
            if let step = motion.gripperOpenStep, target - current > step { target = current + step }
            world.setDriveTarget(joint, position: target, velocity: 0.05 * ((target - current) / 0.01).clamped(-1, 1))
        }
    }

    var actionDimension: Int { arms.reduce(0) { $0 + $1.config.joints.count + 1 } }
}

/// mplib's `TOPP(path, 1/rate)` on a two-waypoint joint path under per-joint speed and acceleration bounds
/// (mplib 0.2.1 `planner.py`; robotwin-embodiment.md §5): the move is bang-bang rest-to-rest on the largest joint
/// distance Δ (T = 2√(Δ/a) while the speed bound is not reached, else Δ/v + v/a), sampled at
/// `linspace(0, T, ⌊T·rate⌋)`; no samples (Δ = 0 or a move shorter than one step) means no plan.
struct JointMoveTiming: Sendable {
    let velocity: Double, acceleration: Double, rate: Double

    struct Move: Sendable {
        let duration: Double, distance: Double, samples: Int
        let velocity: Double, acceleration: Double

        /// Path fraction s ∈ [0, 1] and its rate ds/dt at sample `i` (0-based; the first sample is the start).
        func sample(_ i: Int) -> (Double, Double) {
            let t = samples > 1 ? duration * Double(i) / Double(samples - 1) : duration
            let peak = min(velocity, (acceleration * distance).squareRoot())
            let ramp = peak / acceleration
            let x: Double, v: Double
            if t <= ramp { x = 0.5 * acceleration * t * t; v = acceleration * t }
            else if t <= duration - ramp { x = 0.5 * acceleration * ramp * ramp + peak * (t - ramp); v = peak }
            else { let r = max(0, duration - t); x = distance - 0.5 * acceleration * r * r; v = acceleration * r }
            return ((x / distance).clamped(0, 1), v / distance)
        }
    }

    /// Duration of a rest-to-rest move over `d`.
    func duration(_ d: Double) -> Double {
        d >= velocity * velocity / acceleration ? d / velocity + velocity / acceleration : 2 * (d / acceleration).squareRoot()
    }

    /// The move over the largest joint distance `distance`, or nil when it yields no sample.
    func move(distance: Double) -> Move? {
        guard distance > 0 else { return nil }
        let T = duration(distance)
        let n = Int((T * rate).rounded(.down))
        guard n > 0 else { return nil }
        return Move(duration: T, distance: distance, samples: n, velocity: velocity, acceleration: acceleration)
    }
}
