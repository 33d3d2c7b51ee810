// Our planner against the real ruckig package on random start/target states.
import Foundation
import Testing
import Trajectory

struct Discrepancy: CustomStringConvertible {
    var duration = 0.0, position = 0.0, velocity = 0.0, acceleration = 0.0
    var worstCase = ""
    var description: String {
        "duration \(duration) s, position \(position), velocity \(velocity), acceleration \(acceleration) (\(worstCase))"
    }
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
        if max(dd, dp, dv, da) > 1e-6 {
            failures.append("\(c.label): ours \(ours.duration) ruckig \(answer.duration) dp \(dp) dv \(dv) da \(da) \(c.json)")
        }
    }
    return (worst, failures)
}

@Suite struct RuckigComparisonTests {
    @Test func withinLimitStartsMatchRuckig() throws {
        var gen = CaseGenerator(seed: 7)
        let cases = (0..<300).map { gen.next(velocities: .withinLimits, index: $0) }
        let (worst, failures) = try compareWithRuckig(cases)
        print("ruckig comparison, 300 within-limit cases: worst \(worst)")
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test func smallMovesMatchRuckig() throws {
        var gen = CaseGenerator(seed: 9)
        let cases = (0..<(Int(ProcessInfo.processInfo.environment["TRAJ_STRESS"] ?? "") ?? 100)).map { gen.next(velocities: .withinLimits, reach: 0.05, index: $0) }
        let (worst, failures) = try compareWithRuckig(cases)
        print("ruckig comparison, small moves: worst \(worst)")
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test func farBeyondLimitsStress() throws {
        var gen = CaseGenerator(seed: 10)
        let cases = (0..<(Int(ProcessInfo.processInfo.environment["TRAJ_STRESS"] ?? "") ?? 100)).map { gen.next(velocities: .beyondLimits, overshoot: 4, reach: 0.3, accelerationScale: 3, index: $0) }
        let (worst, failures) = try compareWithRuckig(cases)
        print("ruckig comparison, far beyond: worst \(worst)")
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test func beyondLimitStartsMatchRuckig() throws {
        var gen = CaseGenerator(seed: 8)
        let cases = (0..<100).map { gen.next(velocities: .beyondLimits, index: $0) }
        let (worst, failures) = try compareWithRuckig(cases)
        print("ruckig comparison, 100 beyond-limit cases: worst \(worst)")
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.prefix(10).joined(separator: "\n"))")
    }
}
