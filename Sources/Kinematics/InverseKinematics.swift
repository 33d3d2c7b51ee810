import Foundation
import VLMath

/// Outcome of `KinematicChain.inverse`. `q` always lies within the joint limits; when `converged` is false it is
/// the best configuration found (lowest pose error), which a controller may ignore and hold position instead.
public struct IKResult: Sendable {
    public var q: [Double]
    public var converged: Bool
    public var iterations: Int
    /// ‖p_target − p(q)‖ in metres.
    public var positionError: Double
    /// Angle of R_target·R(q)ᵀ in radians.
    public var rotationError: Double
}

extension KinematicChain {
    /// Damping bounds of the Levenberg–Marquardt schedule (λ², in the units of J·Jᵀ: m² and rad²).
    static let minimumDamping = 1e-10
    static let maximumDamping = 1e6

    /// Damped-least-squares inverse kinematics (closed-loop IK as in Pinocchio's CLIK, which SAPIEN uses):
    /// from `seed`, repeat q ← clamp(q + Jᵀ(J·Jᵀ + λ²I)⁻¹·e) with e = (p_t − p, log(R_t·Rᵀ)) the 6-D pose error in
    /// the base frame, until both tolerances hold or `maxIterations` steps were taken.
    ///
    /// Damping choice: SAPIEN's CLIK settings are UNVERIFIED (simplerenv-tasks.md §2.3, §10), so λ follows a
    /// Levenberg–Marquardt schedule rather than a fixed value: start at λ² = `initialDamping` (1e-4, small against
    /// J·Jᵀ's scale of 0.01–1 for arm-sized chains), divide it by 10 after a step that lowers ‖e‖² (down to 1e-10,
    /// so full Gauss–Newton steps and quadratic convergence near the solution) and multiply it by 10 after a step
    /// that does not (the step is then rejected). That keeps steps bounded near singularities and at joint
    /// limits, where a fixed small λ overshoots. Joints resting on a limit and pushed outward are dropped from
    /// the solve for that iteration (an active set), so the remaining joints do the work. Solving stops early,
    /// unconverged, once λ² exceeds 1e6 (no descent direction left within the limits). Each iteration costs one
    /// FK+Jacobian pass and one or a few 6×6 LAPACK solves; for a non-redundant chain the solution is the same
    /// local solution the CLIK fixed point reaches.
    public func inverse(target: Pose, seed: [Double], maxIterations: Int = 100, positionTolerance: Double = 1e-4,
                        rotationTolerance: Double = 1e-3) -> IKResult {
        precondition(seed.count == dof, "KinematicChain.inverse: seed has \(seed.count) values for \(dof) joints")
        let n = dof
        var q = (0..<n).map { seed[$0].clamped(lowerLimits[$0], upperLimits[$0]) }
        var trial = q
        var jac = [Double](repeating: 0, count: 6 * n), trialJac = jac
        var e = Self.poseError(target, forwardAndJacobian(q, into: &jac))
        var cost = Self.squaredNorm(e)
        var damping = initialDamping
        var normal = Matrix(rows: 6, cols: 6)
        var iterations = 0
        func converged(_ e: [Double]) -> Bool {
            (e[0] * e[0] + e[1] * e[1] + e[2] * e[2]).squareRoot() <= positionTolerance
                && (e[3] * e[3] + e[4] * e[4] + e[5] * e[5]).squareRoot() <= rotationTolerance
        }
        var free = [Bool](repeating: true, count: n)
        while !converged(e) && iterations < maxIterations {
            iterations += 1
            // Active set: a joint resting on a limit whose step pushes outward is left out of the solve, so the
            // other joints take up its share instead of the clamped step stalling (at most n passes).
            for k in 0..<n { free[k] = true }
            var solved = true
            for _ in 0..<n {
                guard let y = dampedStep(jac, e, free, damping, &normal) else { solved = false; break }
                var locked = false
                for k in 0..<n where free[k] {
                    var d = 0.0
                    for r in 0..<6 { d += jac[r * n + k] * y[r] }
                    if (q[k] <= lowerLimits[k] && d < 0) || (q[k] >= upperLimits[k] && d > 0) {
                        free[k] = false; locked = true
                    }
                    trial[k] = (q[k] + d).clamped(lowerLimits[k], upperLimits[k])
                }
                if !locked { break }
            }
            guard solved else { damping *= 10; continue }
            let trialError = Self.poseError(target, forwardAndJacobian(trial, into: &trialJac))
            let trialCost = Self.squaredNorm(trialError)
            if trialCost < cost {
                swap(&q, &trial); swap(&jac, &trialJac)
                e = trialError; cost = trialCost
                damping = max(damping * 0.1, Self.minimumDamping)
            } else {
                damping *= 10
                if damping > Self.maximumDamping { break }
            }
        }
        return IKResult(q: q, converged: converged(e), iterations: iterations,
                        positionError: (e[0] * e[0] + e[1] * e[1] + e[2] * e[2]).squareRoot(),
                        rotationError: (e[3] * e[3] + e[4] * e[4] + e[5] * e[5]).squareRoot())
    }

    /// y = (J_f·J_fᵀ + λ²I)⁻¹·e, with J_f the Jacobian restricted to the `free` columns.
    private func dampedStep(_ jac: [Double], _ e: [Double], _ free: [Bool], _ damping: Double,
                            _ normal: inout Matrix) -> [Double]? {
        let n = dof
        for r in 0..<6 {
            for c in r..<6 {
                var s = 0.0
                for k in 0..<n where free[k] { s += jac[r * n + k] * jac[c * n + k] }
                normal.data[r * 6 + c] = s; normal.data[c * 6 + r] = s
            }
            normal.data[r * 7] += damping
        }
        return normal.solve(e)
    }

    /// (p_t − p, log(R_t·Rᵀ)) in the base frame: the twist that moves `pose` onto `target` in unit time.
    static func poseError(_ target: Pose, _ pose: Pose) -> [Double] {
        let dp = target.p - pose.p
        let dr = (target.q * pose.q.conjugate).rotationVector
        return [dp.x, dp.y, dp.z, dr.x, dr.y, dr.z]
    }

    static func squaredNorm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 } }
}

extension KinematicChain {
    /// IK from each of `starts`, every revolute joint of each result moved by whole turns to the equivalent angle
    /// nearest `near` (joints with wide placeholder limits, e.g. RoboTwin's ±10 rad, otherwise come back turns away
    /// and make a long move of a short one). Callers pick among the results (converged, shortest, …).
    public func inverse(target: Pose, starts: [[Double]], near: [Double], maxIterations: Int = 100) -> [IKResult] {
        starts.map { start in
            var r = inverse(target: target, seed: start, maxIterations: maxIterations)
            for k in 0..<dof where !segments[k].prismatic {
                r.q[k] -= 2 * .pi * ((r.q[k] - near[k]) / (2 * .pi)).rounded()
            }
            return r
        }
    }
}
