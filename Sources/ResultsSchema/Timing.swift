// Where a sim run's wall-clock time goes (docs/results-schema.md § timing): per episode in episodes.jsonl's
// `timing`, per run in timing.json. Sizing `--workers` against a GPU policy server needs the split between waiting
// for the policy and simulating; these are the only values besides `wall_time_s` that differ between identical runs.
import Foundation

/// One episode's time split (the `timing` object of an episodes.jsonl line).
public struct EpisodeTiming: Codable, Equatable, Sendable {
    /// Seconds inside the policy (reset and every `act`): a remote server's round trips, or the in-process policy.
    public var policyS: Double = 0
    /// Calls to `act` (one per predicted chunk).
    public var policyCalls = 0
    /// Seconds stepping physics and the controller.
    public var physicsS: Double = 0
    /// Seconds rendering camera images (policy observations, `--record`, `--save-frames`).
    public var renderS: Double = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case policyS = "policy_s", policyCalls = "policy_calls", physicsS = "physics_s", renderS = "render_s"
    }

    /// The same split to the microsecond (what episodes.jsonl records).
    public var rounded: EpisodeTiming {
        var t = self
        t.policyS = TimingSummary.rounded(policyS); t.physicsS = TimingSummary.rounded(physicsS)
        t.renderS = TimingSummary.rounded(renderS)
        return t
    }

    /// Mean policy latency per call in milliseconds (nil before the first call).
    public var policyMillisecondsPerCall: Double? { policyCalls > 0 ? 1000 * policyS / Double(policyCalls) : nil }
}

/// `DIR/timing.json`: the episodes' time split summed per task and over the run, written by `sim` and by `merge`
/// (from the merged episodes, so it describes every shard).
public struct TimingSummary: Codable, Equatable, Sendable, ResultFile {
    public struct Part: Codable, Equatable, Sendable {
        /// Episodes with a timing record (episodes that could not start have none).
        public var episodes: Int
        public var steps: Int
        public var wallS: Double
        public var policyS: Double
        public var policyCalls: Int
        public var physicsS: Double
        public var renderS: Double
        /// Mean policy latency per call, and the 95th percentile over episodes of each episode's mean, in ms.
        public var policyMsPerCall: Double?
        public var policyMsPerCallP95: Double?
        /// Physics and rendering per control step, in ms.
        public var physicsMsPerStep: Double?
        public var renderMsPerStep: Double?
        enum CodingKeys: String, CodingKey {
            case episodes, steps, wallS = "wall_s", policyS = "policy_s", policyCalls = "policy_calls"
            case physicsS = "physics_s", renderS = "render_s", policyMsPerCall = "policy_ms_per_call"
            case policyMsPerCallP95 = "policy_ms_per_call_p95", physicsMsPerStep = "physics_ms_per_step"
            case renderMsPerStep = "render_ms_per_step"
        }
    }
    public struct TaskPart: Codable, Equatable, Sendable {
        public var task: String
        public var timing: Part
    }

    public var schemaVersion = resultsSchemaVersion
    public var kind = "sim-timing"
    public var configHash: String
    public var run: Part
    public var tasks: [TaskPart]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", kind, configHash = "config_hash", run, tasks
    }

    public static let fileName = "timing.json"

    /// Sums the timing of `episodes` (in the summary's task order).
    public static func compute(episodes: [EpisodeRecord], summary: RunSummary) -> TimingSummary {
        let byTask = Dictionary(grouping: episodes.filter { $0.timing != nil }, by: \.task)
        return TimingSummary(configHash: summary.configHash, run: part(episodes.filter { $0.timing != nil }),
                             tasks: summary.tasks.map { TaskPart(task: $0.task, timing: part(byTask[$0.task] ?? [])) })
    }

    static func part(_ es: [EpisodeRecord]) -> Part {
        let t = es.compactMap(\.timing)
        let steps = es.reduce(0) { $0 + $1.steps }
        let calls = t.reduce(0) { $0 + $1.policyCalls }
        let policy = t.reduce(0) { $0 + $1.policyS }, physics = t.reduce(0) { $0 + $1.physicsS }
        let render = t.reduce(0) { $0 + $1.renderS }
        let perEpisode = t.compactMap(\.policyMillisecondsPerCall).sorted()
        func ms(_ s: Double, per n: Int) -> Double? { n > 0 ? rounded(1000 * s / Double(n)) : nil }
        return Part(episodes: es.count, steps: steps, wallS: rounded(es.reduce(0) { $0 + $1.wallTime }),
                    policyS: rounded(policy), policyCalls: calls, physicsS: rounded(physics), renderS: rounded(render),
                    policyMsPerCall: ms(policy, per: calls),
                    policyMsPerCallP95: perEpisode.isEmpty ? nil
                        : rounded(perEpisode[min(perEpisode.count - 1, Int((0.95 * Double(perEpisode.count)).rounded(.up)) - 1)]),
                    physicsMsPerStep: ms(physics, per: steps), renderMsPerStep: ms(render, per: steps))
    }

    /// Six significant decimals: microseconds, enough for any of these sums and stable to read.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    /// One line for a terminal or a log: where the time of an episode went.
    public var line: String {
        func f(_ x: Double?, _ unit: String) -> String { x.map { String(format: "%.2f %@", $0, unit) } ?? "–" }
        let r = run
        return "time per episode \(r.episodes > 0 ? String(format: "%.2f s", r.wallS / Double(r.episodes)) : "–"): "
            + "policy \(f(r.policyMsPerCall, "ms/call")) (p95 \(f(r.policyMsPerCallP95, "ms"))), "
            + "physics \(f(r.physicsMsPerStep, "ms/step")), render \(f(r.renderMsPerStep, "ms/step"))"
    }
}
