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

/// A DOF's trajectory: its start state and consecutive constant-jerk segments. Segment start states and times
/// are cached so sampling costs one short search and one polynomial evaluation.
struct AxisProfile {
    private(set) var start: AxisState
    private(set) var segments: [JerkSegment] = []
    private var startTimes: [Double] = []
    private var startStates: [AxisState] = []
    private(set) var duration: Double = 0
    private(set) var end: AxisState

    init(start: AxisState) {
        self.start = start
        self.end = start
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

    /// State at time `t` (clamped to [0, duration]).
    func state(at t: Double) -> AxisState {
        if t <= 0 || segments.isEmpty { return start }
        if t >= duration { return end }
        var k = segments.count - 1
        while k > 0 && startTimes[k] > t { k -= 1 }
        return startStates[k].advanced(by: t - startTimes[k], jerk: segments[k].jerk)
    }
}
