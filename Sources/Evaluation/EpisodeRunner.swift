import Foundation
import Physics
import Policies
import Sim

/// Runs one episode closed-loop: reset the policy, then observe → act → step until the task's max steps.
/// Fixed-length episodes; success is the value at the final step (simplerenv-tasks.md §1.3).
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
                                   instruction: task.instruction, status: "ok", success: false, grasped: false,
                                   error: nil, steps: 0, simTime: 0, wallTime: 0, stats: [:])
        var actions: [String] = []
        var episode: Episode?
        do {
            let ep = try Episode(assets: assets, index: key.index, variant: variants[key.variant] ?? .base)
            episode = ep
            record.instruction = ep.instruction
            try policy.reset(EpisodeContext(episodeID: key.id, suite: key.suite, task: key.task, seed: record.seed,
                                            instruction: ep.instruction, maxSteps: task.maxSteps,
                                            controlFrequency: assets.controlFrequency, successKind: task.success.kind))
            let spec = policy.observationSpec
            let renderer = try renderers?.renderer(for: ep)
            try frames?.begin(key, framesPerSecond: assets.controlFrequency)
            try recordFrame(ep, renderer)
            while !ep.isDone {
                let images = spec.cameras.isEmpty ? [:] : try renderer!.images(ep, spec: spec)
                let chunk = try policy.act(ep.observe(spec, instruction: ep.instruction, images: images))
                guard !chunk.isEmpty else { throw ActionError.invalid("the policy returned no action") }
                for action in chunk where !ep.isDone {
                    actions.append(ActionLog.encode(step: ep.step, action: action))
                    try ep.apply(action)
                    try recordFrame(ep, renderer)
                }
            }
            try frames?.end()
        } catch {
            record.status = "error"
            record.error = EpisodeResult.boundedError("\(error)")
        }
        if let ep = episode {
            record.steps = ep.step
            record.simTime = ep.simTime
            record.success = record.status == "ok" && ep.evaluation.success
            record.grasped = ep.evaluation.graspedEver
            record.stats = ep.evaluation.stats
        }
        if let dir = runDirectory { writeActions(actions, key: key, dir: dir) }
        record.wallTime = Date().timeIntervalSince(start)
        return record
    }

    /// The policy camera (the set-up's first camera) at its native resolution, for `--record`/`--save-frames`.
    private func recordFrame(_ ep: Episode, _ renderer: ObservationRenderer?) throws {
        guard let frames, let renderer, let camera = assets.setup.cameras.first else { return }
        try frames.frame(renderer.render(ep, camera: camera.name).rgb!, step: ep.step)
    }

    private func writeActions(_ lines: [String], key: EpisodeKey, dir: URL) {
        let url = ActionLog.path(runDirectory: dir, task: key.task, episodeID: key.id)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data((lines.map { $0 + "\n" }.joined()).utf8).write(to: url, options: .atomic)
    }
}
