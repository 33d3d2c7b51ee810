// Properties every planned trajectory must have, independent of any oracle.
import Foundation
import Testing
@testable import Trajectory

/// Random cases from every class the comparison tests use, including over-limit starts.
private func mixedCases(seed: UInt64, count: Int) -> [PlanningCase] {
    var gen = CaseGenerator(seed: seed)
    return (0..<count).map { i in
        switch i % 4 {
        case 0: return gen.next(velocities: .withinLimits, index: i)
        case 1: return gen.next(velocities: .withinLimits, reach: 0.05, index: i)
        case 2: return gen.next(velocities: .beyondLimits, index: i)
        default: return gen.next(velocities: .beyondLimits, overshoot: 4, reach: 0.3, accelerationScale: 3, index: i)
        }
    }
}

@Suite struct TrajectoryInvariantTests {
    /// After any brake phase: |v| ≤ vMax, |a| ≤ aMax (+1e-9); everywhere |Δa| ≤ jMax·Δt, and position and velocity
    /// change no faster than their derivatives allow (continuity), on a 5e-4 s grid. Violations are collected
    /// per case (one expectation each) to keep the test fast.
    @Test func limitsAndContinuity() throws {
        let dt = 5e-4
        for c in mixedCases(seed: 21, count: 120) {
            let plan = try JerkLimitedTrajectory.plan(from: c.start, to: c.target, limits: c.limits)
            #expect(plan.sample(at: 0) == c.start, "\(c.label): sample(0) is not the start state")
            var violations: [String] = []
            var previous = plan.sample(at: 0)
            var t = dt
            while t < plan.duration + dt && violations.count < 5 {
                let s = plan.sample(at: t)
                for i in c.target.indices {
                    let vMax = c.limits.maxVelocity[i], aMax = c.limits.maxAcceleration[i]
                    let jMax = c.limits.maxJerk[i]
                    let (p0, v0, a0) = (previous.position[i], previous.velocity[i], previous.acceleration[i])
                    let (p1, v1, a1) = (s.position[i], s.velocity[i], s.acceleration[i])
                    if t > plan.brakeDurations[i] + dt && (abs(v1) > vMax + 1e-9 || abs(a1) > aMax + 1e-9) {
                        violations.append("DOF \(i) t \(t): v \(v1) a \(a1) beyond limits")
                    }
                    if abs(a1 - a0) > jMax * dt * (1 + 1e-9) + 1e-9 {
                        violations.append("DOF \(i) t \(t): jerk \((a1 - a0) / dt)")
                    }
                    let aBound = max(abs(a0), abs(a1)) + jMax * dt
                    if abs(v1 - v0) > aBound * dt + 1e-12 { violations.append("DOF \(i) t \(t): velocity jumps") }
                    let vBound = max(abs(v0), abs(v1)) + aBound * dt
                    if abs(p1 - p0) > vBound * dt + 1e-12 { violations.append("DOF \(i) t \(t): position jumps") }
                }
                previous = s
                t += dt
            }
            #expect(violations.isEmpty, "\(c.label): \(violations.joined(separator: "; "))")
        }
    }

    /// Every DOF arrives together: just before the end each is within 1e-9 of its target with ~zero velocity and
    /// acceleration, and from the end on the sample is exactly the target at rest.
    @Test func finalStateExactAndSynchronised() throws {
        for c in mixedCases(seed: 22, count: 400) {
            let plan = try JerkLimitedTrajectory.plan(from: c.start, to: c.target, limits: c.limits)
            #expect(plan.sample(at: plan.duration) == MotionState(position: c.target))
            #expect(plan.sample(at: plan.duration + 5) == MotionState(position: c.target))
            let almost = plan.sample(at: plan.duration * (1 - 1e-12))
            for i in c.target.indices {
                #expect(abs(almost.position[i] - c.target[i]) < 1e-9, "\(c.label) DOF \(i) misses the target")
                #expect(abs(almost.velocity[i]) < 1e-9 && abs(almost.acceleration[i]) < 1e-8,
                        "\(c.label) DOF \(i) does not arrive at rest")
            }
        }
    }

    /// The synchronised duration is the slowest DOF's own minimal duration (no blocked intervals for targets at
    /// rest), and a single DOF never gets faster by being planned alone.
    @Test func durationIsSlowestDOF() throws {
        for c in mixedCases(seed: 23, count: 200) {
            let plan = try JerkLimitedTrajectory.plan(from: c.start, to: c.target, limits: c.limits)
            let alone = try c.target.indices.map { i in
                try JerkLimitedTrajectory.plan(
                    from: MotionState(position: [c.start.position[i]], velocity: [c.start.velocity[i]],
                                      acceleration: [c.start.acceleration[i]]),
                    to: [c.target[i]],
                    limits: JerkLimits(maxVelocity: [c.limits.maxVelocity[i]],
                                       maxAcceleration: [c.limits.maxAcceleration[i]],
                                       maxJerk: [c.limits.maxJerk[i]])).duration
            }
            #expect(plan.duration == alone.max(), "\(c.label)")
        }
    }

    @Test func samplingClampsTime() throws {
        let start = MotionState(position: [0.1, -0.2], velocity: [0.5, 0], acceleration: [0, 1])
        let plan = try JerkLimitedTrajectory.plan(from: start, to: [0.4, 0.3], limits: .googleRobotArm(dofs: 2))
        #expect(plan.sample(at: -1) == start)
        #expect(plan.sample(at: .infinity) == MotionState(position: [0.4, 0.3]))
        #expect(plan.duration > 0)
    }

    @Test func alreadyAtTargetTakesNoTime() throws {
        let plan = try JerkLimitedTrajectory.plan(from: MotionState(position: [0.3, 1]), to: [0.3, 1],
                                                  limits: .googleRobotGripper(dofs: 2))
        #expect(plan.duration == 0)
        #expect(plan.sample(at: 0) == MotionState(position: [0.3, 1]))
    }

    @Test func rejectsBadInput() {
        let limits = JerkLimits.googleRobotArm(dofs: 2)
        #expect(throws: TrajectoryError.dimensionMismatch(field: "start.velocity", expected: 2, got: 1)) {
            try JerkLimitedTrajectory.plan(
                from: MotionState(position: [0, 0], velocity: [0], acceleration: [0, 0]), to: [1, 1], limits: limits)
        }
        #expect(throws: TrajectoryError.invalidValue(field: "target", dof: 1, value: .infinity)) {
            try JerkLimitedTrajectory.plan(from: MotionState(position: [0, 0]), to: [1, .infinity], limits: limits)
        }
        var zeroJerk = limits
        zeroJerk.maxJerk[0] = 0
        #expect(throws: TrajectoryError.invalidValue(field: "limits.maxJerk", dof: 0, value: 0)) {
            try JerkLimitedTrajectory.plan(from: MotionState(position: [0, 0]), to: [1, 1], limits: zeroJerk)
        }
    }

    @Test func presetsMatchSpec() {
        // simplerenv-tasks.md §3.3
        #expect(JerkLimits.googleRobotArm(dofs: 9) == JerkLimits(dofs: 9, velocity: 1.5, acceleration: 2.0, jerk: 50))
        #expect(JerkLimits.googleRobotGripper(dofs: 2) == JerkLimits(dofs: 2, velocity: 1.0, acceleration: 7.0, jerk: 50))
    }
}
