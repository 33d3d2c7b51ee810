// `DIR/reason_results.json` of a `reason` run (docs/results-schema.md § "vlaser-eval reason run directory"):
// the one declaration that `reason` builds and writes and the scoreboard reads.
import Foundation

/// One benchmark's entry in `reason_results.json`. Fields are optional for reading files of older writers;
/// `reason` always fills them, and writes a missing `score` as `null` (never 0).
public struct ReasonBenchmark: Codable, Equatable, Sendable {
    public var id: String
    public var displayName: String?
    public var metric: String?
    @NullWhenAbsent public var score: Double?
    public var n: Int?
    public var nUnparsed: Int?
    public var nErrors: Int?
    public var nExpected: Int?
    public var subscores: [String: Double]?
    enum CodingKeys: String, CodingKey {
        case id, displayName = "display_name", metric, score, n, nUnparsed = "n_unparsed", nErrors = "n_errors"
        case nExpected = "n_expected", subscores
    }

    public init(id: String, displayName: String, metric: String, score: Double?, n: Int, nUnparsed: Int, nErrors: Int,
                nExpected: Int, subscores: [String: Double]) {
        self.id = id; self.displayName = displayName; self.metric = metric; self.score = score; self.n = n
        self.nUnparsed = nUnparsed; self.nErrors = nErrors; self.nExpected = nExpected; self.subscores = subscores
    }
}

/// What a reason run depended on (`manifest` of reason_results.json). A run writes the generation settings and
/// data hashes; `reason import` adds `imported` (benchmark → the log folder it came from), a merge adds
/// `merged_from` and `merge_report`. Absent keys are not written.
public struct ReasonManifest: Codable, Equatable, Sendable {
    public var harnessVersion: String?
    public var temperature: Double?
    public var serverSettings: [String: String]?
    public var maxTokens: [String: Int]?
    public var promptVariant: String?
    public var seed: UInt64?
    /// Benchmark → annotation file → sha256 of the data that was scored.
    public var dataSHA256: [String: [String: String]]?
    public var frames: Int?
    public var imported: [String: String]?
    public var mergedFrom: [String]?
    /// Benchmark → the samples a merge found twice or in no shard (only benchmarks with either).
    public var mergeReport: [String: SampleMergeReport]?
    /// `--name`: the run's scoreboard row (nil: its model); `--limit N`: only the first N samples of each benchmark
    /// ran, the run is partial.
    public var name: String?
    public var limit: Int?
    enum CodingKeys: String, CodingKey {
        case harnessVersion = "harness_version", temperature, serverSettings = "server_settings", maxTokens = "max_tokens"
        case promptVariant = "prompt_variant", seed, dataSHA256 = "data_sha256", frames, imported
        case mergedFrom = "merged_from", mergeReport = "merge_report", name, limit
    }

    public init() {}
}

/// One benchmark's line of a reason merge report.
public struct SampleMergeReport: Codable, Equatable, Sendable {
    public var duplicates: [String]
    public var missing: [String]
    public init(duplicates: [String], missing: [String]) { self.duplicates = duplicates; self.missing = missing }
}

/// `DIR/reason_results.json` of a `reason` run. `endpoint` and `average` are written as `null` when absent (a
/// chance run has no endpoint; a run without a score has no average).
public struct ReasonResults: Codable, Equatable, Sendable {
    public static let kind = "reason"

    public var schemaVersion: Int
    public var kind: String
    public var model: String
    @NullWhenAbsent public var endpoint: String?
    public var prompt: String?
    public var configHash: String?
    public var shard: Shard?
    public var createdAt: String?
    public var benchmarks: [ReasonBenchmark]
    @NullWhenAbsent public var average: Double?
    public var averageOver: [String]?
    public var missing: [String]?
    public var manifest: ReasonManifest?
    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", kind, model, endpoint, prompt, configHash = "config_hash", shard
        case createdAt = "created_at", benchmarks, average, averageOver = "average_over", missing, manifest
    }

    /// A document in the given benchmark order: `average` is the plain mean of the scored benchmarks (Vlaser
    /// "Avg", §2.2), `missing` the benchmarks of `catalog` without a score (never counted as 0).
    public init(model: String, endpoint: String?, prompt: String, configHash: String, shard: Shard, createdAt: String,
                benchmarks: [ReasonBenchmark], catalog: [String], manifest: ReasonManifest) {
        let scored = benchmarks.filter { $0.score != nil }
        let scores = scored.compactMap(\.score)
        self.schemaVersion = resultsSchemaVersion; self.kind = Self.kind; self.model = model; self.endpoint = endpoint
        self.prompt = prompt; self.configHash = configHash; self.shard = shard; self.createdAt = createdAt
        self.benchmarks = benchmarks
        average = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
        averageOver = scored.map(\.id)
        missing = catalog.filter { id in !scored.contains { $0.id == id } }
        self.manifest = manifest
    }
}
