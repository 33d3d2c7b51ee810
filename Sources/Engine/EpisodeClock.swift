import Foundation
import ResultsSchema

/// Times the parts of one episode as the engine runs it (policy, physics, rendering) for its `timing` record, and keeps one row per policy
/// call for the episode's log, `logs/<task>/<episode>.jsonl` (docs/results-schema.md): the latency trace that shows
/// a slow or stalling policy server step by step.
public final class EpisodeClock {
    public init() {}
    private var spent = EpisodeTiming()
    /// The episode's split so far, to the microsecond.
    public var timing: EpisodeTiming { spent.rounded }
    /// Row 0 is the reset (policy reset and first frame); row k ≥ 1 is the k-th `act` and the steps it drove.
    private var rows: [Row] = [Row(step: 0)]

    struct Row {
        var step: Int
        var actions = 0
        var policy = 0.0, physics = 0.0, render = 0.0
    }

    /// Times the policy's reset.
    public func reset<T>(_ body: () throws -> T) rethrows -> T {
        let (v, s) = try measure(body)
        spent.policyS += s; rows[rows.count - 1].policy += s
        return v
    }

    /// Times one `act` call at control step `step`; it opens the row the following physics and rendering join.
    public func act<T>(step: Int, _ body: () throws -> T) rethrows -> T {
        rows.append(Row(step: step))
        let (v, s) = try measure(body)
        spent.policyS += s; spent.policyCalls += 1; rows[rows.count - 1].policy += s
        return v
    }

    public func physics<T>(_ body: () throws -> T) rethrows -> T {
        let (v, s) = try measure(body)
        spent.physicsS += s; rows[rows.count - 1].physics += s; rows[rows.count - 1].actions += 1
        return v
    }

    public func render<T>(_ body: () throws -> T) rethrows -> T {
        let (v, s) = try measure(body)
        spent.renderS += s; rows[rows.count - 1].render += s
        return v
    }

    private func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let v = try body()
        return (v, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }

    /// The episode log: one JSON object per row, `{"call", "step", "actions", "policy_ms", "physics_ms", "render_ms"}`.
    public func logLines() -> String {
        func ms(_ s: Double) -> String { String(format: "%.3f", 1000 * s) }
        return rows.enumerated().map { i, r in
            "{\"actions\":\(r.actions),\"call\":\(i),\"physics_ms\":\(ms(r.physics)),\"policy_ms\":\(ms(r.policy)),"
                + "\"render_ms\":\(ms(r.render)),\"step\":\(r.step)}\n"
        }.joined()
    }
}
