import Engine
import Foundation
import ImageIO
import Render
import Sim
import VLMath

/// Shows a live episode in the viewer through the same engine `sim` uses: each `step()` executes one action of the
/// policy, `reset()` rebuilds the episode. Frames come from the renderer and scene the policy sees.
public final class EpisodeFrameSource: ViewerFrameSource {
    public struct Setup {
        public let assets: TaskAssets
        public let key: EpisodeKey
        public let variant: SceneVariant
        public let policy: Policy
        public let renderers: RendererCache
        public let baseSeed: UInt64
        public init(assets: TaskAssets, key: EpisodeKey, variant: SceneVariant, policy: Policy, renderers: RendererCache,
                    baseSeed: UInt64) {
            self.assets = assets; self.key = key; self.variant = variant; self.policy = policy
            self.renderers = renderers; self.baseSeed = baseSeed
        }
    }
    let setup: Setup
    let view = SceneViewRenderer()
    private var session: EpisodeSession
    /// Why the episode stopped early (policy or physics error), shown on stderr once.
    public private(set) var failure: String?

    public init(_ setup: Setup) throws {
        self.setup = setup
        session = try Self.makeSession(setup)
        try session.start()
    }

    static func makeSession(_ s: Setup) throws -> EpisodeSession {
        try EpisodeSession(assets: s.assets, key: s.key, variant: s.variant, policy: s.policy, baseSeed: s.baseSeed,
                           renderers: s.renderers)
    }

    public var episode: Episode { session.episode }

    public var policyCamera: PinholeCamera {
        let assets = setup.assets
        return (try? episode.camera(assets.setup.cameras[0].name)) ?? PinholeCamera.lookAt(
            eye: assets.setup.basePose.p + Vec3(0.5, 0, 0.5), target: assets.setup.basePose.p, width: 640, height: 480, fx: 600, fy: 600)
    }

    /// One status line: the instruction the policy sees, the step, and success so far.
    public var hud: String {
        let e = episode
        let state = failure.map { "stopped: \($0)" } ?? (e.evaluation.success ? "success" : (e.isDone ? "failure" : "running"))
        return "\(setup.key.task) #\(setup.key.index) [\(setup.key.variant)] step \(e.step)/\(e.assets.task.maxSteps) — \(state) — “\(e.instruction)”"
    }

    public func frame(_ request: ViewerRequest) -> RGBImage {
        let renderer = session.renderer!
        return view.frame(scene: episode.renderScene(renderer.visuals), policyCamera: policyCamera, overlay: renderer.overlay,
                          request: request)
    }

    public func step() {
        guard !session.isDone, failure == nil else { return }
        do {
            try session.advance()
            if session.isDone {
                let e = episode.evaluation
                FileHandle.standardError.write(Data("episode \(setup.key.id): success=\(e.success) grasped=\(e.graspedEver)\n".utf8))
            }
        } catch {
            failure = "\(error)"
            FileHandle.standardError.write(Data("episode \(setup.key.id) stopped: \(error)\n".utf8))
        }
    }

    public func reset() {
        do {
            failure = nil
            session = try Self.makeSession(setup)
            try session.start()
        } catch {
            failure = "\(error)"
        }
    }
}
