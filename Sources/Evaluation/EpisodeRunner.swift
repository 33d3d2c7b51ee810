import Engine
import Foundation
import ResultsSchema
import Physics
import Policies
import Sim
import VLMath

/// Runs one episode of a suite run through the engine and turns it into its `episodes.jsonl` record, with the
/// executed actions (`actions/<task>/<id>.jsonl`) and the policy camera's frames as observers.
public struct EpisodeRunner {
    public let assets: TaskAssets
    public let policy: Policy
    public let baseSeed: UInt64
    /// Where to write the executed actions (`actions/<task>/<id>.jsonl`), or nil.
    public let runDirectory: URL?
    /// Renders camera images when the policy asks for them or frames are recorded (nil: physics only).
    public let renderers: RendererCache?
    public let frames: EpisodeFrameSink?
    /// Scene variants by name (episode keys name theirs; `base` when absent).
    public let variants: [String: SceneVariant]

    public init(assets: TaskAssets, policy: Policy, baseSeed: UInt64, runDirectory: URL?,
                renderers: RendererCache? = nil, frames: EpisodeFrameSink? = nil, variants: [String: SceneVariant] = [:]) {
        self.assets = assets; self.policy = policy; self.baseSeed = baseSeed; self.runDirectory = runDirectory
        self.renderers = renderers; self.frames = frames; self.variants = variants
    }

    public func run(_ key: EpisodeKey) -> EpisodeResult {
        let start = Date()
        let task = assets.task
        var record = EpisodeResult(episodeID: key.id, suite: key.suite, task: key.task, variant: key.variant,
                                   episodeIndex: key.index, repeatIndex: key.repeatIndex, seed: key.seed(base: baseSeed),
                                   instruction: task.instruction, status: "ok", success: false, grasped: nil,
                                   error: nil, steps: 0, simTime: 0, wallTime: 0, stats: [:])
        let actions = ActionLogObserver(), initial = InitialStateObserver()
        var observers: [EpisodeObserver] = [actions, initial]
        if let frames { observers.append(FrameObserver(frames)) }
        var session: EpisodeSession?
        do {
            let s = try EpisodeSession(assets: assets, key: key, variant: variants[key.variant] ?? .base, policy: policy,
                                       baseSeed: baseSeed, renderers: renderers, observers: observers)
            session = s
            record.instruction = s.episode.instruction
            try s.run()
        } catch {
            record.status = "error"
            record.error = EpisodeResult.boundedError("\(error)")
        }
        if let ep = session?.episode {
            record.steps = ep.step
            record.simTime = ep.simTime
            record.success = record.status == "ok" && ep.evaluation.success
            record.grasped = ep.evaluation.tracksGrasp ? ep.evaluation.graspedEver : nil
            record.stats = ep.evaluation.stats
        }
        if let clock = session?.clock { record.timing = clock.timing }
        record.initialState = initial.state
        if let dir = runDirectory {
            actions.write(key: key, runDirectory: dir)
            if let remote = policy as? RemotePolicy { Self.writeReplies(remote.replies, key: key, runDirectory: dir) }
            if let clock = session?.clock { Self.writeLog(clock, key: key, runDirectory: dir) }
        }
        record.wallTime = Date().timeIntervalSince(start)
        return record
    }
}

extension EpisodeRunner {
    /// A remote policy's replies before adapters, beside the executed actions (best effort, like the action log).
    static func writeReplies(_ replies: [(step: Int, rows: [[Double]])], key: EpisodeKey, runDirectory: URL) {
        let url = ActionLog.rawPath(runDirectory: runDirectory, task: key.task, episodeID: key.id)
        try? Data(replies.map { ActionLog.encodeRaw(step: $0.step, rows: $0.rows) + "\n" }.joined().utf8).write(to: url, options: .atomic)
    }

    /// The episode log, `logs/<task>/<episode>.jsonl` (one row per policy call; best effort, like the action log).
    static func writeLog(_ clock: EpisodeClock, key: EpisodeKey, runDirectory: URL) {
        let dir = EpisodeFiles.directory(runDirectory, "logs", key)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? Data(clock.logLines().utf8).write(to: dir.appendingPathComponent(EpisodeFiles.stem(key) + ".jsonl"), options: .atomic)
    }
}

/// Keeps every executed action, logged before it runs (an action that makes the physics diverge is kept too).
final class ActionLogObserver: EpisodeObserver {
    private(set) var lines: [String] = []
    func actionChosen(_ action: [Double], in session: EpisodeSession) throws {
        lines.append(ActionLog.encode(step: session.episode.step, action: action))
    }
    func write(key: EpisodeKey, runDirectory dir: URL) {
        let url = ActionLog.path(runDirectory: dir, task: key.task, episodeID: key.id)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data((lines.map { $0 + "\n" }.joined()).utf8).write(to: url, options: .atomic)
    }
}

/// Notes the scene after reset: object poses, robot base and joints (the episode record's `initial_state`).
final class InitialStateObserver: EpisodeObserver {
    private(set) var state: InitialState?
    func episodeStarted(_ session: EpisodeSession) throws {
        let ep = session.episode
        func array(_ p: Pose) -> [Double] { [p.p.x, p.p.y, p.p.z, p.q.w, p.q.x, p.q.y, p.q.z] }
        let objects = Dictionary(uniqueKeysWithValues: ep.objectModels.keys.compactMap { role in ep.objectPose(role).map { (role, array($0)) } })
        state = InitialState(objects: objects, robotBase: array(ep.basePose), robotQpos: ep.jointPositions)
    }
}

/// Feeds the policy camera's frame after reset and after every action to a frame sink (`--record`, `--save-frames`).
final class FrameObserver: EpisodeObserver {
    let sink: EpisodeFrameSink
    init(_ sink: EpisodeFrameSink) { self.sink = sink }
    func episodeStarted(_ session: EpisodeSession) throws {
        try sink.begin(session.key, framesPerSecond: session.episode.assets.controlFrequency)
        try frame(session)
    }
    func actionApplied(_ action: [Double], in session: EpisodeSession) throws { try frame(session) }
    func episodeEnded(_ session: EpisodeSession) { try? sink.end(success: session.episode.evaluation.success) }
    private func frame(_ session: EpisodeSession) throws {
        guard session.renderer != nil, let image = try session.policyCameraFrame() else { return }
        let ep = session.episode
        try sink.frame(image, step: ep.step, caption: FrameCaption.lines(step: ep.step, maxSteps: ep.assets.task.maxSteps,
                                                                          instruction: ep.instruction, success: ep.evaluation.success))
    }
}
