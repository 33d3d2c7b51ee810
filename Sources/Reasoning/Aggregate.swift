import Foundation

/// One sample's contribution to a benchmark score, as stored in predictions.jsonl.
public struct SampleTerms {
    public var group: String
    public var terms: [String: Double]
}

/// Turns per-sample terms into a benchmark's headline score (0–100) and sub-scores, per metric
/// (reasoning-benchmarks.md §6). Works from stored terms only, so merged shards score like one run.
public enum Aggregate {
    /// The three rel_direction difficulties averaged into one of VSI-Bench's 8 tasks (§4.7).
    static let vsiRelDirection = ["object_rel_direction_easy", "object_rel_direction_medium", "object_rel_direction_hard"]

    public static func score(metric: String, samples: [SampleTerms]) -> (score: Double?, subscores: [String: Double]) {
        guard !samples.isEmpty else { return (nil, [:]) }
        let groups = Dictionary(grouping: samples, by: \.group)
        func mean(_ xs: [SampleTerms], _ key: String) -> Double {
            xs.reduce(0.0) { $0 + ($1.terms[key] ?? 0) } / Double(xs.count)
        }
        func perGroup(_ f: ([SampleTerms]) -> Double) -> [String: Double] {
            groups.mapValues(f).filter { !$0.key.isEmpty }
        }
        switch metric {
        case "accuracy", "point_success", "task_success":
            let f = { (xs: [SampleTerms]) in 100 * mean(xs, "correct") }
            let sub = perGroup(f)
            // EmbodiedBench: mean of the subset scores (equal 50-episode subsets, §4.11).
            if metric == "task_success" { return (sub.values.reduce(0, +) / Double(sub.count), sub) }
            return (f(samples), sub)
        case "mask_fraction":
            let f = { (xs: [SampleTerms]) in 100 * mean(xs, "value") }
            return (f(samples), perGroup(f))
        case "mask_fraction_split_mean":
            // RefSpatial headline = mean(Location, Placement) (§4.8).
            let sub = perGroup { 100 * mean($0, "value") }
            return (sub.values.reduce(0, +) / Double(max(sub.count, 1)), sub)
        case "micro_precision", "precision_at_radius":
            let f = { (xs: [SampleTerms]) -> Double in
                let hits = xs.reduce(0.0) { $0 + ($1.terms["hits"] ?? 0) }, pts = xs.reduce(0.0) { $0 + ($1.terms["points"] ?? 0) }
                return pts > 0 ? 100 * hits / pts : 0
            }
            return (f(samples), perGroup(f))
        case "vsi":
            var tasks = groups.filter { !vsiRelDirection.contains($0.key) }.mapValues { 100 * mean($0, "value") }
            let directions = vsiRelDirection.compactMap { groups[$0] }.map { 100 * mean($0, "value") }
            if !directions.isEmpty { tasks["object_rel_direction"] = directions.reduce(0, +) / Double(directions.count) }
            return (tasks.values.reduce(0, +) / Double(tasks.count), tasks)
        case "vlabench":
            var sub = perGroup { mean($0, "total_score") }
            for key in ["skill_match", "entity_match", "skill_with_entity", "exact_match"] { sub[key] = mean(samples, key) }
            return (mean(samples, "total_score"), sub)
        default:
            return (nil, [:])
        }
    }
}
