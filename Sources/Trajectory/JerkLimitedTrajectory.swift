// Multi-DOF, time-synchronised, jerk-limited trajectories to a target at rest (Ruckig's default behaviour).

/// A trajectory from an arbitrary start state to target positions with zero velocity and acceleration, every DOF
/// finishing together at the earliest duration all DOFs can realise (simplerenv-tasks.md §3.3, §9 item 7).
/// Semantics follow Ruckig 0.19 with `Synchronization.Time` and `DurationDiscretization.Continuous`: see
/// docs/trajectory.md.
public struct JerkLimitedTrajectory: Sendable {
    private let axes: [AxisProfile]
    private let target: [Double]
    public let duration: Double

    public var degreesOfFreedom: Int { target.count }

    /// Plans the trajectory; throws `TrajectoryError` for inconsistent or non-finite input.
    public static func plan(from start: MotionState, to targetPosition: [Double],
                            limits: JerkLimits) throws -> JerkLimitedTrajectory {
        try validate(start, targetPosition, limits)
        let n = targetPosition.count
        var braked: [AxisProfile] = []
        var planners: [AxisPlanner] = []
        var blocks: [DurationBlock] = []
        for i in 0..<n {
            var axis = AxisProfile(start: AxisState(p: start.position[i], v: start.velocity[i],
                                                    a: start.acceleration[i]))
            axis.append(Brake.segments(v0: axis.start.v, a0: axis.start.a, vMax: limits.maxVelocity[i],
                                       aMax: limits.maxAcceleration[i], jMax: limits.maxJerk[i]))
            let planner = AxisPlanner(v0: axis.end.v, a0: axis.end.a, distance: targetPosition[i] - axis.end.p,
                                      vMax: limits.maxVelocity[i], aMax: limits.maxAcceleration[i],
                                      jMax: limits.maxJerk[i])
            guard let block = DurationBlock(planner.extremalProfiles(), offset: axis.duration) else {
                throw TrajectoryError.noProfile(dof: i)
            }
            braked.append(axis); planners.append(planner); blocks.append(block)
        }
        let duration = try synchronizedDuration(blocks)
        var axes: [AxisProfile] = []
        for i in 0..<n {
            var axis = braked[i]
            if let exact = blocks[i].profile(endingAt: duration) {
                axis.append(exact.segments)
            } else if let p = planners[i].synchronized(to: duration - braked[i].duration) {
                axis.append(p.segments)
            } else {
                throw TrajectoryError.synchronizationFailed(duration: duration)
            }
            axes.append(axis)
        }
        return JerkLimitedTrajectory(axes: axes, target: targetPosition, duration: duration)
    }

    /// The earliest duration no DOF blocks: the DOF that defines it keeps its extremal profile, the others are
    /// re-planned to it.
    private static func synchronizedDuration(_ blocks: [DurationBlock]) throws -> Double {
        let candidates = blocks.flatMap { [$0.minimum] + $0.gaps.map(\.upper) }.sorted()
        for t in candidates where !blocks.contains(where: { $0.blocks(t) }) { return t }
        throw TrajectoryError.synchronizationFailed(duration: candidates.last ?? 0)
    }

    /// The state at time `t`, clamped to [0, duration]; at and after the end, exactly the target at rest.
    public func sample(at t: Double) -> MotionState {
        let n = target.count
        if t >= duration { return MotionState(position: target) }
        var s = MotionState(position: Array(repeating: 0, count: n), velocity: Array(repeating: 0, count: n),
                            acceleration: Array(repeating: 0, count: n))
        for i in 0..<n {
            let st = axes[i].state(at: t)
            s.position[i] = st.p; s.velocity[i] = st.v; s.acceleration[i] = st.a
        }
        return s
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

/// The durations one DOF can realise: [minimum, ∞) minus up to two open gaps, each bounded by extremal profiles
/// (Ruckig's "blocked intervals"). Durations include the brake phase (`offset`).
struct DurationBlock {
    struct Gap { var lower: Double; var upper: Double; var upperProfile: PeakProfile }
    let minimum: Double
    let minimumProfile: PeakProfile
    let gaps: [Gap]

    /// Ruckig's pairing rule: the fastest profile is the minimum; the remaining ones, sorted by duration, bound
    /// gaps pairwise. An even count means a double root was split in two (numerically), and the extra profile
    /// just duplicates the minimum's neighbour: the pairing then starts at the minimum itself.
    init?(_ profiles: [PeakProfile], offset: Double) {
        let sorted = profiles.sorted { $0.duration < $1.duration }
        guard let fastest = sorted.first else { return nil }
        minimum = fastest.duration + offset
        minimumProfile = fastest
        let rest = sorted.count % 2 == 1 ? Array(sorted.dropFirst()) : sorted
        var gaps: [Gap] = []
        var k = 0
        while k + 1 < rest.count && gaps.count < 2 {
            gaps.append(Gap(lower: rest[k].duration + offset, upper: rest[k + 1].duration + offset,
                            upperProfile: rest[k + 1]))
            k += 2
        }
        self.gaps = gaps
    }

    func blocks(_ t: Double) -> Bool {
        t < minimum || gaps.contains { $0.lower < t && t < $0.upper }
    }

    /// The extremal profile that lasts exactly `t` (the minimum or a gap's upper end), if `t` is one of those.
    func profile(endingAt t: Double) -> PeakProfile? {
        let eps = 2 * Double.ulpOfOne
        if abs(t - minimum) < eps { return minimumProfile }
        return gaps.first { abs(t - $0.upper) < eps }?.upperProfile
    }
}
