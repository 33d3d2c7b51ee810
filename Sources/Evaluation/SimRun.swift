import Foundation
import ImageIO
import Policies
import Render
import Scoreboard
import Sim
import VLMath

/// What `vlaser-eval sim` was asked to do.
public struct SimRunOptions: Sendable {
    public var suite: String
    public var tasks: [String] = []
    public var episodes = EpisodeSelection.all
    public var policy = "scripted"
    public var seed = 0
    public var out: URL
    public var resume = false
    public var workers = 1
    public var shard = Shard.whole
    public var protocolName = "physics-only"
    /// `--variant NAME` (repeatable): run only these variants, robustness-only ones included; empty = the protocol's
    /// variants that enter the average.
    public var variants: [String] = []
    public var scenesRoot = SceneLibrary.defaultRoot()
    /// Visual matching: a photo replacing each task's default overlay (`--overlay PATH`).
    public var overlay: String?
    /// `--record`: one video of the policy camera per episode; `--save-frames`: one PNG per step.
    public var record = false
    public var saveFrames = false
    /// Remote policy set-up: preset, executed actions per chunk, what to do when the server fails.
    public var policyOptions = PolicyOptions()
    /// Original object meshes (OBJ + MTL + textures) to draw instead of the procedural stand-ins.
    public var assetsDirectory: URL?
    public init(suite: String, out: URL) { self.suite = suite; self.out = out }
}

/// Plans and executes a suite run: enumerates episodes, skips finished ones on resume, runs the rest in this
/// process or in worker processes, appends results as they finish, and writes the summary.
public final class SimRun {
    public let options: SimRunOptions
    public let manifest: SimManifest
    let keys: [EpisodeKey]
    let assets: [String: TaskAssets]

    public static let harnessVersion = "0.1.0"
    /// `physics-only` runs every task once in its base scene; the others enumerate the suite's scene variants
    /// (`scenes/variants/<suite>_<protocol>.json`, simplerenv-tasks.md §4).
    public static let knownProtocols = ["physics-only", "variant-aggregation", "visual-matching"]
    /// Variants by task and name for this run's protocol.
    let variants: [String: [String: SceneVariant]]

    public init(_ options: SimRunOptions) throws {
        let suites = try TaskAssets.suiteNames(root: options.scenesRoot)
        guard suites.contains(options.suite) else {
            throw EvaluationError.usage("unknown suite '\(options.suite)' (known: \(suites.joined(separator: ", ")))")
        }
        guard Self.knownProtocols.contains(options.protocolName) else {
            throw EvaluationError.usage("unknown protocol '\(options.protocolName)' for suite \(options.suite) (known: \(Self.knownProtocols.joined(separator: ", ")))")
        }
        guard options.workers >= 1 else { throw EvaluationError.usage("--workers must be ≥ 1, got \(options.workers)") }
        self.options = options
        let everything = try TaskAssets.taskNames(root: options.scenesRoot)
        let tasks = try options.tasks.isEmpty ? TaskAssets.taskNames(root: options.scenesRoot, suite: options.suite) : options.tasks
        for t in tasks where !everything.contains(t) {
            let known = try TaskAssets.taskNames(root: options.scenesRoot, suite: options.suite)
            throw EvaluationError.usage("unknown task '\(t)' in suite \(options.suite) (known: \(known.joined(separator: ", ")))")
        }
        var policyOptions = options.policyOptions
        policyOptions.scenesRoot = options.scenesRoot
        let probe = try PolicyFactory.make(options.policy, options: policyOptions)  // fail fast on a bad --policy
        let variantSet = options.protocolName == "physics-only" ? nil
            : try VariantSet.load(suite: options.suite, protocolName: options.protocolName, root: options.scenesRoot)
        if options.protocolName != "physics-only" && variantSet == nil {
            throw EvaluationError.usage("protocol '\(options.protocolName)' is not defined for suite \(options.suite) (no scenes/variants/\(options.suite)_\(options.protocolName).json)")
        }
        let meshes = try SimplerCollisionAssets.locate(explicit: options.assetsDirectory)
        var assets: [String: TaskAssets] = [:]
        var variants: [String: [String: SceneVariant]] = [:]
        var all: [EpisodeKey] = []
        var runTasks: [String] = [], known: [String] = [], robustness: Set<String> = []
        for t in tasks {
            let a = try TaskAssets(task: t, root: options.scenesRoot, collision: meshes.map { .meshes($0) } ?? .primitives)
            guard a.task.suite == options.suite else {
                throw EvaluationError.usage("task '\(t)' belongs to suite \(a.task.suite), not \(options.suite)")
            }
            let applicable = variantSet?.variants(for: t) ?? [.base]
            known += applicable.map(\.name).filter { !known.contains($0) }
            // A selection drops the tasks none of whose variants it names; the default runs what enters the average.
            let chosen = options.variants.isEmpty ? applicable.filter(\.entersAverage)
                : applicable.filter { options.variants.contains($0.name) }
            if chosen.isEmpty && !options.variants.isEmpty && options.tasks.isEmpty { continue }
            if chosen.isEmpty {
                throw EvaluationError.usage("protocol '\(options.protocolName)' defines no \(options.variants.isEmpty ? "" : "selected ")variant for task \(t) (its variants: \(applicable.map(\.name).joined(separator: ", ")))")
            }
            for v in chosen { _ = try v.resetQpos(a.setup, robot: a.robot) }  // bad robot_qpos: exit 2 before any episode
            runTasks.append(t)
            assets[t] = a
            robustness.formUnion(chosen.filter { !$0.entersAverage }.map(\.name))
            variants[t] = Dictionary(chosen.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for v in chosen.map(\.name) {
                for i in try options.episodes.resolve(count: a.episodeCount, task: t) {
                    all.append(EpisodeKey(suite: options.suite, task: t, variant: v, index: i))
                }
            }
        }
        if let unknown = options.variants.first(where: { !known.contains($0) }) {
            throw EvaluationError.usage("unknown variant '\(unknown)' for protocol \(options.protocolName) and the selected tasks (known: \(known.joined(separator: ", ")))")
        }
        self.assets = assets
        self.variants = variants
        if options.protocolName == "visual-matching" {
            for a in assets.values where !(a.task.overlay ?? "").contains("{") {
                _ = try Self.locateOverlay(a, options)  // a missing photo is reported up front
            }
        }
        let mine = all.enumerated().filter { $0.offset % options.shard.count == options.shard.index }.map(\.element)
        keys = mine
        let execute = (probe as? RemotePolicy)?.configuration.execute
        let selection = options.variants.isEmpty ? nil : Array(Set(options.variants)).sorted()
        let usesMeshes = assets.values.contains { $0.collisionSource == .simplerMeshes }
        // The selection and the meshes join the hash only when used, so runs made before they existed still resume.
        let config = ([options.suite, options.protocolName, options.overlay ?? "", options.policy,
                       options.policyOptions.preset ?? "", "\(execute ?? 0)", "\(options.seed)", runTasks.joined(separator: ","),
                       all.map(\.id).joined(separator: ",")] + (selection.map { ["variants=" + $0.joined(separator: ",")] } ?? [])
                      + (usesMeshes ? ["collision=simpler-meshes"] : []))
            .joined(separator: "|")
        manifest = SimManifest(suite: options.suite, protocol: options.protocolName, policy: options.policy,
                               seed: options.seed, execute: execute, tasks: runTasks, shard: options.shard,
                               configHash: String(stableHash64(config), radix: 16), episodeIds: mine.map(\.id),
                               allEpisodeIds: all.map(\.id), variantSelection: selection,
                               robustnessVariants: robustness.isEmpty ? nil : robustness.sorted(),
                               collision: (usesMeshes ? CollisionSource.simplerMeshes : .primitives).rawValue,
                               harnessVersion: Self.harnessVersion, gitCommit: Self.gitCommit(near: options.scenesRoot),
                               createdAt: ISO8601DateFormatter().string(from: Date()))
    }

    /// Runs every planned episode not already done and returns the summary.
    public func run(progress: Progress? = nil) throws -> RunSummary {
        let fm = FileManager.default
        try fm.createDirectory(at: options.out, withIntermediateDirectories: true)
        let store = ResultStore(directory: options.out)
        let manifestURL = options.out.appendingPathComponent("manifest.json")
        var done: [String: EpisodeResult] = [:]
        if fm.fileExists(atPath: store.url.path) || fm.fileExists(atPath: manifestURL.path) {
            guard options.resume else {
                throw EvaluationError.usage("\(options.out.path) already holds a run; pass --resume to continue it or choose another --out")
            }
            let old = try DataFileReader.manifest(manifestURL)
            guard old.configHash == manifest.configHash, old.shard == manifest.shard else {
                throw EvaluationError.usage("\(manifestURL.path): the run there has a different configuration (config_hash \(old.configHash), shard \(old.shard.index)/\(old.shard.count)); --resume needs the same command")
            }
            done = try store.load().filter { !$0.value.isError }  // error episodes are retried on resume
        }
        try manifest.jsonData().write(to: manifestURL, options: .atomic)
        let todo = keys.filter { done[$0.id] == nil }
        progress?.start(total: keys.count, alreadyDone: keys.count - todo.count)
        var results = done
        let record: (EpisodeResult) throws -> Void = { r in
            try store.append(r)
            results[r.episodeID] = r
            progress?.finished(r)
        }
        var stopped: Error?
        do {
            if options.workers > 1 && todo.count > 1 {
                try WorkerPool(options: options, count: options.workers).run(todo, record: record)
            } else {
                try runInProcess(todo, record: record)
            }
        } catch let e as EvaluationError {
            guard case .aborted = e else { throw e }
            stopped = e  // --on-policy-error abort: keep and summarise what finished, then report
        }
        progress?.end()
        let ordered = keys.compactMap { results[$0.id] }
        try store.rewrite(ordered: ordered)
        let summary = RunSummary.compute(episodes: try ordered.map { try $0.summaryRecord() }, manifest: manifest)
        try summary.jsonData().write(to: options.out.appendingPathComponent("summary.json"), options: .atomic)
        if let stopped { throw stopped }
        return summary
    }

    /// Runs episodes sequentially in this process, reporting each record as it finishes.
    public func runInProcess(_ todo: [EpisodeKey], record: (EpisodeResult) throws -> Void) throws {
        var policyOptions = options.policyOptions
        policyOptions.scenesRoot = options.scenesRoot
        let policy = try PolicyFactory.make(options.policy, options: policyOptions)
        let frames = frameSink()
        let renderers = (frames != nil || !policy.observationSpec.cameras.isEmpty)
            ? RendererCache(overlays: options.protocolName == "visual-matching", explicitOverlay: options.overlay,
                            assetsDirectory: options.assetsDirectory) : nil
        for key in todo {
            let runner = EpisodeRunner(assets: assets[key.task]!, policy: policy, baseSeed: UInt64(bitPattern: Int64(options.seed)),
                                       runDirectory: options.out, renderers: renderers, frames: frames,
                                       variants: variants[key.task] ?? [:])
            let result = runner.run(key)
            try record(result)
            if result.isError && options.policyOptions.onError == .abort {
                throw EvaluationError.aborted("stopped after \(key.id) (--on-policy-error abort): \(result.error ?? "error")")
            }
        }
    }

    func frameSink() -> EpisodeFrameSink? {
        var sinks: [EpisodeFrameSink] = []
        if options.record { sinks.append(VideoFrameSink(runDirectory: options.out)) }
        if options.saveFrames { sinks.append(PNGFrameSink(runDirectory: options.out)) }
        return sinks.isEmpty ? nil : FrameSinks(sinks)
    }

    /// Plans this run's episodes by id (worker processes receive ids from their parent).
    public func keys(withIDs ids: [String]) throws -> [EpisodeKey] {
        let byID = Dictionary(uniqueKeysWithValues: keys.map { ($0.id, $0) })
        return try ids.map { id in
            guard let k = byID[id] else { throw EvaluationError.usage("episode id '\(id)' is not part of this run") }
            return k
        }
    }

    private static func locateOverlay(_ a: TaskAssets, _ o: SimRunOptions) throws -> URL? {
        guard let name = a.task.overlay else { return nil }
        return try OverlayLibrary.standard().locate(name, explicit: o.overlay)
    }

    static func gitCommit(near url: URL) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", url.path, "rev-parse", "--short=12", "HEAD"]
        let out = Pipe()
        p.standardOutput = out; p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "unknown" }
        p.waitUntilExit()
        let s = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !s.isEmpty ? s : "unknown"
    }
}

enum DataFileReader {
    static func manifest(_ url: URL) throws -> SimManifest {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EvaluationError.usage("\(url.path): missing; the directory does not hold a resumable run")
        }
        do { return try JSONDecoder().decode(SimManifest.self, from: data) } catch {
            throw EvaluationError.usage("\(url.path): not a vlaser-eval sim manifest (\(error))")
        }
    }
}
