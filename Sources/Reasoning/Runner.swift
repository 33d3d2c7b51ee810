import Foundation
import ResultsSchema

extension ReasonBenchmark {
    /// Scores a benchmark from its records (one entry of reason_results.json); errored samples are reported,
    /// never scored.
    public static func scored(id: String, displayName: String, metric: String, records: [PredictionRecord],
                              expected: Int) -> ReasonBenchmark {
        let good = records.filter(\.isGood)
        let agg = Aggregate.score(metric: metric, samples: good.map { SampleTerms(group: $0.group, terms: $0.terms) })
        return ReasonBenchmark(id: id, displayName: displayName, metric: metric, score: agg.score, n: good.count,
                               nUnparsed: good.filter(\.unparsed).count, nErrors: records.count - good.count,
                               nExpected: expected, subscores: agg.subscores)
    }
}

/// Runs benchmarks against a model: builds each request, answers it from a previous good prediction
/// (`--resume`), the response cache or the server, scores it and records it.
public final class ReasonRunner {
    let options: RunOptions
    let client: ChatClient?
    let cache: ResponseCache?
    /// Requests actually sent to the server during this run (the rest came from resume or the cache).
    public private(set) var requestsSent = 0
    private let lock = NSLock()

    public init(_ options: RunOptions) throws {
        self.options = options
        if options.isChance {
            client = nil
        } else {
            guard let endpoint = options.endpoint else { throw ReasonError("--endpoint is required unless --model chance") }
            var s = ClientSettings(endpoint: endpoint, apiKey: options.apiKey)
            s.timeout = options.timeout; s.retries = options.retries; s.retryBaseDelay = options.retryBaseDelay
            client = ChatClient(s)
        }
        cache = options.temperature == 0 ? options.cacheDir.map(ResponseCache.init) : nil
    }

    /// The samples this shard must produce (canonical order), and the ids of the whole run for merging.
    public func plan(_ def: BenchmarkDefinition) throws -> (mine: [Sample], all: [String]) {
        var samples = try Loaders.load(def, dataDir: options.dataDir, frames: options.frames)
        // An empty file (a failed download) would score null without a word.
        if samples.isEmpty { throw ReasonError("\(def.id): the data under \(options.dataDir.appendingPathComponent(def.id).path) holds no samples") }
        if let limit = options.limit { samples = Array(samples.prefix(limit)) }
        let ids = samples.map(\.id)
        if Set(ids).count != ids.count { throw ReasonError("\(def.id): duplicate sample ids in the data") }
        let mine = samples.enumerated().filter { $0.offset % options.shardCount == options.shardIndex }.map(\.element)
        return (mine, ids)
    }

    public func run(_ def: BenchmarkDefinition, progress: Progress?) throws -> ReasonBenchmark {
        let variant = try def.prompt(options.promptVariant)
        let (samples, allIDs) = try plan(def)
        let dir = options.outDir.appendingPathComponent(def.id)
        let predictionsURL = dir.appendingPathComponent("predictions.jsonl")
        var previous: [String: PredictionRecord] = [:]
        if FileManager.default.fileExists(atPath: predictionsURL.path) {
            guard options.resume else {
                throw ReasonError("\(predictionsURL.path) exists: pass --resume to continue that run, or choose another --out")
            }
            for r in try PredictionRecord.read(predictionsURL) where r.isGood { previous[r.sampleID] = r }
        }
        try writeAtomically(try sortedJSON(allIDs), to: dir.appendingPathComponent("sample_ids.json"))
        // Keep only good, still-wanted records; errored ones are retried.
        let wanted = Set(samples.map(\.id))
        try PredictionRecord.write(samples.compactMap { previous[$0.id] }.filter { wanted.contains($0.sampleID) }, to: predictionsURL)
        let appender = try PredictionAppender(predictionsURL)
        defer { appender.close() }

        var results = [PredictionRecord?](repeating: nil, count: samples.count)
        var next = 0
        var firstFatal: Error?
        progress?.start(def.id, total: samples.count)
        runWorkers(max(1, min(options.concurrency, samples.count))) { [self] in
            while true {
                lock.lock()
                let i = next; next += 1
                let stop = firstFatal != nil
                lock.unlock()
                if i >= samples.count || stop { return }
                do {
                    let (record, fresh) = try answer(samples[i], def: def, variant: variant, previous: previous[samples[i].id])
                    if fresh { appender.append(record) }
                    lock.lock(); results[i] = record; lock.unlock()
                    progress?.advance()
                } catch {
                    lock.lock(); if firstFatal == nil { firstFatal = error }; lock.unlock()
                }
            }
        }
        progress?.finish()
        if let firstFatal { throw firstFatal }
        let records = results.compactMap { $0 }
        try PredictionRecord.write(records, to: predictionsURL)
        return ReasonBenchmark.scored(id: def.id, displayName: def.displayName, metric: def.metric, records: records,
                                    expected: samples.count)
    }

    /// Answers one sample; `fresh` is false when a previous good prediction with the same request was reused.
    func answer(_ sample: Sample, def: BenchmarkDefinition, variant: PromptVariant,
                previous: PredictionRecord?) throws -> (PredictionRecord, fresh: Bool) {
        let prompt = try PromptBuilder.content(template: variant.template(for: sample), sample: sample)
        var payload: [String: Any] = ["model": options.model, "messages": [["role": "user", "content": prompt.content]]]
        for (k, v) in options.generation(def) { payload[k] = v }
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])
        let requestHash = SHA256.hex(body)
        if let previous, previous.requestHash == requestHash { return (previous, false) }

        let started = Date()
        var response: String?, error: String?, attempts = 0
        let cacheKey = ResponseCache.key(model: options.model, serverSettings: options.serverSettings, benchmark: def.id,
                                         sampleID: sample.id, requestHash: requestHash, generation: options.generation(def))
        if options.isChance {
            response = try ChanceModel.response(benchmark: def.id, sample: sample, parser: variant.parser, seed: options.seed)
        } else if let hit = cache?.lookup(cacheKey) {
            response = hit
        } else if let client {
            lock.lock(); requestsSent += 1; lock.unlock()
            let reply = client.complete(body)
            attempts = reply.attempts
            switch reply.outcome {
            case .success(let text):
                response = text
                cache?.store(cacheKey, response: text)
            case .failure(let e):
                error = e.message
            }
        }
        let latency = Date().timeIntervalSince(started)
        guard let response else {
            return (PredictionRecord(sampleID: sample.id, requestHash: requestHash, prompt: prompt.readable, response: nil,
                                     parsed: NSNull(), unparsed: true, group: sample.group, terms: [:], latency: latency,
                                     attempts: attempts, error: error), true)
        }
        let scored = try Scoring.score(response, sample: sample, parser: variant.parser, metric: def.metric)
        return (PredictionRecord(sampleID: sample.id, requestHash: requestHash, prompt: prompt.readable, response: response,
                                 parsed: scored.parsed, unparsed: scored.unparsed, group: sample.group, terms: scored.terms,
                                 latency: latency, attempts: attempts, error: nil), true)
    }
}

/// Runs `body` on `count` dedicated threads and waits for all: workers block on HTTP, so GCD's CPU-sized
/// pool (2 on this machine) would cap requests in flight below `--concurrency`.
func runWorkers(_ count: Int, _ body: @escaping () -> Void) {
    let group = DispatchGroup()
    for _ in 0..<count {
        group.enter()
        let t = Thread { body(); group.leave() }
        t.stackSize = 4 << 20
        t.start()
    }
    group.wait()
}

/// Done/total, rate and ETA on a terminal only (quiet in CI logs).
public final class Progress {
    private let lock = NSLock()
    private var name = "", total = 0, done = 0, started = Date()

    public init?() { if isatty(STDERR_FILENO) == 0 { return nil } }

    func start(_ name: String, total: Int) { lock.lock(); self.name = name; self.total = total; done = 0; started = Date(); lock.unlock() }

    func advance() {
        lock.lock(); defer { lock.unlock() }
        done += 1
        let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-6)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        FileHandle.standardError.write(Data(String(format: "\r%@ %d/%d  %.1f/s  ETA %.0fs   ", name, done, total, rate, eta).utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
