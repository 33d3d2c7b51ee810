import Foundation
import ResultsSchema

/// Everything a `reason` run depends on. `configHash` covers what changes results (not the endpoint, shard,
/// concurrency or output folder), so shards of one run share it.
public struct RunOptions {
    public var dataDir: URL
    public var outDir: URL
    public var model: String
    public var endpoint: URL?
    public var promptVariant = "vlaser"
    public var concurrency = 4
    public var limit: Int?
    public var resume = false
    public var shardIndex = 0
    public var shardCount = 1
    public var maxTokens: Int?
    public var temperature = 0.0
    public var frames: Int?
    public var cacheDir: URL?
    public var serverSettings: [String: String] = [:]
    public var apiKey: String?
    public var timeout: TimeInterval = 120
    public var retries = 4
    public var retryBaseDelay = 1.0
    public var seed: UInt64 = 0
    /// `--name`: the run's scoreboard row (nil: the model). Not in `configHash`: shards named alike merge.
    public var name: String?

    public init(dataDir: URL, outDir: URL, model: String) { self.dataDir = dataDir; self.outDir = outDir; self.model = model }

    public var isChance: Bool { model == "chance" }

    /// Generation parameters for one benchmark (sent in the payload and part of the cache key).
    public func generation(_ def: BenchmarkDefinition) -> [String: Any] {
        ["temperature": temperature, "max_tokens": maxTokens ?? def.maxTokens]
    }

    public func configHash(benchmarks: [String]) -> String {
        var config: [String: Any] = ["model": model, "prompt": promptVariant, "benchmarks": benchmarks,
                                     "temperature": temperature, "server_settings": serverSettings, "seed": seed]
        if let limit { config["limit"] = limit }
        if let maxTokens { config["max_tokens"] = maxTokens }
        if let frames { config["frames"] = frames }
        return SHA256.hex((try? JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])) ?? Data())
    }
}
