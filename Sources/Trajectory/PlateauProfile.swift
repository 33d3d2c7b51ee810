// Profiles of a prescribed duration for DOFs that must brake to rest without any cruise phase.

/// When no accelerate–cruise–stop profile fits the synchronised duration (typically a DOF that is already
/// braking hard towards a near target), Ruckig stretches the braking instead: ramp the acceleration (possibly to
/// its limit and hold it), then ramp to an intermediate level, hold that level, and ramp to zero — acceleration
/// keeps one sign, velocity falls monotonically to rest. Given the lead ramp, the tail is closed-form, so one
/// parameter (the lead's length) is left, found by root finding on the distance.
extension AxisPlanner {
    /// The profile whose lead lasts `lead` seconds with jerk sign `sign` (holding at the limit once reached), and
    /// whose tail brings the state to rest exactly at `duration`; nil where no monotone tail exists.
    func plateau(lead: Double, sign: Double, duration: Double) -> (segments: [JerkSegment], distance: Double)? {
        let toLimit = max((aMax - sign * a0) / jMax, 0)
        let ramp = min(lead, toLimit), hold = max(lead - toLimit, 0)
        var st = AxisState(p: 0, v: v0, a: a0).advanced(by: ramp, jerk: sign * jMax)
        if hold > 0 { st = AxisState(p: st.p, v: st.v, a: sign * aMax).advanced(by: hold, jerk: 0) }
        let a1 = st.a, side: Double = a1 > 0 ? 1 : -1
        let level = duration - ramp - hold - abs(a1) / jMax
        guard level > 0 else { return nil }
        let a2 = (-st.v - side * a1 * a1 / (2 * jMax)) / level
        guard side * a2 >= 0 && side * a2 <= side * a1 else { return nil }
        let tail = [JerkSegment(duration: abs(a1 - a2) / jMax, jerk: -side * jMax),
                    JerkSegment(duration: level, jerk: 0),
                    JerkSegment(duration: abs(a2) / jMax, jerk: -side * jMax)]
        for s in tail { st = st.advanced(by: s.duration, jerk: s.jerk) }
        return ([JerkSegment(duration: ramp, jerk: sign * jMax), JerkSegment(duration: hold, jerk: 0)] + tail, st.p)
    }

    /// Four full-jerk ramps (first jerk `sign`·J for `lead` seconds, then alternating) whose acceleration ends at
    /// zero exactly at `duration`: given the lead, the remaining three ramp lengths follow in closed form (the end
    /// acceleration and the duration fix the middle ramp and the sum of the outer two; the velocity is linear in
    /// the split). Ruckig's "UDUD T 0246" step-2 profile.
    func zigzag(lead: Double, sign: Double, duration: Double) -> (segments: [JerkSegment], distance: Double)? {
        let st = AxisState(p: 0, v: v0, a: a0).advanced(by: lead, jerk: sign * jMax)
        let b = sign * st.a, rest = duration - lead
        guard rest > 0, b <= aMax else { return nil }
        let middle = (rest - b / jMax) / 2, outer = (rest + b / jMax) / 2
        let slope = b - jMax * middle - jMax * outer
        guard middle >= 0, outer >= 0, slope != 0 else { return nil }
        let need = -sign * st.v - middle * b - jMax * middle * middle / 2 - jMax * outer * outer / 2
        let first = need / slope, last = outer - first
        guard first >= 0, last >= 0, abs(b - jMax * first) <= aMax, jMax * last <= aMax else { return nil }
        let segments = [JerkSegment(duration: lead, jerk: sign * jMax), JerkSegment(duration: first, jerk: -sign * jMax),
                        JerkSegment(duration: middle, jerk: sign * jMax), JerkSegment(duration: last, jerk: -sign * jMax)]
        var end = AxisState(p: 0, v: v0, a: a0)
        for s in segments { end = end.advanced(by: s.duration, jerk: s.jerk) }
        return (segments, end.p)
    }

    /// A cruise-free profile of exactly `duration`, in Ruckig's step-2 order: direction of the required mean
    /// velocity first; within a direction, plateaus whose lead holds the acceleration limit, then zigzags, then
    /// plateaus whose lead stays below the limit.
    func brakingProfile(duration: Double) -> [JerkSegment]? {
        let first: Double = distance > duration * v0 ? 1 : -1
        for sign in [first, -first] {
            let toLimit = max((aMax - sign * a0) / jMax, 0)
            let families: [(ClosedRange<Double>, (Double) -> (segments: [JerkSegment], distance: Double)?)] = [
                (toLimit...max(duration, toLimit), { plateau(lead: $0, sign: sign, duration: duration) }),
                (0...min(duration, toLimit), { zigzag(lead: $0, sign: sign, duration: duration) }),
                (0...min(duration, toLimit), { plateau(lead: $0, sign: sign, duration: duration) }),
            ]
            for (range, family) in families where range.upperBound > range.lowerBound {
                if let found = firstLanding(family, in: range) { return found }
            }
        }
        return nil
    }

    /// The first member of a one-parameter family that lands on the target. Families exist only on sub-ranges of
    /// their parameter, so the scan locates each sub-range's ends by bisection and looks for sign changes of the
    /// distance residual between consecutive valid points.
    private func firstLanding(_ family: @escaping (Double) -> (segments: [JerkSegment], distance: Double)?,
                              in range: ClosedRange<Double>) -> [JerkSegment]? {
        let residual = { (u: Double) in family(u).map { $0.distance - distance } }
        var previous: (u: Double, r: Double?)?
        for u in RootFinding.grid(from: range.lowerBound, to: range.upperBound, through: [], subdivisions: 24) {
            var points = [(u, residual(u))]
            if let prev = previous, (prev.r == nil) != (points[0].1 == nil) {
                let edge = Self.validityEdge(prev.u, u, validAtLow: prev.r != nil) { residual($0) != nil }
                points.insert((edge, residual(edge)), at: 0)
            }
            for (x, r) in points {
                if let r, let prev = previous, let pr = prev.r, (pr < 0) != (r < 0) || r == 0 {
                    let root = r == 0 ? x : RootFinding.brent(prev.u, x, fa: pr, fb: r) { residual($0) ?? .nan }
                    if let q = family(root) { return q.segments }
                }
                previous = (x, r)
            }
        }
        return nil
    }

    /// The last valid point of [lo, hi] (or first, when `validAtLow` is false), by bisection on `isValid`.
    private static func validityEdge(_ lo: Double, _ hi: Double, validAtLow: Bool,
                                     _ isValid: (Double) -> Bool) -> Double {
        var good = validAtLow ? lo : hi, bad = validAtLow ? hi : lo
        for _ in 0..<60 {
            let mid = (good + bad) / 2
            if isValid(mid) { good = mid } else { bad = mid }
        }
        return good
    }
}
