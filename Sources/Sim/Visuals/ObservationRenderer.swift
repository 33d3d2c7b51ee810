import Foundation
import ImageIO
import Render

/// Renders the camera images a policy asked for: the camera at its native resolution (SimplerEnv renders 640×480
/// or 640×512), the real photo composited under visual matching (§1.4), then resized to the policy's input size
/// with the area filter (an anti-aliased box average, the usual choice for downscaling; bilinear when enlarging).
public final class ObservationRenderer {
    public let visuals: SceneVisuals
    public let overlay: OverlayCompositor?
    let rasterizer = Rasterizer()

    /// `overlayPhoto`: the task's real photo for visual matching, or nil to render the whole simulated scene.
    /// `look` and `objects`: the episode variant's look and the episode's objects (`SceneVisuals`).
    public init(assets: TaskAssets, overlayPhoto: RGBImage?, look: VariantVisual = VariantVisual(),
                objects: [String: ObjectModel]? = nil, assetRoot: SimplerAssetRoot? = nil) throws {
        let visuals = try SceneVisuals(assets: assets, look: look, objects: objects, assetRoot: assetRoot)
        self.visuals = visuals
        overlay = overlayPhoto.map { OverlayCompositor(photo: $0, keep: visuals.keep) }
    }

    /// One camera image at the camera's native size (what SimplerEnv hands the policy).
    public func render(_ episode: Episode, camera name: String, outputs: RenderOutputs = .rgb) throws -> RenderOutput {
        let camera = try episode.camera(name)
        return rasterizer.render(episode.renderScene(visuals), camera: camera, outputs: outputs, overlay: overlay)
    }

    /// The images of `spec`, keyed by camera name, each at its requested size.
    public func images(_ episode: Episode, spec: ObservationSpec) throws -> [String: RGBImage] {
        var out: [String: RGBImage] = [:]
        for req in spec.cameras {
            let rgb = try render(episode, camera: req.camera).rgb!
            out[req.camera] = rgb.width == req.width && rgb.height == req.height
                ? rgb : rgb.resized(width: req.width, height: req.height, filter: .area)
        }
        return out
    }
}
