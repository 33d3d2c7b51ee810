// The braking pre-trajectory for start states that violate (or will inevitably violate) the limits.

/// Ruckig's position-interface brake rule (its documented behaviour, reimplemented): when the start acceleration
/// exceeds the limit, or the start velocity exceeds the limit, or ramping the acceleration to zero would carry the
/// velocity past the limit, first brake with full jerk (and then, if needed, at the acceleration limit) until the
/// state is one from which a limit-respecting profile exists. At most two segments: jerk ∓J, then jerk 0.
/// Ruckig pads the brake durations by 2.2e-14 s; we do the same so that the following profiles agree.
enum Brake {
    private static let pad = 2.2e-14

    /// The brake segments for start velocity `v0` and acceleration `a0` (empty when no braking is needed).
    static func segments(v0: Double, a0: Double, vMax: Double, aMax: Double, jMax: Double) -> [JerkSegment] {
        let vMin = -vMax, aMin = -aMax
        if a0 > aMax {
            return accelerationBrake(v0, a0, vMax, vMin, aMax, aMin, jMax)
        } else if a0 < aMin {
            return accelerationBrake(v0, a0, vMin, vMax, aMin, aMax, -jMax)
        } else if (v0 > vMax && v0 - a0 * a0 / (2 * jMax) > vMin) || (a0 > 0 && v0 + a0 * a0 / (2 * jMax) > vMax) {
            return velocityBrake(v0, a0, vMax, vMin, aMax, aMin, jMax)
        } else if (v0 < vMin && v0 + a0 * a0 / (2 * jMax) < vMax) || (a0 < 0 && v0 - a0 * a0 / (2 * jMax) < vMin) {
            return velocityBrake(v0, a0, vMin, vMax, aMin, aMax, -jMax)
        }
        return []
    }

    /// C++ `std::min` semantics (a NaN first argument wins), which the brake durations rely on.
    private static func cmin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }

    private static func velocity(_ v0: Double, _ a0: Double, jerk: Double, after t: Double) -> Double {
        v0 + t * (a0 + jerk * t / 2)
    }

    /// Signed limits: (vMax, aMax, j) point in the braking direction's opposite; mirrored calls swap them.
    private static func accelerationBrake(_ v0: Double, _ a0: Double, _ vMax: Double, _ vMin: Double,
                                          _ aMax: Double, _ aMin: Double, _ j: Double) -> [JerkSegment] {
        let toAMax = (a0 - aMax) / j
        let vAtAMax = velocity(v0, a0, jerk: -j, after: toAMax)
        let vAtAZero = velocity(v0, a0, jerk: -j, after: a0 / j)
        if (vAtAZero > vMax && j > 0) || (vAtAZero < vMax && j < 0) {
            return velocityBrake(v0, a0, vMax, vMin, aMax, aMin, j)
        }
        var out = [JerkSegment(duration: toAMax + pad, jerk: -j)]
        if (vAtAMax < vMin && j > 0) || (vAtAMax > vMin && j < 0) {
            let toVMin = -(vAtAMax - vMin) / aMax
            let toVMax = -aMax / (2 * j) - (vAtAMax - vMax) / aMax
            out.append(JerkSegment(duration: max(cmin(toVMin, toVMax - pad), 0), jerk: 0))
        }
        return out
    }

    private static func velocityBrake(_ v0: Double, _ a0: Double, _ vMax: Double, _ vMin: Double,
                                      _ aMax: Double, _ aMin: Double, _ j: Double) -> [JerkSegment] {
        let toAMin = (a0 - aMin) / j
        let toVMax = a0 / j + (a0 * a0 + 2 * j * (v0 - vMax)).squareRoot() / abs(j)
        let toVMin = a0 / j + (a0 * a0 / 2 + j * (v0 - vMin)).squareRoot() / abs(j)
        let toEitherV = cmin(toVMax, toVMin)
        if toAMin < toEitherV {
            let vAtAMin = velocity(v0, a0, jerk: -j, after: toAMin)
            let holdToVMax = -(vAtAMin - vMax) / aMin
            let holdToVMin = aMin / (2 * j) - (vAtAMin - vMin) / aMin
            return [JerkSegment(duration: max(toAMin - pad, 0), jerk: -j),
                    JerkSegment(duration: max(cmin(holdToVMax, holdToVMin), 0), jerk: 0)]
        }
        return [JerkSegment(duration: max(toEitherV - pad, 0), jerk: -j)]
    }
}
