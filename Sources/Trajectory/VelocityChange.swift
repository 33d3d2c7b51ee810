// The time-optimal jerk-limited change of velocity: from (v, a) to (target velocity, zero acceleration).

/// Up to three segments: ramp the acceleration towards a peak (jerk s·J), hold it at the limit if the peak would
/// exceed it, ramp it back to zero (jerk −s·J). This is the second-order time-optimal profile on (v, a) and the
/// building block of every position profile here: acceleration phase, optional cruise, deceleration phase.
struct VelocityChange {
    var t1: Double, t2: Double, t3: Double
    /// Jerk of the first ramp (±J); the last ramp has the opposite sign.
    var jerk: Double
    var duration: Double { t1 + t2 + t3 }
    /// True when the acceleration limit is reached (a hold phase of positive length exists).
    var reachesAccelerationLimit: Bool { t2 > 0 }

    /// The velocity reached by ramping `a` to zero at full jerk, the dividing line between rising and falling.
    @inline(__always)
    static func naturalVelocity(v: Double, a: Double, jMax: Double) -> Double {
        v + a * abs(a) / (2 * jMax)
    }

    init(from v: Double, _ a: Double, to target: Double, aMax: Double, jMax: Double) {
        let s: Double = target >= VelocityChange.naturalVelocity(v: v, a: a, jMax: jMax) ? 1 : -1
        let vs = s * v, as_ = s * a, ts = s * target
        let peakSquared = jMax * (ts - vs) + as_ * as_ / 2
        let peak = peakSquared > 0 ? peakSquared.squareRoot() : 0
        if peak <= aMax {
            t1 = max((peak - as_) / jMax, 0)
            t2 = 0
            t3 = peak / jMax
        } else {
            t1 = max((aMax - as_) / jMax, 0)
            t3 = aMax / jMax
            t2 = max((ts - vs - (aMax * aMax - as_ * as_) / (2 * jMax) - aMax * aMax / (2 * jMax)) / aMax, 0)
        }
        jerk = s * jMax
    }

    var segments: [JerkSegment] {
        [JerkSegment(duration: t1, jerk: jerk), JerkSegment(duration: t2, jerk: 0),
         JerkSegment(duration: t3, jerk: -jerk)]
    }

    /// Distance covered from velocity `v`, acceleration `a`.
    func distance(v: Double, a: Double) -> Double {
        var st = AxisState(p: 0, v: v, a: a)
        st = st.advanced(by: t1, jerk: jerk)
        st = st.advanced(by: t2, jerk: 0)
        st = st.advanced(by: t3, jerk: -jerk)
        return st.p
    }
}
