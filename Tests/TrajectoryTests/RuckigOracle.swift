// The real `ruckig` package (Tests/requirements.txt) as a test oracle: one Python process, JSON in and out.
import Foundation
import TestSupport
import Trajectory

/// One planning problem, with the fractions of the oracle's duration at which both planners are sampled.
struct PlanningCase {
    var start: MotionState
    var target: [Double]
    var limits: JerkLimits
    var label: String

    var json: [String: Any] {
        ["p0": start.position, "v0": start.velocity, "a0": start.acceleration, "pf": target,
         "vmax": limits.maxVelocity, "amax": limits.maxAcceleration, "jmax": limits.maxJerk]
    }
}

/// Ruckig's answer for one case: its duration, states at the requested times, and how far its own final
/// position misses the target (its closed-form roots are polished by a few Newton steps only).
struct OracleAnswer {
    var duration: Double
    var miss: Double
    var times: [Double]
    var states: [MotionState]
}

enum RuckigOracle {
    /// Solves every case with ruckig's default settings (Synchronization.Time, DurationDiscretization.Continuous)
    /// and samples each at `sampleCount` evenly spaced times over its duration (both ends included).
    static let script = """
    import json, sys
    from ruckig import InputParameter, Ruckig, Trajectory, Result
    req = json.load(sys.stdin)
    out = []
    for c in req["cases"]:
        n = len(c["p0"])
        inp = InputParameter(n)
        inp.current_position = c["p0"]; inp.current_velocity = c["v0"]; inp.current_acceleration = c["a0"]
        inp.target_position = c["pf"]; inp.target_velocity = [0.0] * n; inp.target_acceleration = [0.0] * n
        inp.max_velocity = c["vmax"]; inp.max_acceleration = c["amax"]; inp.max_jerk = c["jmax"]
        traj = Trajectory(n)
        res = Ruckig(n).calculate(inp, traj)
        if res not in (Result.Working, Result.Finished):
            out.append({"error": str(res)}); continue
        m = req["samples"]
        times = [traj.duration * k / (m - 1) for k in range(m)]
        states = [traj.at_time(t) for t in times]
        end = traj.at_time(traj.duration)[0]
        miss = max(abs(e - f) for e, f in zip(end, c["pf"]))
        out.append({"duration": traj.duration, "times": times, "miss": miss,
                    "p": [s[0] for s in states], "v": [s[1] for s in states], "a": [s[2] for s in states]})
    json.dump(out, sys.stdout)
    """

    static func solve(_ cases: [PlanningCase], sampleCount: Int) throws -> [OracleAnswer?] {
        let request: [String: Any] = ["cases": cases.map(\.json), "samples": sampleCount]
        let data = try JSONSerialization.data(withJSONObject: request)
        let reply = try TestSupport.python(script, stdin: data)
        guard let items = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [[String: Any]] else {
            throw TestSupportError.pythonFailed("unexpected oracle reply: \(reply.prefix(200))")
        }
        return items.map { item in
            guard let duration = item["duration"] as? Double, let times = item["times"] as? [Double],
                  let p = item["p"] as? [[Double]], let v = item["v"] as? [[Double]],
                  let a = item["a"] as? [[Double]], let miss = item["miss"] as? Double else { return nil }
            let states = times.indices.map { MotionState(position: p[$0], velocity: v[$0], acceleration: a[$0]) }
            return OracleAnswer(duration: duration, miss: miss, times: times, states: states)
        }
    }
}

/// Random start/target states in the ranges the brief asks for, deterministic per seed.
struct CaseGenerator {
    enum VelocityRange { case withinLimits, beyondLimits }
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// splitmix64, so the cases do not depend on any library's generator.
    private mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
    }

    private mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Positions within ±2 rad (targets within ±`reach` of the start when given), accelerations within
    /// ±`accelerationScale`×aMax, velocities within ±vMax or up to `overshoot`×vMax.
    mutating func next(velocities: VelocityRange, overshoot: Double = 1.5, reach: Double? = nil,
                       accelerationScale: Double = 1, index: Int) -> PlanningCase {
        let dofs = 1 + Int(unit() * 9)
        let gripper = unit() < 0.5
        let limits = gripper ? JerkLimits.googleRobotGripper(dofs: dofs) : JerkLimits.googleRobotArm(dofs: dofs)
        var p0: [Double] = [], v0: [Double] = [], a0: [Double] = [], pf: [Double] = []
        for i in 0..<dofs {
            let vMax = limits.maxVelocity[i], aMax = limits.maxAcceleration[i]
            p0.append(uniform(-2, 2))
            pf.append(reach.map { p0[i] + uniform(-$0, $0) } ?? uniform(-2, 2))
            switch velocities {
            case .withinLimits: v0.append(uniform(-vMax, vMax))
            case .beyondLimits: v0.append(uniform(-overshoot * vMax, overshoot * vMax))
            }
            a0.append(accelerationScale * uniform(-aMax, aMax))
        }
        return PlanningCase(start: MotionState(position: p0, velocity: v0, acceleration: a0), target: pf,
                            limits: limits, label: "\(gripper ? "gripper" : "arm") #\(index) \(dofs) DOF")
    }
}
