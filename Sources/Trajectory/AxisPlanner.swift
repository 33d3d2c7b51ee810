// Single-DOF planning: the time-optimal profile and accelerate–cruise–stop profiles of a prescribed duration.

/// A profile of the "peak velocity" family: change velocity to a peak (ending with zero acceleration), cruise
/// there, then stop at the target. With the target at rest, every profile of Ruckig's cruise families has this
/// shape, and so has every time-optimal one except the "dips" (see `AxisPlanner.dip`), which use `lead`.
struct PeakProfile {
    /// A leading ramp that relaxes the start acceleration part-way towards zero (used only by "dip" profiles,
    /// which brake monotonically to rest without the acceleration ever touching zero in between).
    var lead = JerkSegment(duration: 0, jerk: 0)
    var accel: VelocityChange
    var cruise: Double
    var decel: VelocityChange
    var duration: Double { lead.duration + accel.duration + cruise + decel.duration }

    var segments: [JerkSegment] {
        [lead] + accel.segments + [JerkSegment(duration: cruise, jerk: 0)] + decel.segments
    }

    /// Ruckig's preference order among profiles of one duration (see `AxisPlanner.synchronized`):
    /// lower is tried first. Direction = sign of the first jerk; then which acceleration limits are reached;
    /// then whether the deceleration ramps opposite to the acceleration (UDDU) or the same way (UDUD).
    func preference(upFirst: Bool) -> Int {
        let up = accel.jerk > 0
        let directionRank = up == upFirst ? 0 : 1
        let typeRank: Int
        switch (accel.reachesAccelerationLimit, decel.reachesAccelerationLimit) {
        case (true, true): typeRank = 0
        case (false, false): typeRank = 1
        case (true, false): typeRank = 2
        case (false, true): typeRank = 3
        }
        let uddu = decel.duration == 0 || (decel.jerk > 0) != up
        let cruiseRank = cruise > 0 ? 0 : 1
        return ((cruiseRank * 2 + directionRank) * 4 + typeRank) * 2 + (uddu ? 0 : 1)
    }
}

/// One DOF from a state within the limits (after any brake) to a target at rest `distance` away.
struct AxisPlanner {
    let v0: Double, a0: Double, distance: Double
    let vMax: Double, aMax: Double, jMax: Double

    /// Interior grid steps between breakpoints when scanning for roots.
    private static let subdivisions = 6

    func accel(_ peak: Double) -> VelocityChange {
        VelocityChange(from: v0, a0, to: peak, aMax: aMax, jMax: jMax)
    }

    func decel(_ peak: Double) -> VelocityChange {
        VelocityChange(from: peak, 0, to: 0, aMax: aMax, jMax: jMax)
    }

    /// Time and distance of accelerating to `peak` and stopping again without cruising.
    @inline(__always)
    func reach(_ peak: Double) -> (time: Double, distance: Double) {
        let a = accel(peak), d = decel(peak)
        return (a.duration + d.duration, a.distance(v: v0, a: a0) + d.distance(v: peak, a: 0))
    }

    private var naturalVelocity: Double { VelocityChange.naturalVelocity(v: v0, a: a0, jMax: jMax) }

    /// Peak velocities where the family's shape changes (acceleration limit reached, ramp direction flips).
    private var breakpoints: [Double] {
        let accelLimitSpan = (aMax * aMax - a0 * a0 / 2) / jMax
        let decelLimitSpan = aMax * aMax / jMax
        return [naturalVelocity, v0 + accelLimitSpan, v0 - accelLimitSpan, decelLimitSpan, -decelLimitSpan, 0]
    }

    private func profile(_ peak: Double, cruise: Double) -> PeakProfile {
        PeakProfile(accel: accel(peak), cruise: cruise, decel: decel(peak))
    }

    /// The time-optimal profile: the fastest of the extremal ones (full jerk, no slack), i.e. cruises at ±vMax,
    /// cruise-free peaks and dips that land exactly on the target. With the target at rest Ruckig reports no
    /// blocked durations (its step 1 stops at the first profile found), so every longer duration is realisable.
    func timeOptimal() -> PeakProfile? {
        extremalProfiles().min { $0.duration < $1.duration }
    }

    private func extremalProfiles() -> [PeakProfile] {
        var out: [PeakProfile] = []
        for peak in [vMax, -vMax] {
            let r = reach(peak)
            let cruise = (distance - r.distance) / peak
            if cruise > 0 { out.append(profile(peak, cruise: cruise)) }
        }
        let grid = RootFinding.grid(from: -vMax, to: vMax, through: breakpoints, subdivisions: Self.subdivisions)
        for peak in RootFinding.roots(on: grid, { reach($0).distance - distance }) {
            out.append(profile(peak, cruise: 0))
        }
        if a0 != 0 {
            let grid = RootFinding.grid(from: 0, to: abs(a0), through: [], subdivisions: Self.subdivisions)
            for level in RootFinding.roots(on: grid, { dip($0).distance - distance }) where level > 0 && level < abs(a0) {
                out.append(dip(level).profile)
            }
        }
        return out
    }

    /// The "dip" profile: relax the start acceleration to `level` (same sign, smaller magnitude), then change
    /// velocity to rest time-optimally. It exists when the start acceleration already brakes towards rest and the
    /// braking must be softened first to cover more distance; its acceleration never crosses zero.
    func dip(_ level: Double) -> (profile: PeakProfile, distance: Double) {
        let sign: Double = a0 > 0 ? 1 : -1
        let ramp = JerkSegment(duration: (abs(a0) - level) / jMax, jerk: -sign * jMax)
        let mid = AxisState(p: 0, v: v0, a: a0).advanced(by: ramp.duration, jerk: ramp.jerk)
        let change = VelocityChange(from: mid.v, sign * level, to: 0, aMax: aMax, jMax: jMax)
        let stop = VelocityChange(from: 0, 0, to: 0, aMax: aMax, jMax: jMax)
        let p = PeakProfile(lead: ramp, accel: change, cruise: 0, decel: stop)
        return (p, mid.p + change.distance(v: mid.v, a: sign * level))
    }

    /// A profile lasting exactly `duration`, chosen as Ruckig's step 2 would: among the peak velocities whose
    /// accelerate-cruise-stop profile fits the duration, prefer cruising ones in the direction of the
    /// required mean velocity, then by which acceleration limits they reach (`PeakProfile.preference`).
    func synchronized(to duration: Double) -> PeakProfile? {
        let upFirst = distance > duration * v0
        var best: (rank: Int, profile: PeakProfile)?
        for (lo, hi) in feasiblePeakRanges(duration) {
            let grid = RootFinding.grid(from: lo, to: hi, through: breakpoints, subdivisions: Self.subdivisions)
            let roots = RootFinding.roots(on: grid) { peak in
                let r = reach(peak)
                return r.distance + peak * max(duration - r.time, 0) - distance
            }
            for peak in roots {
                let p = profile(peak, cruise: max(duration - reach(peak).time, 0))
                let rank = p.preference(upFirst: upFirst)
                if best == nil || rank < best!.rank { best = (rank, p) }
            }
        }
        return best?.profile
    }

    /// The peak velocities whose cruise-free time is at most `duration`, as intervals. The cruise-free time is
    /// V-shaped in the peak around the natural velocity and around zero, so it is monotone on the pieces
    /// between those kinks, except for one interior maximum between them, which is located and split at.
    private func feasiblePeakRanges(_ duration: Double) -> [(Double, Double)] {
        let time = { (peak: Double) in reach(peak).time }
        var knots = [-vMax, vMax]
        let vn = naturalVelocity
        for k in [vn, 0] where k > -vMax && k < vMax { knots.append(k) }
        knots.sort()
        var pieces: [(Double, Double)] = []
        for i in 1..<knots.count where knots[i] > knots[i - 1] {
            let lo = knots[i - 1], hi = knots[i]
            if lo >= min(vn, 0) && hi <= max(vn, 0) {
                let top = Self.argmax(lo, hi, time)
                pieces.append((lo, top)); pieces.append((top, hi))
            } else {
                pieces.append((lo, hi))
            }
        }
        var out: [(Double, Double)] = []
        for (lo, hi) in pieces {
            let tl = time(lo) - duration, th = time(hi) - duration
            if tl <= 0 && th <= 0 {
                out.append((lo, hi))
            } else if tl <= 0 || th <= 0 {
                let edge = RootFinding.brent(lo, hi, fa: tl, fb: th) { time($0) - duration }
                out.append(tl <= 0 ? (lo, edge) : (edge, hi))
            }
        }
        return out
    }

    /// Golden-section search for the maximum of a unimodal function on [lo, hi]. It only splits a range into
    /// monotone pieces, so 1e-10 is ample: the edge searches on either side are bracketed anyway.
    private static func argmax(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> Double {
        let r = (5.0.squareRoot() - 1) / 2
        var a = lo, b = hi
        var c = b - r * (b - a), d = a + r * (b - a)
        var fc = f(c), fd = f(d)
        while b - a > 1e-10 * max(1, abs(a)) {
            if fc > fd { b = d; d = c; fd = fc; c = b - r * (b - a); fc = f(c) }
            else { a = c; c = d; fc = fd; d = a + r * (b - a); fd = f(d) }
        }
        return (a + b) / 2
    }
}
