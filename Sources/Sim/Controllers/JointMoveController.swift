import Foundation
import Kinematics
import Physics
import VLMath

/// `joint_position_move`: RoboTwin's `take_action(qpos)` (RoboTwin envs/_base_task.py; mplib 0.2.1 planner.py).
/// Each action gives absolute targets for every arm, `[arm joints…, gripper]` per arm in the set-up's order
/// (gripper 0 = closed … 1 = open, clipped to [0, 1] and mapped onto `gripper_closed … gripper_open`).
/// Per arm, the move from the current drive targets is a straight joint-space line time-parameterised
/// rest-to-rest with the `motion` speed and acceleration bounds (`JointMoveTiming`), sampled every physics step;
/// an arm that does not move holds its targets for `idle_substeps`. The arms are interleaved by progress so they
/// finish together and the action lasts as many sub-steps as the longest arm's samples. Each arm's gripper target
/// is interpolated linearly over that arm's samples, opening at most `gripper_open_step` (joint units) per
/// sub-step as RoboTwin's `set_gripper` limits it.
///
/// `ee_pose_move` is RoboTwin's `take_action(ee)`: per arm `[x, y, z, qw, qx, qy, qz, gripper]`, the world pose of
/// the arm's end-effector frame as `endpose` reports it (TCP position, link rotation times `endpose_rotation`),
/// turned into joint targets by our IK from the current targets and then moved exactly as above. A pose the IK
/// cannot reach leaves that arm where it is (RoboTwin: a failed plan moves nothing).
final class JointMoveController: RobotController {
    static let kind = "joint_position_move"
    static let poseKind = "ee_pose_move"
    let arms: [ControlledArm]
    /// Actions are end-effector poses (`ee_pose_move`) rather than joint targets.
    let poseTargets: Bool
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

    init(config: ControllerConfig, model: URDFModel, poseTargets: Bool = false) throws {
        self.poseTargets = poseTargets
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
            let width = poseTargets ? 7 : a.joints.count
            let goal = poseTargets ? solve(Array(action[k..<(k + 7)]), arm: i, base: art.basePose) : Array(action[k..<(k + width)])
            let g = action[k + width].clamped(0, 1)
            k += width + 1
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
            var others = 1.0  // the least progress among the other arms (no allocation per sub-step)
            for j in moves.indices where j != i { others = min(others, moves[j].progress) }
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

    /// Joint targets reaching end-effector pose `p` (xyz + wxyz quaternion, world) for arm `i`: IK from the current
    /// targets and from the arm's `ik_seeds`, equivalent angles nearest the current targets, the solution with the
    /// shortest move; the current targets when no start converges.
    private func solve(_ p: [Double], arm i: Int, base: Pose) -> [Double] {
        let arm = arms[i]
        var q = Quat(w: p[3], x: p[4], y: p[5], z: p[6]).normalized
        if let r = arm.config.endposeRotation {
            q = q * Quat(Mat3(rows: Vec3(r[0], r[1], r[2]), Vec3(r[3], r[4], r[5]), Vec3(r[6], r[7], r[8])).transposed)
        }
        let target = base.inverse * Pose(p: Vec3(p[0], p[1], p[2]), q: q)
        let now = jointTargets[i]
        let solutions = arm.chain.inverse(target: target, starts: [now] + (arm.config.ikSeeds ?? []), near: now,
                                          maxIterations: 200).filter(\.converged).map(\.q)
        // The solution reached fastest (smallest largest joint distance), as a planner minimising motion would pick.
        return solutions.min { a, b in
            zip(a, now).map { abs($0 - $1) }.max()! < zip(b, now).map { abs($0 - $1) }.max()!
        } ?? now
    }

    var actionDimension: Int { arms.reduce(0) { $0 + (poseTargets ? 7 : $1.config.joints.count) + 1 } }
}
