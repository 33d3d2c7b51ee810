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

    /// The first plateau profile landing on the target, trying the lead that brakes harder first. The family
    /// exists only on sub-ranges of lead lengths, so the scan locates each range's ends by bisection and looks
    /// for distance sign changes between consecutive valid points.
    func plateauProfile(duration: Double) -> [JerkSegment]? {
        let braking: Double = v0 > 0 ? -1 : 1
        for sign in [braking, -braking] {
            let residual = { (u: Double) in plateau(lead: u, sign: sign, duration: duration).map { $0.distance - distance } }
            let toLimit = max((aMax - sign * a0) / jMax, 0)
            var previous: (u: Double, r: Double?)?
            for u in RootFinding.grid(from: 0, to: duration, through: [toLimit], subdivisions: 16) {
                var points = [(u, residual(u))]
                if let prev = previous, (prev.r == nil) != (points[0].1 == nil) {
                    let edge = Self.validityEdge(prev.u, u, validAtLow: prev.r != nil) { residual($0) != nil }
                    points.insert((edge, residual(edge)), at: 0)
                }
                for (x, r) in points {
                    if let r, let prev = previous, let pr = prev.r, (pr < 0) != (r < 0) || r == 0 {
                        let root = r == 0 ? x : RootFinding.brent(prev.u, x, fa: pr, fb: r) { residual($0) ?? .nan }
                        if let q = plateau(lead: root, sign: sign, duration: duration) { return q.segments }
                    }
                    previous = (x, r)
                }
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
