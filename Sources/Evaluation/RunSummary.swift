import Foundation

/// `summary.json`: per-task counts, success rate with its 95 % Wilson interval, grasp rate (docs/results-schema.md).
public struct RunSummary: Codable, Equatable, Sendable {
    public struct Variant: Codable, Equatable, Sendable {
        public var variant: String, n: Int, successes: Int
        public var successRate: Double
        enum CodingKeys: String, CodingKey { case variant, n, successes; case successRate = "success_rate" }
    }
    public struct TaskRow: Codable, Equatable, Sendable {
        public var task: String, n: Int, successes: Int
        public var successRate: Double
        public var ci95: [Double]
        public var graspRate: Double
        public var errors: Int
        public var variants: [Variant]
        enum CodingKeys: String, CodingKey {
            case task, n, successes, ci95, errors, variants
            case successRate = "success_rate", graspRate = "grasp_rate"
        }
    }
    public var schemaVersion = 1
    public var kind = "sim"
    public var suite: String, protocolName: String, policy: String
    public var seed: UInt64
    public var configHash: String
    public var nExpected: Int, nDone: Int, nErrors: Int
    public var tasks: [TaskRow]
    public var averageSuccessRate: Double?

    enum CodingKeys: String, CodingKey {
        case kind, suite, policy, seed, tasks
        case schemaVersion = "schema_version", protocolName = "protocol", configHash = "config_hash"
        case nExpected = "n_expected", nDone = "n_done", nErrors = "n_errors", averageSuccessRate = "average_success_rate"
    }

    /// Summarises finished episodes. Error episodes count in `errors`, never in `n`; the task rate is the
    /// unweighted mean of per-variant rates (variant aggregation, simplerenv-tasks.md §4.2).
    public static func compute(manifest: RunManifest, records: [EpisodeRecord]) -> RunSummary {
        var rows: [TaskRow] = []
        for task in manifest.tasks {
            let mine = records.filter { $0.task == task }
            let ok = mine.filter { !$0.isError }
            let variantNames = Array(Set(ok.map(\.variant))).sorted()
            let variants = variantNames.map { v -> Variant in
                let vs = ok.filter { $0.variant == v }
                let s = vs.filter(\.success).count
                return Variant(variant: v, n: vs.count, successes: s, successRate: vs.isEmpty ? 0 : Double(s) / Double(vs.count))
            }
            let successes = ok.filter(\.success).count
            let rate = variants.isEmpty ? 0 : variants.map(\.successRate).reduce(0, +) / Double(variants.count)
            rows.append(TaskRow(task: task, n: ok.count, successes: successes, successRate: rate,
                                ci95: wilson(successes: successes, n: ok.count),
                                graspRate: ok.isEmpty ? 0 : Double(ok.filter(\.grasped).count) / Double(ok.count),
                                errors: mine.count - ok.count, variants: variants))
        }
        let scored = rows.filter { $0.n > 0 }
        return RunSummary(suite: manifest.suite, protocolName: manifest.protocolName, policy: manifest.policy,
                          seed: manifest.seed, configHash: manifest.configHash, nExpected: manifest.episodeIDs.count,
                          nDone: records.count, nErrors: records.filter(\.isError).count, tasks: rows,
                          averageSuccessRate: scored.isEmpty ? nil : scored.map(\.successRate).reduce(0, +) / Double(scored.count))
    }

    /// 95 % Wilson score interval for k successes in n trials (z = 1.959964).
    public static func wilson(successes k: Int, n: Int, z: Double = 1.959963984540054) -> [Double] {
        guard n > 0 else { return [0, 1] }
        let p = Double(k) / Double(n), nn = Double(n), z2 = z * z
        let centre = (p + z2 / (2 * nn)) / (1 + z2 / nn)
        let half = z * ((p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()) / (1 + z2 / nn)
        return [max(0, centre - half), min(1, centre + half)]
    }
}
