// Planner throughput: plan a 9-DOF Google Robot arm trajectory and sample it at the 171 physics sub-steps of one
// control period (simplerenv-tasks.md §3.3: 3 Hz control, 513 Hz physics), as the simulator does every step.
import Foundation
import ResultsSchema
import Trajectory

enum TrajectoryBench {
    /// Usage: vlaser-perf trajectory [plans] (default 20000).
    static func run(_ args: [String]) throws {
        let plans = args.first.flatMap(Int.init) ?? 20000
        let dofs = 9, subSteps = 171, physicsHz = 513.0
        let limits = JerkLimits.googleRobotArm(dofs: dofs)
        var state = MotionState(position: Array(repeating: 0, count: dofs))
        var checksum = 0.0, planning = 0.0, sampling = 0.0
        for k in 0..<plans {
            // A chained replan towards a nearby, changing target, like closed-loop control.
            let target = (0..<dofs).map { state.position[$0] + 0.1 * sin(Double(k) * 0.7 + Double($0)) }
            let t0 = Date()
            let plan = try JerkLimitedTrajectory.plan(from: state, to: target, limits: limits)
            let t1 = Date()
            for s in 1...subSteps { checksum += plan.sample(at: Double(s) / physicsHz).position[0] }
            sampling += Date().timeIntervalSince(t1)
            planning += t1.timeIntervalSince(t0)
            state = plan.sample(at: Double(subSteps) / physicsHz)
        }
        let total = planning + sampling
        print(String(format: "trajectory: %d plans (9 DOF) + 171 samples each: %.0f plans/s, %.1f µs/plan "
                     + "(planning %.1f µs, sampling %.1f µs; checksum %.6f)", plans, Double(plans) / total,
                     total / Double(plans) * 1e6, planning / Double(plans) * 1e6, sampling / Double(plans) * 1e6,
                     checksum))
    }
}
