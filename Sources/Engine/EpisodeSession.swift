import Foundation
import ImageIO
import ResultsSchema
import Sim

/// Sees an episode as the engine runs it: result recorders, frame writers, the viewer, progress. The engine calls
/// `episodeStarted` once after reset, `actionChosen` before and `actionApplied` after the physics of every executed
/// action, and `episodeEnded` once, however the episode ended (a throwing observer ends the episode as an error).
public protocol EpisodeObserver: AnyObject {
    func episodeStarted(_ session: EpisodeSession) throws
    func actionChosen(_ action: [Double], in session: EpisodeSession) throws
    func actionApplied(_ action: [Double], in session: EpisodeSession) throws
    func episodeEnded(_ session: EpisodeSession)
}

public extension EpisodeObserver {
    func episodeStarted(_ session: EpisodeSession) throws {}
    func actionChosen(_ action: [Double], in session: EpisodeSession) throws {}
    func actionApplied(_ action: [Double], in session: EpisodeSession) throws {}
    func episodeEnded(_ session: EpisodeSession) {}
}

/// The one closed loop of the harness — reset → observe → act → apply → check — used by `sim`, `view` and the
/// benchmarks. It asks the policy for a chunk when the previous one is used up, renders only the cameras the
/// policy requests, executes each action through the episode (which checks it against the action space and
/// evaluates success as the task's termination rule says), and stops when the episode is done: the step budget
/// spent, or the first success of a latched task. Errors propagate to the caller, which records them.
public final class EpisodeSession {
    public let key: EpisodeKey
    public let seed: UInt64
    public let episode: Episode
    public let policy: Policy
    /// Renders camera images for the policy and frames for observers (nil: physics only).
    public let renderer: ObservationRenderer?
    public let observers: [EpisodeObserver]
    /// Policy, physics and rendering time of this episode (the record's `timing`, the episode log).
    public let clock = EpisodeClock()
    private var pending: [[Double]] = []
    private(set) var started = false

    /// Builds the episode's scene (the task's grid slot `key.index` under `variant`).
    public init(assets: TaskAssets, key: EpisodeKey, variant: SceneVariant = .base, policy: Policy, baseSeed: UInt64,
                renderers: RendererCache? = nil, observers: [EpisodeObserver] = []) throws {
        self.key = key
        self.policy = policy
        self.observers = observers
        seed = key.seed(base: baseSeed)
        episode = try Episode(assets: assets, index: key.index, variant: variant, seed: key.sceneSeed)
        renderer = try renderers?.renderer(for: episode)
    }

    /// What the policy learns at reset: the filled-in instruction, the seed, the action space.
    public var context: EpisodeContext {
        let a = episode.assets
        return EpisodeContext(episodeID: key.id, suite: key.suite, task: key.task, seed: seed, trial: key.repeatIndex,
                              instruction: episode.instruction,
                              maxSteps: a.task.maxSteps, controlFrequency: a.controlFrequency,
                              successKind: a.task.success.kind, actionSpace: a.setup.actionSpace)
    }

    /// Resets the policy and tells the observers the episode began.
    public func start() throws {
        pending = []
        try clock.reset { try policy.reset(context) }
        started = true
        for o in observers { try o.episodeStarted(self) }
    }

    public var isDone: Bool { episode.isDone }

    /// Executes the next action, asking the policy for a new chunk when the last one is used up.
    public func advance() throws {
        if !started { try start() }
        guard !episode.isDone else { return }
        if pending.isEmpty {
            let spec = policy.observationSpec
            let views = spec.cameras.isEmpty ? CameraViews() : try clock.render { try requireRenderer().images(episode, spec: spec) }
            let observation = episode.observe(spec, instruction: episode.instruction, views: views)
            pending = try clock.act(step: episode.step) { try policy.act(observation) }
            guard !pending.isEmpty else { throw ActionError.invalid("the policy returned no action") }
        }
        let action = pending.removeFirst()
        for o in observers { try o.actionChosen(action, in: self) }
        try clock.physics { try episode.apply(action) }
        for o in observers { try o.actionApplied(action, in: self) }
    }

    /// Runs to the end; observers hear `episodeEnded` whether it finished or threw.
    public func run() throws {
        defer { finish() }
        if !started { try start() }
        while !episode.isDone { try advance() }
    }

    /// Tells the observers the episode ended (call once).
    public func finish() {
        for o in observers { o.episodeEnded(self) }
    }

    /// The policy camera (the set-up's first) at its native resolution, for recorders and the viewer.
    public func policyCameraFrame() throws -> RGBImage? {
        guard let camera = episode.assets.setup.cameras.first else { return nil }
        return try clock.render { try requireRenderer().render(episode, camera: camera.name).rgb }
    }

    private func requireRenderer() throws -> ObservationRenderer {
        guard let renderer else { throw ActionError.invalid("the policy asks for camera images but no renderer was set up") }
        return renderer
    }
}
