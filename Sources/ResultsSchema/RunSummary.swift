// `summary.json` of a sim run (docs/results-schema.md), computed from its episodes. The sim runner and `merge`
// both call `RunSummary.compute` and `jsonData()`, so a merged run's summary is byte-identical to an unsharded one.
import Foundation

public struct VariantSummary: Codable, Equatable, Sendable {
    public var variant: String
    public var n: Int
    public var successes: Int
    @NullWhenAbsent public var successRate: Double?
    /// false on a robustness-only variant (left out of the task's aggregate); absent (nil) otherwise.
    public var inAverage: Bool?
    enum CodingKeys: String, CodingKey { case variant, n, successes, successRate = "success_rate", inAverage = "in_average" }
}

public struct TaskSummary: Codable, Equatable, Sendable {
    public var task: String
    /// Evaluated episodes (status ok); errors are counted apart.
    public var n: Int
    public var successes: Int
    /// The protocol's aggregate (see `RunSummary.compute`); null when n = 0.
    @NullWhenAbsent public var successRate: Double?
    /// 95 % Wilson interval of successes / n as [low, high]; null when n = 0.
    @NullWhenAbsent public var ci95: [Double]?
    @NullWhenAbsent public var graspRate: Double?
    public var errors: Int
    public var variants: [VariantSummary]
    enum CodingKeys: String, CodingKey {
        case task, n, successes, successRate = "success_rate", ci95, graspRate = "grasp_rate", errors, variants
    }
}

public struct RunSummary: Codable, Equatable, Sendable, ResultFile {
    public var schemaVersion: Int
    public var kind: String
    public var suite: String
    public var `protocol`: String
    public var policy: String
    public var seed: Int
    public var configHash: String
    public var nExpected: Int
    public var nDone: Int
    public var nErrors: Int
    public var tasks: [TaskSummary]
    /// Unweighted mean of the tasks' success rates over tasks with n > 0; null when none has any.
    @NullWhenAbsent public var averageSuccessRate: Double?
    /// The manifest's `visuals` (`simpler`, `mixed`, `procedural`), so a row can be trusted or flagged.
    public var visuals: String?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", kind, suite, `protocol`, policy, seed, configHash = "config_hash"
        case nExpected = "n_expected", nDone = "n_done", nErrors = "n_errors", tasks
        case averageSuccessRate = "average_success_rate", visuals
    }

    /// The protocol whose task rate is the unweighted mean of per-variant rates (simplerenv-tasks.md §4.2).
    public static let variantAggregationProtocol = "variant-aggregation"

    /// Summarises `episodes` (one record per episode id) of the run described by `manifest`.
    /// Episodes are visited in the manifest's canonical order (`episode_ids`, then any others by id), so the result
    /// does not depend on the order in which episodes finished. Per task: `n` = episodes with status ok,
    /// `success_rate` = mean of per-variant rates under variant aggregation over the variants that enter the average
    /// (not `manifest.robustness_variants`; null when only those ran), otherwise successes / n; `ci95` = Wilson
    /// interval of successes / n; `grasp_rate` = grasped / n over the episodes whose task has a grasp metric (null otherwise). `n_expected` = `manifest.episode_ids.count`.
    public static func compute(episodes: [EpisodeRecord], manifest: SimManifest) -> RunSummary {
        var rank: [String: Int] = [:]
        for (i, id) in manifest.episodeIds.enumerated() where rank[id] == nil { rank[id] = i }
        let ordered = episodes.sorted {
            let a = rank[$0.episodeId] ?? Int.max, b = rank[$1.episodeId] ?? Int.max
            return a != b ? a < b : $0.episodeId < $1.episodeId
        }
        var taskOrder = manifest.tasks
        for e in ordered where !taskOrder.contains(e.task) { taskOrder.append(e.task) }
        let byTask = Dictionary(grouping: ordered, by: \.task)
        let aggregateVariants = manifest.protocol == variantAggregationProtocol
        let excluded = Set(manifest.robustnessVariants ?? [])
        let tasks = taskOrder.map {
            summarise(task: $0, episodes: byTask[$0] ?? [], aggregateVariants: aggregateVariants, excluded: excluded)
        }
        return RunSummary(
            schemaVersion: resultsSchemaVersion, kind: "sim", suite: manifest.suite, protocol: manifest.protocol,
            policy: manifest.policy, seed: manifest.seed, configHash: manifest.configHash,
            nExpected: manifest.episodeIds.count, nDone: ordered.count, nErrors: ordered.filter(\.isError).count,
            tasks: tasks, averageSuccessRate: Statistics.mean(tasks.compactMap(\.successRate)), visuals: manifest.visuals)
    }

    static func summarise(task: String, episodes: [EpisodeRecord], aggregateVariants: Bool, excluded: Set<String>) -> TaskSummary {
        let ok = episodes.filter { !$0.isError }
        var variantOrder: [String] = []
        for e in ok where !variantOrder.contains(e.variant) { variantOrder.append(e.variant) }
        let variants = variantOrder.map { v -> VariantSummary in
            let es = ok.filter { $0.variant == v }
            let k = es.filter(\.success).count
            return VariantSummary(variant: v, n: es.count, successes: k, successRate: Double(k) / Double(es.count),
                                  inAverage: excluded.contains(v) ? false : nil)
        }
        let n = ok.count, k = ok.filter(\.success).count
        let rate: Double? = n == 0 ? nil
            : aggregateVariants ? Statistics.mean(variants.filter { $0.inAverage != false }.compactMap(\.successRate))
            : Double(k) / Double(n)
        let ci = Statistics.wilson(successes: k, n: n).map { [$0.low, $0.high] }
        let tracked = ok.compactMap(\.grasped)  // none for a task without a grasp metric: rate null, shown "–"
        return TaskSummary(task: task, n: n, successes: k, successRate: rate, ci95: ci,
                           graspRate: tracked.isEmpty ? nil : Double(tracked.filter { $0 }.count) / Double(tracked.count),
                           errors: episodes.count - n, variants: variants)
    }

}
