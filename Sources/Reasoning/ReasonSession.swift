import Foundation
import ResultsSchema

/// A whole `vlaser-eval reason` invocation: runs the chosen benchmarks, keeps imported EmbodiedBench entries,
/// writes reason_results.json and returns it.
public enum ReasonSession {
    public static let harnessVersion = "0.1.0"

    /// `skipMissingData`: with `--all`, a benchmark whose data folder is absent is reported missing instead of
    /// failing the run.
    public static func run(_ options: RunOptions, benchmarks: [BenchmarkDefinition], skipMissingData: Bool,
                           log: (String) -> Void) throws -> ReasonResults {
        let configHash = options.configHash(benchmarks: benchmarks.map(\.id))
        var entries: [ReasonBenchmark] = []
        if let existing = try? ResultsFile.read(options.outDir) {
            let old = existing.configHash ?? ""
            if options.resume && !old.isEmpty && old != configHash {
                throw ReasonError("\(options.outDir.path): was run with another configuration (config_hash \(old.prefix(12))…); use another --out")
            }
            // Imported closed-loop results stay (they come from `reason import`, not from this run).
            entries = existing.benchmarks.filter { EmbodiedBenchImport.subsets.keys.contains($0.id) }
        }
        let runner = try ReasonRunner(options)
        // Refusals come before any file is written: an earlier run's predictions without --resume, or data that
        // does not load (a later benchmark failing once left the earlier ones' files in a folder it refused).
        for def in benchmarks where !def.importOnly {
            if skipMissingData && !FileManager.default.fileExists(atPath: options.dataDir.appendingPathComponent(def.id).path) { continue }
            let predictions = options.outDir.appendingPathComponent(def.id).appendingPathComponent("predictions.jsonl")
            if !options.resume && FileManager.default.fileExists(atPath: predictions.path) {
                throw ReasonError("\(predictions.path) exists: pass --resume to continue that run, or choose another --out")
            }
            _ = try runner.plan(def)
        }
        let progress = Progress()
        var manifest = ReasonManifest()
        manifest.harnessVersion = harnessVersion; manifest.temperature = options.temperature
        manifest.serverSettings = options.serverSettings; manifest.promptVariant = options.promptVariant
        manifest.seed = options.seed; manifest.frames = options.frames
        var maxTokens: [String: Int] = [:]
        var dataHashes: [String: [String: String]] = [:]
        for def in benchmarks {
            if def.importOnly {
                if !entries.contains(where: { $0.id == def.id }) {
                    log("\(def.id): closed-loop benchmark, scored only from EmbodiedBench results (`vlaser-eval reason import`)")
                }
                continue
            }
            if skipMissingData && !FileManager.default.fileExists(atPath: options.dataDir.appendingPathComponent(def.id).path) {
                log("\(def.id): no data at \(options.dataDir.appendingPathComponent(def.id).path) — reported missing. \(def.howToGet)")
                continue
            }
            let result = try runner.run(def, progress: progress)
            maxTokens[def.id] = options.maxTokens ?? def.maxTokens
            dataHashes[def.id] = annotationHashes(def, dataDir: options.dataDir)
            entries.append(result)
        }
        manifest.maxTokens = maxTokens
        manifest.dataSHA256 = dataHashes
        manifest.name = options.name
        manifest.limit = options.limit  // a partial run (the scoreboard says so)
        let doc = ResultsFile.document(model: options.model, endpoint: options.endpoint?.absoluteString,
                                       prompt: options.promptVariant, configHash: configHash,
                                       shard: Shard(index: options.shardIndex, count: options.shardCount),
                                       benchmarks: entries, manifest: manifest)
        try ResultsFile.write(doc, to: options.outDir)
        log("requests sent: \(runner.requestsSent)")
        return doc
    }

    /// sha256 of the benchmark's annotation files that exist (the manifest records which data was scored).
    static func annotationHashes(_ def: BenchmarkDefinition, dataDir: URL) -> [String: String] {
        var out: [String: String] = [:]
        for name in def.dataFiles where !name.contains("<") && !name.hasSuffix("/") {
            let url = dataDir.appendingPathComponent(def.id).appendingPathComponent(name)
            if let d = try? Data(contentsOf: url) { out[name] = SHA256.hex(d) }
        }
        return out
    }
}
