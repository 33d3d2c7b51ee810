// A single DOF's motion as a chain of constant-jerk segments, with exact polynomial evaluation.

/// Kinematic state of one DOF.
struct AxisState: Equatable {
    var p: Double, v: Double, a: Double

    /// The state after moving for `t` seconds at constant jerk `j`.
    @inline(__always)
    func advanced(by t: Double, jerk j: Double) -> AxisState {
        AxisState(p: p + t * (v + t * (a / 2 + t * j / 6)),
                  v: v + t * (a + t * j / 2),
                  a: a + t * j)
    }
}

/// One constant-jerk piece of a profile.
struct JerkSegment: Equatable {
    var duration: Double
    var jerk: Double
}

/// A DOF's trajectory while it is being built: its start state and consecutive constant-jerk segments, with each
/// segment's start time and state.
struct AxisProfile {
    private(set) var start: AxisState
    private(set) var segments: [JerkSegment] = []
    private(set) var startTimes: [Double] = []
    private(set) var startStates: [AxisState] = []
    private(set) var duration: Double = 0
    private(set) var end: AxisState

    init(start: AxisState) {
        self.start = start
        self.end = start
        // At most a brake (2), a lead (1), a velocity change (3), a cruise (1) and a stop (3).
        segments.reserveCapacity(10); startTimes.reserveCapacity(10); startStates.reserveCapacity(10)
    }

    /// Appends a segment; zero-length ones are dropped (they do not change the motion).
    mutating func append(_ duration: Double, jerk: Double) {
        guard duration > 0 else { return }
        segments.append(JerkSegment(duration: duration, jerk: jerk))
        startTimes.append(self.duration)
        startStates.append(end)
        self.duration += duration
        end = end.advanced(by: duration, jerk: jerk)
    }

    mutating func append(_ other: [JerkSegment]) {
        for s in other { append(s.duration, jerk: s.jerk) }
    }
}

/// Every DOF's segments in one flat array of plain values, so sampling a DOF costs a short backward search and
/// one cubic, with no per-DOF reference counting. Each DOF ends with a zero-jerk knot at its end state (at rest),
/// which also covers a DOF that arrives before the others.
struct KnotTable {
    private struct Knot { var time: Double; var state: AxisState; var jerk: Double }
    private var knots: [Knot] = []
    private var firstKnot: [Int] = [0]

    init(_ axes: [AxisProfile]) {
        knots.reserveCapacity(axes.reduce(0) { $0 + $1.segments.count + 1 })
        firstKnot.reserveCapacity(axes.count + 1)
        for axis in axes {
            for k in axis.segments.indices {
                knots.append(Knot(time: axis.startTimes[k], state: axis.startStates[k], jerk: axis.segments[k].jerk))
            }
            knots.append(Knot(time: axis.duration, state: axis.end, jerk: 0))
            firstKnot.append(knots.count)
        }
    }

    /// State of DOF `axis` at time `t` ≥ 0.
    @inline(__always)
    func state(axis: Int, at t: Double) -> AxisState {
        var k = firstKnot[axis + 1] - 1
        let first = firstKnot[axis]
        while k > first && knots[k].time > t { k -= 1 }
        let knot = knots[k]
        return knot.state.advanced(by: max(t - knot.time, 0), jerk: knot.jerk)
    }
}
