import Foundation
import PolicyTransport
import Registry
import Sim
import VLMath

/// Converts a server's actions into the task's action space (for SimplerEnv `[dx, dy, dz, rx, ry, rz, g]`,
/// axis-angle, SimplerEnv gripper), one named adapter at a time, then rejects anything non-finite or outside the
/// action space's plausibility limits. Conventions from simplerenv-tasks.md §7 and Vlaser Vlaser_VLA/Simpler configs.
public final class ActionAdapterChain {
    /// Every adapter by its preset name; a new one is a `Step` case plus one line here.
    static let registry = Registry<(RemotePolicyConfiguration.Adapter, URL?) throws -> Step>("action adapter", [
        ("unnormalize", { try ActionAdapterChain.statistics($0, base: $1) }),
        ("rt1_bridge_rescale", { _, _ in .rt1BridgeRescale }),
        ("rpy_to_axis_angle", { _, _ in .rpyToAxisAngle }),
        ("widowx_gripper", { _, _ in .widowxGripper }),
        ("google_sticky_gripper", { a, _ in try ActionAdapterChain.sticky(a) }),
        ("gripper_dead_band", { a, _ in .gripperDeadBand(a.threshold ?? ActionAdapterChain.rt1GripperDeadBand) }),
    ])
    public static var names: [String] { registry.names }

    /// RT-1 Bridge rescaling (simplerenv-tasks.md §7): world vector [−1.75, 1.75] → [−0.05, 0.05] m,
    /// rotation delta [−1.4, 1.4] → [−0.25, 0.25] rad, linear then clipped.
    static let rt1WorldRange = 1.75, rt1WorldTarget = 0.05
    static let rt1RotationRange = 1.4, rt1RotationTarget = 0.25
    /// WidowX absolute gripper: open (+1) when the predicted openness exceeds 0.5 (simplerenv-tasks.md §7).
    static let widowxGripperThreshold = 0.5
    /// Google relative gripper: a change above 0.5 latches and repeats for 15 control steps (Octo "sticky
    /// gripper", simplerenv-tasks.md §7; Vlaser the same, Vlaser Vlaser_VLA/Simpler configs).
    static let stickyThreshold = 0.5
    static let stickyRepeatSteps = 15
    /// RT-1 on the Google Robot zeroes gripper commands below 0.01 in magnitude (SimplerEnv
    /// `policies/rt1/rt1_model.py` `_small_action_filter_google_robot`).
    static let rt1GripperDeadBand = 0.01

    enum Step {
        case unnormalize(low: [Double], high: [Double], mask: [Bool], meanStd: Bool)
        case rt1BridgeRescale
        case rpyToAxisAngle
        case widowxGripper
        case stickyGripper(repeatSteps: Int, relative: StickyRelative)
        case gripperDeadBand(Double)
    }

    /// How `google_sticky_gripper` turns the predicted openness (1 = open) into SimplerEnv's relative command
    /// (positive closes), before the latch (simplerenv-tasks.md §7 and each policy's SimplerEnv adapter).
    enum StickyRelative: String, CaseIterable {
        /// previous − current openness, 0 on the first step (Octo, OpenVLA: `policies/octo/octo_model.py`).
        case change
        /// current openness against the one at the first step or the last latch (SpatialVLA, CogACT: their copies in
        /// `policies/spatialvla/spatialvla_model.py`, `policies/sim_cogact/cogact_policy.py`, "fix a bug").
        case changeSinceLatch = "change_since_latch"
        /// 1 − 2·openness, no memory (open-pi-zero / Vlaser `src/agent/env_adapter/simpler.py` EDRSimplerAdapter).
        case openness
    }
    let steps: [Step]
    /// The preset's action width, when it fixes one (else the task's action space decides).
    public let actionDim: Int?
    /// The task's action space (set at each episode's reset): width and plausibility limits of converted actions.
    public var actionSpace: ActionSpace?

    // Sticky-gripper state, reset per episode.
    private var previousOpen: Double?
    private var stickyOn = false
    private var stickyValue = 0.0
    private var repeats = 0

    public init(_ configuration: RemotePolicyConfiguration) throws {
        actionDim = configuration.actionDim
        steps = try configuration.adapters.map { a in
            do { return try Self.registry.lookup(a.name)(a, configuration.baseDirectory) } catch let e as UnknownName {
                throw RemotePolicyError.configuration("\(e)")
            }
        }
    }

    public func reset() { previousOpen = nil; stickyOn = false; stickyValue = 0; repeats = 0 }

    /// Adapts one action in execution order (the sticky gripper is stateful).
    public func adapt(_ raw: [Double]) throws -> [Double] {
        try check(raw, stage: "from the server")
        var a = raw
        for s in steps {
            switch s {
            case .unnormalize(let low, let high, let mask, let meanStd):
                guard a.count <= low.count else {
                    throw RemotePolicyError.invalidAction("\(a.count)-D action but statistics for \(low.count) dimensions")
                }
                for i in a.indices where mask[i] {
                    a[i] = meanStd ? a[i] * high[i] + low[i] : 0.5 * (min(max(a[i], -1), 1) + 1) * (high[i] - low[i]) + low[i]
                }
            case .rt1BridgeRescale:
                try need(7, a)
                for i in 0..<3 { a[i] = Self.rescale(a[i], Self.rt1WorldRange, Self.rt1WorldTarget) }
                for i in 3..<6 { a[i] = Self.rescale(a[i], Self.rt1RotationRange, Self.rt1RotationTarget) }
                a[6] = -a[6] > 0 ? 1 : -1  // closedness → openness, binarised (+1 open)
            case .rpyToAxisAngle:
                try need(6, a)
                let v = Quat(roll: a[3], pitch: a[4], yaw: a[5]).rotationVector
                a[3] = v.x; a[4] = v.y; a[5] = v.z
            case .widowxGripper:
                try need(7, a)
                a[6] = a[6] > Self.widowxGripperThreshold ? 1 : -1
            case .stickyGripper(let n, let relative):
                try need(7, a)
                a[6] = sticky(open: a[6], repeatSteps: n, relative: relative)
            case .gripperDeadBand(let threshold):
                try need(7, a)
                if abs(a[6]) < threshold { a[6] = 0 }
            }
        }
        if let actionDim, a.count != actionDim {
            throw RemotePolicyError.invalidAction("expected \(actionDim) numbers per action, got \(a.count)")
        }
        try check(a, stage: "after conversion")
        if let problem = actionSpace?.problem(with: a) { throw RemotePolicyError.invalidAction(problem) }
        return a
    }

    /// The `google_sticky_gripper` step of a preset entry (its `relative` mode, default `change`).
    static func sticky(_ a: RemotePolicyConfiguration.Adapter) throws -> Step {
        let mode = a.relative ?? StickyRelative.change.rawValue
        guard let relative = StickyRelative(rawValue: mode) else {
            throw RemotePolicyError.configuration("google_sticky_gripper: relative must be one of \(StickyRelative.allCases.map(\.rawValue).joined(separator: ", ")), got '\(mode)'")
        }
        return .stickyGripper(repeatSteps: a.repeatSteps ?? stickyRepeatSteps, relative: relative)
    }

    /// SimplerEnv's sticky gripper: a relative command above 0.5 latches and repeats for `repeatSteps` steps.
    private func sticky(open current: Double, repeatSteps: Int, relative mode: StickyRelative) -> Double {
        var relative: Double
        switch mode {
        case .change:
            relative = previousOpen.map { $0 - current } ?? 0
            previousOpen = current
        case .changeSinceLatch:
            relative = previousOpen.map { $0 - current } ?? 0
            if previousOpen == nil { previousOpen = current }
        case .openness:
            relative = 1 - 2 * current
        }
        if abs(relative) > Self.stickyThreshold && !stickyOn {
            stickyOn = true; stickyValue = relative
            if mode == .changeSinceLatch { previousOpen = current }
        }
        if stickyOn { repeats += 1; relative = stickyValue }
        if repeats == repeatSteps { stickyOn = false; repeats = 0; stickyValue = 0 }
        return relative
    }

    static func rescale(_ x: Double, _ range: Double, _ target: Double) -> Double { min(max(x / range * target, -target), target) }

    private func need(_ n: Int, _ a: [Double]) throws {
        guard a.count >= n else { throw RemotePolicyError.invalidAction("expected at least \(n) numbers per action, got \(a.count)") }
    }

    private func check(_ a: [Double], stage: String) throws {
        if let i = a.firstIndex(where: { !$0.isFinite }) {
            throw RemotePolicyError.invalidAction("element \(i) is \(a[i]) \(stage): \(a)")
        }
    }

    /// `unnormalize` statistics: `p01_p99` (also spelled q01/q99) or `mean_std`, with an optional `mask`
    /// (false = leave that dimension as predicted, e.g. OpenVLA's gripper).
    static func statistics(_ a: RemotePolicyConfiguration.Adapter, base: URL?) throws -> Step {
        guard let file = a.statistics else { throw RemotePolicyError.configuration("adapter unnormalize needs 'statistics' (a JSON file)") }
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : (base ?? URL(fileURLWithPath: ".")).appendingPathComponent(file)
        guard let data = DataFile.bytes(at: url),
              var node = try? JSONSerialization.jsonObject(with: data) else {
            throw RemotePolicyError.configuration("\(url.path): cannot read the statistics JSON")
        }
        for part in (a.key ?? "").split(separator: ".") {
            guard let next = (node as? [String: Any])?[String(part)] else {
                throw RemotePolicyError.configuration("\(url.path): no entry '\(a.key!)'")
            }
            node = next
        }
        guard let entry = node as? [String: Any] else { throw RemotePolicyError.configuration("\(url.path): '\(a.key ?? "")' is not an object") }
        func vector(_ names: [String]) throws -> [Double] {
            for n in names { if let v = entry[n] as? [Double] { return v } }
            throw RemotePolicyError.configuration("\(url.path): '\(a.key ?? "")' lacks \(names.joined(separator: "/"))")
        }
        let meanStd: Bool
        switch a.mode ?? "p01_p99" {
        case "p01_p99": meanStd = false
        case "mean_std": meanStd = true
        default: throw RemotePolicyError.configuration("unnormalize mode must be p01_p99 or mean_std, got '\(a.mode!)'")
        }
        let low = try meanStd ? vector(["mean"]) : vector(["p01", "q01"])
        let high = try meanStd ? vector(["std"]) : vector(["p99", "q99"])
        let mask = (entry["mask"] as? [Bool]) ?? Array(repeating: true, count: low.count)
        guard high.count == low.count, mask.count == low.count else {
            throw RemotePolicyError.configuration("\(url.path): statistics vectors of '\(a.key ?? "")' differ in length")
        }
        return .unnormalize(low: low, high: high, mask: mask, meanStd: meanStd)
    }
}
