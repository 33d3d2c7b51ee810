import Evaluation
import Foundation
import ImageIO
import Render
import Sim
import VLMath

/// Shows a live episode in the viewer: each `step()` runs one control step of the policy, `reset()` rebuilds the
/// episode. Frames come from the same renderer and scene the policy sees (headed or not, one renderer).
public final class EpisodeFrameSource: ViewerFrameSource {
    let assets: TaskAssets
    let key: EpisodeKey
    let policy: Policy
    let renderers: RendererCache
    private var renderer: ObservationRenderer
    let baseSeed: UInt64
    let view = SceneViewRenderer()
    private var episode: Episode
    private var pending: [[Double]] = []
    /// Why the episode stopped early (policy or physics error), shown on stderr once.
    public private(set) var failure: String?

    public init(assets: TaskAssets, key: EpisodeKey, policy: Policy, renderers: RendererCache, baseSeed: UInt64) throws {
        self.assets = assets; self.key = key; self.policy = policy; self.renderers = renderers; self.baseSeed = baseSeed
        episode = try Episode(assets: assets, index: key.index)
        renderer = try renderers.renderer(for: episode)
        try resetPolicy()
    }

    private func resetPolicy() throws {
        pending = []
        failure = nil
        try policy.reset(EpisodeContext(episodeID: key.id, suite: key.suite, task: key.task, seed: key.seed(base: baseSeed),
                                        instruction: assets.task.instruction, maxSteps: assets.task.maxSteps,
                                        controlFrequency: assets.controlFrequency))
    }

    public var policyCamera: PinholeCamera {
        (try? episode.camera(assets.setup.cameras[0].name)) ?? PinholeCamera.lookAt(
            eye: assets.setup.basePose.p + Vec3(0.5, 0, 0.5), target: assets.setup.basePose.p, width: 640, height: 480, fx: 600, fy: 600)
    }

    public func frame(_ request: ViewerRequest) -> RGBImage {
        view.frame(scene: episode.renderScene(renderer.visuals), policyCamera: policyCamera, overlay: renderer.overlay,
                   request: request)
    }

    public func step() {
        guard !episode.isDone, failure == nil else { return }
        do {
            if pending.isEmpty {
                let spec = policy.observationSpec
                let images = spec.cameras.isEmpty ? [:] : try renderer.images(episode, spec: spec)
                pending = try policy.act(episode.observe(spec, instruction: assets.task.instruction, images: images))
            }
            try episode.apply(pending.removeFirst())
            if episode.isDone {
                let e = episode.evaluation
                FileHandle.standardError.write(Data("episode \(key.id): success=\(e.success) grasped=\(e.graspedEver)\n".utf8))
            }
        } catch {
            failure = "\(error)"
            FileHandle.standardError.write(Data("episode \(key.id) stopped: \(error)\n".utf8))
        }
    }

    public func reset() {
        do {
            episode = try Episode(assets: assets, index: key.index)
            try resetPolicy()
        } catch {
            failure = "\(error)"
        }
    }
}
