import Foundation
import Kinematics
import Sim
import VLMath

/// A privileged expert for the RoboTwin tasks (our own planner, not RoboTwin's cuRobo scripts): at the first step it
/// reads the object frames and named points, builds the task's list of TCP waypoints for the acting arm, and then
/// emits one 14-D `qpos` action per waypoint — IK targets for the waypoint's arm (the acting one unless it names
/// another; consecutive waypoints marked `withPrevious` share one action), the other arm holding its targets — so every
/// episode runs through the real take_action timing, drives and contacts. Grasps approach from above with the jaw
/// across the object's narrow side; a pose the arm cannot reach from above is tilted towards the robot; an object an
/// open pad cannot get beside is pushed clear first (`clearingPush`).
public final class RoboTwinExpert: Policy {
    /// One waypoint: where the acting arm's TCP goes, the jaw's horizontal direction (radians from world x) and
    /// the gripper command (0 = closed … 1 = open) on arrival.
    struct Waypoint {
        var at: Vec3, jaw: Double, gripper: Double
        /// Preferred approach tilt from horizontal (π/2 = from above, 0 = from the robot's side, pointing +y).
        var tilt: Double = .pi / 2
        /// Solve from the set-up's `ik_seeds` only, not from the current targets: from the folded home the solver
        /// can converge to a base-turned or elbow-folded configuration whose move sweeps through the table.
        var fromIKSeeds = false
        /// The arm that moves (nil = the task's acting arm); two-arm tasks name it.
        var arm: Int? = nil
        /// Sent in the same action as the waypoint before it (both arms move at once).
        var withPrevious = false
        /// An object's named point and where the plan expects it when this waypoint is sent: `at` moves by how far
        /// the point is from there (a held object that slipped in the other gripper).
        var tracks: (role: String, point: String, expected: Vec3)? = nil
    }
    typealias Plan = (Scene) throws -> [Waypoint]

    /// What a plan reads: world frames and points of the objects, the acting arm's side and the table.
    struct Scene {
        let frames: [String: Pose]
        let points: [String: [String: Vec3]]
        /// The collision bounds: centre pose and half extents in the object's frame.
        let bounds: [String: Pose]
        let halfExtents: [String: Vec3]
        /// The acting arm; the left when the task assigns none (two-arm plans name the arm of each waypoint).
        let arm: Int
        /// +1 for the right arm, −1 for the left (the side its objects lie on).
        var side: Double { arm == 0 ? -1 : 1 }
        func frame(_ role: String) throws -> Pose {
            guard let f = frames[role] else { throw PolicyError.missingPrivilegedState }
            return f
        }
        /// World height of the top of an object's collision bounds.
        func top(_ role: String) throws -> Double {
            guard let b = bounds[role], let h = halfExtents[role] else { throw PolicyError.missingPrivilegedState }
            return b.p.z + b.q.boundingHalfExtents(h).z
        }
        func point(_ role: String, _ name: String) throws -> Vec3 {
            guard let p = points[role]?[name] else { throw PolicyError.missingPrivilegedState }
            return p
        }
    }

    /// Our tuning (not from a spec).
    static let tableTop = 0.74               // robotwin_table stage
    static let padBelowTCP = 0.03            // finger tips reach 3 cm past the TCP (URDF pads end 0.15 m along link6)
    static let tipClearance = 0.006          // keep the tips this far above the table
    static let approachHeight = 0.08         // above a grasp before descending
    static let tiltSteps = stride(from: 90.0, through: 0.0, by: -10.0).map { $0 * .pi / 180 }

    let plan: Plan
    private var waypoints: [Waypoint] = []
    private var next = 0
    private var started = false
    private var armTargets: [[Double]] = []
    private var grippers: [Double] = []

    init(_ plan: @escaping Plan) { self.plan = plan }
    public var observationSpec: ObservationSpec { ObservationSpec(privileged: true) }

    public func reset(_ episode: EpisodeContext) throws { started = false; next = 0; waypoints = [] }

    /// Every waypoint has been commanded (and executed: actions run to completion).
    public var isFinished: Bool { started && next >= waypoints.count }

    public func act(_ obs: Observation) throws -> [[Double]] {
        guard let priv = obs.privileged, priv.armChains.count == 2 else { throw PolicyError.missingPrivilegedState }
        let arm = priv.actingArm ?? 0
        let base = priv.robotBase
        // Plans see the table at its stage height: a dropped table (table_z_bias) lowers the scene for planning and
        // the waypoints are lowered back before IK.
        let drop = Vec3(0, 0, priv.tableZBias)
        let planning = Pose(p: drop * -1) * base
        if !started {
            let scene = Scene(frames: priv.objectFrames.mapValues { planning * $0 },
                              points: priv.objectPoints.mapValues { $0.mapValues { planning.apply($0) } },
                              bounds: priv.objectPoses.mapValues { planning * $0 }, halfExtents: priv.objectHalfExtents, arm: arm)
            waypoints = try plan(scene)
            armTargets = priv.armChains.map { [Double](repeating: 0, count: $0.dof) }
            grippers = [1, 1]
            started = true
        }
        while next < waypoints.count {
            var w = waypoints[next]
            let a = w.arm ?? arm
            next += 1
            if let t = w.tracks {
                guard let now = priv.objectPoints[t.role]?[t.point] else { throw PolicyError.missingPrivilegedState }
                w.at = w.at + (planning.apply(now) - t.expected)
            }
            w.at += drop
            // A set-up without `ik_seeds` leaves the current targets as the only start.
            let ikSeeds = priv.armIKSeeds[a]
            armTargets[a] = Self.solve(priv.armChains[a], base: base, w,
                                       seeds: (w.fromIKSeeds && !ikSeeds.isEmpty ? [] : [armTargets[a]]) + ikSeeds)
            grippers[a] = w.gripper
            if next == waypoints.count || !waypoints[next].withPrevious { break }
        }
        return [armTargets[0] + [grippers[0]] + armTargets[1] + [grippers[1]]]
    }

    /// IK for a waypoint's grasp pose, trying other approach tilts (nearest the preferred first) when it is out of
    /// reach; the closest configuration found when none converges.
    /// The set-up's `ik_seeds` (elbow-up starts) follow the current targets: from the folded home the solver otherwise
    /// finds elbow-down solutions through the table.
    static func solve(_ chain: KinematicChain, base: Pose, _ w: Waypoint, seeds: [[Double]]) -> [Double] {
        let seed = seeds[0]
        var best: IKResult?
        for tilt in tiltSteps.sorted(by: { abs($0 - w.tilt) < abs($1 - w.tilt) }) {
            let target = base.inverse * grasp(at: w.at, jaw: w.jaw, tilt: tilt)
            for r in chain.inverse(target: target, starts: seeds, near: seed, maxIterations: 200) {
                let shoulder = atan2(sin(r.q[1]), cos(r.q[1]))
                guard shoulder > 0 else { continue }  // elbow down: the upper arm would swing into the table
                if r.converged { return r.q }
                if best == nil || r.positionError < best!.positionError { best = r }
            }
        }
        return best?.q ?? seed
    }

    /// A TCP pose whose approach axis (link6 x) points down, tilted by `tilt` from vertical towards −y (the robot),
    /// with the jaw (link6 y) along horizontal direction `jaw`.
    static func grasp(at p: Vec3, jaw: Double, tilt: Double = .pi / 2) -> Pose {
        let x = Vec3(0, cos(tilt), -sin(tilt))
        var y = Vec3(cos(jaw), sin(jaw), 0)
        y = (y - x * y.dot(x)).normalized
        return Pose(p: p, q: Quat(Mat3(columns: x, y, x.cross(y))))
    }

    /// The jaw direction closest to the home one (world −x) among ±`direction` (a parallel jaw is symmetric).
    static func jaw(across direction: Double) -> Double {
        let d = atan2(sin(direction), cos(direction))
        return abs(d) < .pi / 2 ? d + .pi : d
    }

    /// TCP height that puts the finger tips `clearance` above the table for a vertical approach, or higher.
    static func graspHeight(_ z: Double) -> Double { max(z, tableTop + padBelowTCP + tipClearance) }

    /// The common pick (its last two waypoints: the closed grasp, the lift): above the approach point (a joint-space move from home must not sweep through the object),
    /// back off along the approach axis, move in, close, lift. From above (`tilt` π/2) the finger tips are kept
    /// off the table; from the side (0) the approach comes from the robot.
    static func pick(_ p: Vec3, jaw: Double, lift: Double = 0.08, tilt: Double = .pi / 2) -> [Waypoint] {
        let at = tilt > .pi / 4 ? Vec3(p.x, p.y, graspHeight(p.z)) : p
        let back = Vec3(0, -cos(tilt), sin(tilt)) * approachHeight
        return [
            Waypoint(at: at + back + Vec3(0, 0, approachHeight), jaw: jaw, gripper: 1, tilt: tilt),
            Waypoint(at: at + back, jaw: jaw, gripper: 1, tilt: tilt),
            Waypoint(at: at, jaw: jaw, gripper: 1, tilt: tilt),
            Waypoint(at: at, jaw: jaw, gripper: 0, tilt: tilt),
            Waypoint(at: at + Vec3(0, 0, lift), jaw: jaw, gripper: 0, tilt: tilt),
        ]
    }
}
