import Engine
import Foundation
import Testing
@testable import Evaluation
import Sim
import TestSupport

/// The renderer cache is bounded (it once kept one renderer per distinct scene: 64 → 672 MB over 60 move-near
/// episodes) and a renderer rebuilt after eviction draws the same image.
@Suite struct RendererCacheTests {
    @Test func keepsAtMostCapacityRenderersAndRebuildsTheSameImage() throws {
        let assets = try TaskAssets(task: "google_move_near", root: TestSupport.repoRoot.appendingPathComponent("scenes"))
        let cache = RendererCache(overlays: false, explicitOverlay: nil, assetRoot: nil)
        let camera = try #require(assets.setup.cameras.first?.name)
        try TestSupport.withODE {
            let first = try Episode(assets: assets, index: 0, variant: .base)
            let renderer = try cache.renderer(for: first)
            let image = try renderer.render(first, camera: camera).rgb
            #expect(try cache.renderer(for: first) === renderer, "the same scene shares its renderer")
            // Move-near episodes place a different triple of objects each: every one needs a renderer of its own.
            for i in 1...(2 * RendererCache.capacity) {
                _ = try cache.renderer(for: try Episode(assets: assets, index: i, variant: .base))
                #expect(cache.count <= RendererCache.capacity)
            }
            let rebuilt = try cache.renderer(for: first)
            #expect(rebuilt !== renderer, "episode 0's renderer should have been evicted")
            #expect(try rebuilt.render(first, camera: camera).rgb == image)
        }
    }
}
