import Foundation

/// mplib 0.2.1 `Planner.TOPP(path, 1/rate)` on RoboTwin's two-waypoint joint path, computed as toppra 0.6.10
/// does it (mplib 0.2.1 planner.py Planner.TOPP): the path is the straight joint-space line s ∈ [0, 1] ↦ start + s·(goal −
/// start) (toppra `SplineInterpolator` on `linspace(0, 1, 2)`), bounded by the same speed and acceleration on every
/// joint (`JointVelocityConstraint`, `JointAccelerationConstraint`), so only the largest joint distance Δ binds:
/// ṡ² ≤ (v/Δ)², |s̈| ≤ a/Δ. TOPPRA works on a grid of path points with a constant s̈ per segment
/// (`ParametrizeConstAccel`); its backward pass gives the largest controllable ṡ² per point, its forward pass the
/// greedy profile, each next value shrunk by toppra's numerical margin. The result is the analytic bang-bang move
/// (T = 2√(Δ/a) below the speed bound, Δ/v + v/a above) only where a switch falls on a grid point: above the speed
/// bound the segment holding the switch is slower, up to 1.2·10⁻⁴ s at Δ = 3 rad, which is a whole sample when
/// 250·T lies just below an integer. Samples are `linspace(0, T, int(T / step))`; none (Δ = 0, a move shorter than
/// one step, or one too short for toppra's solver) means no plan.
struct JointMoveTiming: Sendable {
    let velocity: Double, acceleration: Double, rate: Double

    /// toppra `interpolator.propose_gridpoints` defaults (max segment 0.05, at least 100 points) on a straight path,
    /// where no segment is split for curvature: [0, 1] halved to 32 segments, then every segment halved until there
    /// are ≥ 100 points — 128 equal segments.
    static let gridSegments = 128
    /// toppra's forward pass keeps the next ṡ² at max(x − TINY, 0.9999·x) (`reachability_algorithm.py`
    /// `compute_parameterization`; TINY = 1e-8 in `toppra/constants.py`).
    static let tiny = 1e-8, shrink = 0.9999
    /// toppra 0.6.10 (its default seidel solver) returns no trajectory when Δ²/a < 2·10⁻¹⁰ — Δ below 1.41·10⁻⁵ rad
    /// at 1 rad/s² — found by bisection against PyPI toppra (JointMoveTimingTests sweeps across it); mplib then raises
    /// and RoboTwin idles the arm, although the analytic move would give one sample from Δ = 4·10⁻⁶ rad.
    static let smallestSolvable = 2e-10

    /// One arm's time-parameterised move: path speed ṡ at each grid point and the time it is reached.
    struct Move: Sendable {
        let duration: Double, samples: Int
        let speeds: [Double], times: [Double]

        /// Path fraction s and its rate ṡ at sample `i` (0-based; sample 0 is the start, t = i·T/(n − 1)), as
        /// toppra's `ParametrizeConstAccel` evaluates them: constant s̈ within the segment holding t.
        func sample(_ i: Int) -> (Double, Double) {
            let t = samples > 1 ? duration * Double(i) / Double(samples - 1) : 0
            let n = speeds.count - 1
            var k = 0
            while k + 1 < n, times[k + 1] <= t { k += 1 }  // searchsorted(times, t, "right") − 1, last segment at most
            let h = 1 / Double(n)
            let u = 0.5 * (speeds[k + 1] * speeds[k + 1] - speeds[k] * speeds[k]) / h
            let dt = t - times[k]
            return (Double(k) * h + dt * speeds[k] + 0.5 * dt * dt * u, speeds[k] + dt * u)
        }
    }

    /// The move over the largest joint distance `distance`, or nil when it yields no sample.
    func move(distance: Double) -> Move? {
        guard distance > 0, distance * distance / acceleration >= Self.smallestSolvable else { return nil }
        let n = Self.gridSegments, h = 1 / Double(n)
        let xMax = (velocity / distance) * (velocity / distance), uMax = acceleration / distance
        // Backward pass: the largest ṡ² from which the end (ṡ = 0) is still reachable.
        var reachable = [Double](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { reachable[i] = min(xMax, reachable[i + 1] + 2 * h * uMax) }
        // Forward pass from rest: the largest admissible s̈ per segment.
        var x = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            let next = x[i] + 2 * h * min(uMax, (reachable[i + 1] - x[i]) / (2 * h))
            x[i + 1] = min(reachable[i + 1], max(0, max(next - Self.tiny, Self.shrink * next)))
        }
        let speeds = x.map { $0.squareRoot() }
        var times = [0.0]
        for i in 0..<n { times.append(times[i] + 2 * h / (speeds[i] + speeds[i + 1])) }
        let duration = times[n]
        let samples = Int(duration / (1 / rate))
        guard samples > 0 else { return nil }
        return Move(duration: duration, samples: samples, speeds: speeds, times: times)
    }
}
