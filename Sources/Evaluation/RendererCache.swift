import Foundation
import ImageIO
import Render
import Sim

/// One observation renderer per task, overlay photo, variant look and set of objects (role → model: grid slots and
/// distractors vary per episode), built on first use, so episodes share a renderer only when they look the same. Under visual matching the photo is the task's (`{base}` in its name
/// stands for the episode's robot base configuration, e.g. `open_drawer_{base}.png`, simplerenv-tasks.md §3.1)
/// unless `--overlay` names one; variants that switch the overlay off get none.
public final class RendererCache {
    let overlays: Bool
    let explicitOverlay: String?
    let assetRoot: SimplerAssetRoot?
    private struct Key: Hashable { let task: String; let photo: String?; let look: VariantVisual; let objects: [String: String] }
    private var cache: [Key: ObservationRenderer] = [:]

    public init(overlays: Bool, explicitOverlay: String?, assetRoot: SimplerAssetRoot?) {
        self.overlays = overlays; self.explicitOverlay = explicitOverlay; self.assetRoot = assetRoot
    }

    public func renderer(for episode: Episode) throws -> ObservationRenderer {
        let assets = episode.assets
        var photoName: String?
        if overlays && episode.variant.visual.overlay != false, var name = assets.task.overlay {
            for (label, value) in episode.layoutLabels { name = name.replacingOccurrences(of: "{\(label)}", with: value) }
            photoName = name
        }
        let look = episode.variant.visual
        let objects = episode.objectModels
        let key = Key(task: assets.task.name, photo: photoName, look: look, objects: objects.mapValues(\.id))
        if let r = cache[key] { return r }
        let photo = try photoName.map { try OverlayLibrary.standard().load($0, explicit: explicitOverlay) }
        let r = try ObservationRenderer(assets: assets, overlayPhoto: photo, look: look, objects: objects,
                                        assetRoot: assetRoot)
        cache[key] = r
        return r
    }
}
