// Our planner against the real ruckig package on random start/target states.
import Foundation
import Testing
import Trajectory

struct Discrepancy: CustomStringConvertible {
    var duration = 0.0, position = 0.0, velocity = 0.0, acceleration = 0.0
    var worstCase = ""
    /// Cases where ruckig's own final position misses the target by more than `Tolerance.oracleMiss`.
    var impreciseOracle = 0
    var description: String {
        "duration \(duration) (relative), position \(position), velocity \(velocity), acceleration \(acceleration) "
            + "(\(worstCase)); ruckig itself off target by > 1e-9 in \(impreciseOracle) cases"
    }
}

enum Tolerance {
    /// Durations (relative to max(1 s, duration)) and sampled positions, velocities, accelerations.
    static let match = 1e-6
    /// Ruckig's final position is exact to ~1e-15 except in rare near-degenerate step-2 profiles, where its
    /// Newton-polished roots leave up to ~1e-8 (we measured 9.8e-9). Its switching times are then off by
    /// ~1e-8 s, which at jerk 50 shifts sampled accelerations by up to ~1e-6; only there the acceleration
    /// tolerance is widened to 1e-5 (positions and velocities keep 1e-6).
    static let oracleMiss = 1e-9
    static let accelerationWhenOracleMisses = 1e-5
}

/// Plans every case with both planners and returns the largest differences, with a description of each failure.
func compareWithRuckig(_ cases: [PlanningCase], samples: Int = 25) throws -> (Discrepancy, [String]) {
    let answers = try RuckigOracle.solve(cases, sampleCount: samples)
    var worst = Discrepancy()
    var failures: [String] = []
    for (c, answer) in zip(cases, answers) {
        guard let answer else { failures.append("\(c.label): ruckig failed"); continue }
        let ours: JerkLimitedTrajectory
        do { ours = try JerkLimitedTrajectory.plan(from: c.start, to: c.target, limits: c.limits) } catch {
            failures.append("\(c.label): \(error) \(c.json)"); continue
        }
        let dd = abs(ours.duration - answer.duration) / max(1, answer.duration)
        var dp = 0.0, dv = 0.0, da = 0.0
        for (t, ref) in zip(answer.times, answer.states) {
            let s = ours.sample(at: t)
            for i in c.target.indices {
                dp = max(dp, abs(s.position[i] - ref.position[i]))
                dv = max(dv, abs(s.velocity[i] - ref.velocity[i]))
                da = max(da, abs(s.acceleration[i] - ref.acceleration[i]))
            }
        }
        if max(dd, dp, dv, da) > max(worst.duration, worst.position, worst.velocity, worst.acceleration) {
            worst.worstCase = c.label
        }
        worst.duration = max(worst.duration, dd); worst.position = max(worst.position, dp)
        worst.velocity = max(worst.velocity, dv); worst.acceleration = max(worst.acceleration, da)
        let aTol = answer.miss > Tolerance.oracleMiss ? Tolerance.accelerationWhenOracleMisses : Tolerance.match
        if answer.miss > Tolerance.oracleMiss { worst.impreciseOracle += 1 }
        if max(dd, dp, dv) > Tolerance.match || da > aTol {
            failures.append("\(c.label): ours \(ours.duration) ruckig \(answer.duration) dp \(dp) dv \(dv) da \(da) \(c.json)")
        }
    }
    return (worst, failures)
}

/// Case counts per class; VLASER_TRAJ_SCALE=k multiplies them for a longer validation run (see docs/trajectory.md).
private func count(_ n: Int) -> Int {
    n * max(1, Int(ProcessInfo.processInfo.environment["VLASER_TRAJ_SCALE"] ?? "") ?? 1)
}

private func expectMatch(_ cases: [PlanningCase], _ name: String) throws {
    let (worst, failures) = try compareWithRuckig(cases)
    print("ruckig comparison, \(cases.count) \(name): worst \(worst)")
    #expect(failures.isEmpty, "\(failures.count) of \(cases.count) differ:\n\(failures.prefix(10).joined(separator: "\n"))")
}

@Suite struct RuckigComparisonTests {
    @Test func withinLimitStarts() throws {
        var gen = CaseGenerator(seed: 7)
        try expectMatch((0..<count(400)).map { gen.next(velocities: .withinLimits, index: $0) }, "within-limit starts")
    }

    @Test func smallMoves() throws {
        var gen = CaseGenerator(seed: 9)
        let cases = (0..<count(400)).map { gen.next(velocities: .withinLimits, reach: 0.05, index: $0) }
        try expectMatch(cases, "small moves (targets within 0.05 rad)")
    }

    @Test func startsAtRest() throws {
        var gen = CaseGenerator(seed: 11)
        let cases = (0..<count(100)).map { i -> PlanningCase in
            var c = gen.next(velocities: .withinLimits, index: i)
            c.start = MotionState(position: c.start.position)
            return c
        }
        try expectMatch(cases, "starts at rest")
    }

    @Test func velocitiesBeyondLimits() throws {
        var gen = CaseGenerator(seed: 8)
        try expectMatch((0..<count(150)).map { gen.next(velocities: .beyondLimits, index: $0) },
                        "velocities up to 1.5 vMax")
    }

    /// Brake pre-trajectories: velocities up to 4 vMax and accelerations up to 3 aMax.
    @Test func farBeyondLimits() throws {
        var gen = CaseGenerator(seed: 10)
        let cases = (0..<count(150)).map {
            gen.next(velocities: .beyondLimits, overshoot: 4, reach: 0.3, accelerationScale: 3, index: $0)
        }
        try expectMatch(cases, "velocities up to 4 vMax, accelerations up to 3 aMax")
    }

    /// The Google Robot controller's pattern (simplerenv-tasks.md §3.3): each plan starts from the previous plan's
    /// state one control period (1/3 s) in, towards a new nearby target.
    @Test func chainedReplanning() throws {
        var gen = CaseGenerator(seed: 12)
        var cases: [PlanningCase] = []
        for chain in 0..<count(50) {
            var c = gen.next(velocities: .withinLimits, reach: 0.2, index: chain * 8)
            c.start = MotionState(position: c.start.position)
            for step in 0..<8 {
                c.label = "chain \(chain) step \(step) \(c.target.count) DOF"
                cases.append(c)
                let plan = try JerkLimitedTrajectory.plan(from: c.start, to: c.target, limits: c.limits)
                c.start = plan.sample(at: 1.0 / 3.0)
                c.target = c.target.indices.map { c.start.position[$0] + 0.15 * sin(Double(chain + step) * Double($0 + 1)) }
            }
        }
        try expectMatch(cases, "chained replans")
    }
}
