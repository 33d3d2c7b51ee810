import Foundation
import Testing
import TestSupport
import VLMath
@testable import Sim

/// RoboTwin's per-arm move timing (`JointMoveTiming`) against PyPI toppra 0.6.10 called exactly as mplib 0.2.1
/// `Planner.TOPP` calls it (robotwin-embodiment.md §5.1), and the step-count table of §5.2.
@Suite struct JointMoveTimingTests {
    /// RoboTwin's planner limits (mplib defaults) and physics rate.
    static let timing = JointMoveTiming(velocity: 1, acceleration: 1, rate: 250)

    /// mplib 0.2.1 `Planner.TOPP(path, step)` (mplib/planner.py l.351–375) on each two-waypoint path; prints per path
    /// the duration and sample count (null when toppra returns no trajectory, as mplib then raises) and the path
    /// fraction of the largest-moving joint at a few sample indices.
    static let script = #"""
import json, sys, logging
import numpy as np
import toppra as ta
import toppra.algorithm as algo
import toppra.constraint as constraint
logging.disable(logging.CRITICAL)
req = json.load(sys.stdin)
out = []
for start, goal in req["paths"]:
    path = np.array([start, goal], dtype=float)
    step = 1 / req["rate"]
    N = path.shape[0]
    ss = np.linspace(0, 1, N)
    pi = ta.SplineInterpolator(ss, path)
    pc_vel = constraint.JointVelocityConstraint(np.ones(path.shape[1]))
    pc_acc = constraint.JointAccelerationConstraint(np.ones(path.shape[1]))
    instance = algo.TOPPRA([pc_vel, pc_acc], pi, parametrizer="ParametrizeConstAccel")
    jnt_traj = instance.compute_trajectory()
    if jnt_traj is None:
        out.append(None)
        continue
    ts_sample = np.linspace(0, jnt_traj.duration, int(jnt_traj.duration / step))
    n = len(ts_sample)
    j = int(np.argmax(np.abs(path[1] - path[0])))
    idx = sorted({0, n // 4, n // 2, (3 * n) // 4, n - 1}) if n > 0 else []
    q, qd = jnt_traj(ts_sample, 0), jnt_traj(ts_sample, 1)
    d = path[1, j] - path[0, j]
    out.append({"duration": float(jnt_traj.duration), "samples": n, "at": idx,
                "s": [float((q[i, j] - path[0, j]) / d) for i in idx], "sd": [float(qd[i, j] / d) for i in idx]})
json.dump(out, sys.stdout)
"""#

    struct Oracle { let duration: Double, samples: Int, at: [Int], s: [Double], sd: [Double] }

    static func toppra(_ paths: [(start: [Double], goal: [Double])]) throws -> [Oracle?] {
        let request: [String: Any] = ["rate": timing.rate, "paths": paths.map { [$0.start, $0.goal] }]
        let output = try TestSupport.python(script, stdin: try JSONSerialization.data(withJSONObject: request))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Any])
        return rows.map { row in
            guard let r = row as? [String: Any] else { return nil }
            return Oracle(duration: r["duration"] as! Double, samples: r["samples"] as! Int, at: r["at"] as! [Int],
                          s: r["s"] as! [Double], sd: r["sd"] as! [Double])
        }
    }

    /// A single-joint move of `d` on joint 3 (0-based 2) from a non-zero start.
    static func single(_ d: Double) -> (start: [Double], goal: [Double]) {
        let start = [0.1, -0.2, 0.3, 0, 0.5, -0.6]
        var goal = start
        goal[2] += d
        return (start, goal)
    }

    /// §5.2's Δ values, random six-joint moves, Δ where the analytic duration lies just below a whole sample but
    /// toppra's is above it (250·(Δ + 1) = k − 0.002, Δ > 1), and tiny Δ across toppra's smallest solvable move.
    static func sweep() -> [(start: [Double], goal: [Double])] {
        var rng = SeededRandom(seed: 515)
        let table = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0].map(single)
        let random = (0..<40).map { _ -> (start: [Double], goal: [Double]) in
            let start = (0..<6).map { _ in rng.uniform(-1.5, 1.5) }
            return (start, start.map { $0 + rng.uniform(-1.5, 1.5) })
        }
        let belowWhole = [880, 900, 925, 950, 975, 999].map { single((Double($0) - 0.002) / 250 - 1) }
        let tiny = [0, 1e-6, 4e-6, 1e-5, 1.4e-5, 1.5e-5, 3e-5, 1e-4].map(single)
        return table + random + belowWhole + tiny
    }

    @Test func sampleCountsAndProfileMatchToppra() throws {
        let paths = Self.sweep()
        let oracle = try Self.toppra(paths)
        try #require(oracle.count == paths.count)
        var analyticDiffers = 0, worstDuration = 0.0, worstFraction = 0.0
        for (path, expected) in zip(paths, oracle) {
            let distance = zip(path.start, path.goal).map { abs($1 - $0) }.max()!
            let ours = Self.timing.move(distance: distance)
            guard let expected, expected.samples > 0 else {
                #expect(ours == nil, "Δ = \(distance): toppra gives no samples, ours \(ours?.samples ?? 0)")
                continue
            }
            let move = try #require(ours, "Δ = \(distance): toppra gives \(expected.samples) samples, ours none")
            #expect(move.samples == expected.samples, "Δ = \(distance): \(move.samples) samples, toppra \(expected.samples)")
            worstDuration = max(worstDuration, abs(move.duration - expected.duration))
            for (k, i) in expected.at.enumerated() {
                let (s, sd) = move.sample(i)
                worstFraction = max(worstFraction, abs(s - expected.s[k]), abs(sd - expected.sd[k]) * 1e-3)
            }
            let analytic = distance >= 1 ? distance + 1 : 2 * distance.squareRoot()
            if Int((analytic * 250).rounded(.down)) != expected.samples { analyticDiffers += 1 }
        }
        #expect(worstDuration < 1e-6, "worst duration difference \(worstDuration) s")
        #expect(worstFraction < 1e-6, "worst path fraction (or 1e-3 × path speed) difference \(worstFraction)")
        // The sweep includes moves where the closed-form bang-bang count is one short of toppra's (and the tiny
        // moves toppra cannot solve): the grid model is what makes them agree.
        #expect(analyticDiffers >= 6, "only \(analyticDiffers) moves where the analytic count differs")
    }

    /// robotwin-embodiment.md §5.2 literally: Δ (rad) → samples at 250 Hz.
    @Test func stepCountTable() {
        let table: [(Double, Int)] = [(0.001, 15), (0.005, 35), (0.01, 50), (0.02, 70), (0.05, 111), (0.1, 158),
                                      (0.2, 223), (0.5, 353), (1.0, 500), (2.0, 750), (3.0, 1000)]
        for (d, n) in table { #expect(Self.timing.move(distance: d)?.samples == n, "Δ = \(d)") }
        #expect(Self.timing.move(distance: 0) == nil)  // no plan: the arm idles 50 steps
    }

    /// Every move starts at rest at the start and ends at rest exactly at the goal, monotonically.
    @Test func profileIsRestToRest() throws {
        for d in [0.003, 0.3, 1.7] {
            let m = try #require(Self.timing.move(distance: d))
            #expect(m.sample(0) == (0, 0))
            let (s, sd) = m.sample(m.samples - 1)
            #expect(abs(s - 1) < 1e-12 && abs(sd) < 1e-9, "Δ = \(d): ends at s = \(s), ṡ = \(sd)")
            let fractions = (0..<m.samples).map { m.sample($0).0 }
            #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(m.speeds.max()! * d <= 1 + 1e-12)  // joint speed ≤ 1 rad/s
        }
    }
}
