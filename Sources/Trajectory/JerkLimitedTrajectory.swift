// Multi-DOF, time-synchronised, jerk-limited trajectories to a target at rest (Ruckig's default behaviour).

/// A trajectory from an arbitrary start state to target positions with zero velocity and acceleration, every DOF
/// finishing together at the earliest duration all DOFs can realise (simplerenv-tasks.md §3.3, §9 item 7).
/// Semantics follow Ruckig 0.19 with `Synchronization.Time` and `DurationDiscretization.Continuous`: see
/// docs/trajectory.md.
public struct JerkLimitedTrajectory: Sendable {
    private let knots: KnotTable
    private let target: [Double]
    public let duration: Double
    /// Per DOF, how long the initial brake phase lasts (zero unless the start state violates the limits).
    let brakeDurations: [Double]

    public var degreesOfFreedom: Int { target.count }

    /// Plans the trajectory; throws `TrajectoryError` for inconsistent or non-finite input.
    public static func plan(from start: MotionState, to targetPosition: [Double],
                            limits: JerkLimits) throws -> JerkLimitedTrajectory {
        try validate(start, targetPosition, limits)
        let n = targetPosition.count
        var braked: [AxisProfile] = []
        var planners: [AxisPlanner] = []
        var fastest: [PeakProfile] = []
        for i in 0..<n {
            var axis = AxisProfile(start: AxisState(p: start.position[i], v: start.velocity[i],
                                                    a: start.acceleration[i]))
            axis.append(Brake.segments(v0: axis.start.v, a0: axis.start.a, vMax: limits.maxVelocity[i],
                                       aMax: limits.maxAcceleration[i], jMax: limits.maxJerk[i]))
            let planner = AxisPlanner(v0: axis.end.v, a0: axis.end.a, distance: targetPosition[i] - axis.end.p,
                                      vMax: limits.maxVelocity[i], aMax: limits.maxAcceleration[i],
                                      jMax: limits.maxJerk[i])
            guard let best = planner.timeOptimal() else { throw TrajectoryError.noProfile(dof: i) }
            braked.append(axis); planners.append(planner); fastest.append(best)
        }
        let minimal = (0..<n).map { braked[$0].duration + fastest[$0].duration }
        let duration = minimal.max() ?? 0
        var axes: [AxisProfile] = []
        for i in 0..<n {
            var axis = braked[i]
            if minimal[i] == duration {
                axis.append(fastest[i].segments)
            } else if let p = planners[i].synchronized(to: duration - braked[i].duration) {
                axis.append(p.segments)
            } else if let p = planners[i].brakingProfile(duration: duration - braked[i].duration) {
                axis.append(p)
            } else {
                // Never seen against ruckig; kept so that planning cannot fail: arrive early, then rest.
                axis.append(fastest[i].segments)
            }
            axes.append(axis)
        }
        return JerkLimitedTrajectory(knots: KnotTable(axes), target: targetPosition, duration: duration,
                                     brakeDurations: braked.map(\.duration))
    }

    /// The state at time `t`, clamped to [0, duration]; at and after the end, exactly the target at rest.
    public func sample(at t: Double) -> MotionState {
        let n = target.count
        if t >= duration { return MotionState(position: target) }
        let time = max(t, 0)
        var p = [Double](), v = [Double](), a = [Double]()
        p.reserveCapacity(n); v.reserveCapacity(n); a.reserveCapacity(n)
        for i in 0..<n {
            let st = knots.state(axis: i, at: time)
            p.append(st.p); v.append(st.v); a.append(st.a)
        }
        return MotionState(position: p, velocity: v, acceleration: a)
    }

    private static func validate(_ start: MotionState, _ target: [Double], _ limits: JerkLimits) throws {
        let n = target.count
        let arrays: [(String, [Double])] = [
            ("start.position", start.position), ("start.velocity", start.velocity),
            ("start.acceleration", start.acceleration), ("limits.maxVelocity", limits.maxVelocity),
            ("limits.maxAcceleration", limits.maxAcceleration), ("limits.maxJerk", limits.maxJerk),
        ]
        for (name, values) in arrays where values.count != n {
            throw TrajectoryError.dimensionMismatch(field: name, expected: n, got: values.count)
        }
        for (name, values) in arrays + [("target", target)] {
            for (i, x) in values.enumerated() where !x.isFinite || (name.hasPrefix("limits") && x <= 0) {
                throw TrajectoryError.invalidValue(field: name, dof: i, value: x)
            }
        }
    }
}
