import Foundation
import ResultsSchema

/// A whole `vlaser-eval reason` invocation: runs the chosen benchmarks, keeps imported EmbodiedBench entries,
/// writes reason_results.json and returns it.
public enum ReasonSession {
    public static let harnessVersion = "0.1.0"

    /// `skipMissingData`: with `--all`, a benchmark whose data folder is absent is reported missing instead of
    /// failing the run.
    public static func run(_ options: RunOptions, benchmarks: [BenchmarkDefinition], skipMissingData: Bool,
                           log: (String) -> Void) throws -> [String: Any] {
        let configHash = options.configHash(benchmarks: benchmarks.map(\.id))
        var entries: [[String: Any]] = []
        if let existing = try? ResultsFile.read(options.outDir) {
            let old = ResultsFile.header(from: existing)
            if options.resume && !old.configHash.isEmpty && old.configHash != configHash {
                throw ReasonError("\(options.outDir.path): was run with another configuration (config_hash \(old.configHash.prefix(12))…); use another --out")
            }
            // Imported closed-loop results stay (they come from `reason import`, not from this run).
            entries = (existing["benchmarks"] as? [[String: Any]] ?? []).filter { e in
                EmbodiedBenchImport.subsets.keys.contains(e["id"] as? String ?? "")
            }
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
        var manifest: [String: Any] = ["harness_version": harnessVersion, "temperature": options.temperature,
                                       "server_settings": options.serverSettings, "max_tokens": [String: Int](),
                                       "prompt_variant": options.promptVariant, "seed": options.seed]
        var maxTokens: [String: Int] = [:]
        var dataHashes: [String: [String: String]] = [:]
        for def in benchmarks {
            if def.importOnly {
                if !entries.contains(where: { $0["id"] as? String == def.id }) {
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
            entries.append(result.json)
        }
        manifest["max_tokens"] = maxTokens
        manifest["data_sha256"] = dataHashes
        if let frames = options.frames { manifest["frames"] = frames }
        if let name = options.name { manifest["name"] = name }
        if let limit = options.limit { manifest["limit"] = limit }  // a partial run (the scoreboard says so)
        var header = ResultsFile.Header(model: options.model, endpoint: options.endpoint?.absoluteString,
                                        prompt: options.promptVariant, configHash: configHash)
        header.shardIndex = options.shardIndex; header.shardCount = options.shardCount; header.manifest = manifest
        let doc = ResultsFile.document(header, entries: entries)
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
