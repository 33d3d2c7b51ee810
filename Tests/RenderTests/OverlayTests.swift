import Foundation
import ImageIO
import Testing
import TestSupport
import VLMath
@testable import Render

@Suite struct OverlayTests {
    /// A synthetic photo (gradient) so the test needs no shared assets.
    func photo(_ w: Int, _ h: Int) -> RGBImage {
        var img = RGBImage(width: w, height: h)
        for y in 0..<h { for x in 0..<w { let i = (y * w + x) * 3; img.pixels[i] = UInt8(x % 256); img.pixels[i + 1] = UInt8(y % 256); img.pixels[i + 2] = 77 } }
        return img
    }

    @Test func photoExactlyWhereKeepSetAbsent() throws {
        let demo = try TestScene()
        let overlay = OverlayCompositor(photo: photo(320, 240), keep: demo.keep)
        let resized = overlay.photo(width: 640, height: 480)
        for n in [1, 2] {
            let out = Rasterizer(samplesPerAxis: n).render(demo.scene, camera: demo.camera, overlay: overlay)
            let rgb = try #require(out.rgb), seg = try #require(out.segmentation)
            let plain = try #require(Rasterizer(samplesPerAxis: n).render(demo.scene, camera: demo.camera).rgb)
            var kept = 0, photoPixels = 0
            for y in 1..<479 {
                for x in 1..<639 {
                    // With supersampling only pixels whose neighbourhood is all one side are unambiguous.
                    let ids = n == 1 ? [seg[x, y]] : (-1...1).flatMap { dy in (-1...1).map { dx in seg[x + dx, y + dy] } }
                    let same = (0..<3).map { c in rgb.pixels[(y * 640 + x) * 3 + c] }
                    if ids.allSatisfy({ !demo.keep.contains($0) }) {
                        photoPixels += 1
                        #expect(same == (0..<3).map { resized.pixels[(y * 640 + x) * 3 + $0] })
                    } else if n == 1 && demo.keep.contains(seg[x, y]) {  // front-most sample ≠ all samples when n > 1
                        kept += 1
                        #expect(same == (0..<3).map { plain.pixels[(y * 640 + x) * 3 + $0] })
                    }
                }
            }
            #expect((n > 1 || kept > 2000) && photoPixels > 200_000)
        }
    }

    /// The colour-only fast path (kept instances first, others as occluders inside their footprint) gives the
    /// same image as the full render, including a non-kept occluder in front of a kept object.
    @Test func colourOnlyPathMatchesFullRender() throws {
        var demo = try TestScene()
        let shield = MeshInstance(mesh: Primitives.box(Float3(0.02, 0.2, 0.05)), pose: Pose(p: Vec3(-0.2, -0.075, 0.9)),
                                  material: Material(rgb: 0, 0, 1), segmentationID: 99)
        demo.scene.instances.append(shield)
        let overlay = OverlayCompositor(photo: photo(640, 480), keep: demo.keep)
        let r = Rasterizer()
        let full = try #require(r.render(demo.scene, camera: demo.camera, outputs: .all, overlay: overlay).rgb)
        let fast = try #require(r.render(demo.scene, camera: demo.camera, outputs: .rgb, overlay: overlay).rgb)
        let differing = (0..<full.pixels.count).filter { full.pixels[$0] != fast.pixels[$0] }.count
        #expect(differing == 0)
        // The occluder hides part of the carrot: fewer carrot-coloured pixels than without it.
        let seg = try #require(r.render(demo.scene, camera: demo.camera, outputs: .segmentation).segmentation)
        #expect(seg.ids.contains(99))
    }

    @Test func bilinearResizeMatchesOpenCVMapping() {
        // 2×1 → 4×1: OpenCV maps dst x to src (x + 0.5)/2 − 0.5 → 0, 0.25, 0.75, 1 (clamped).
        let img = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 200, 100, 40])
        let r = img.resized(width: 4, height: 1, filter: .bilinear)
        #expect(r.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) == [0, 50, 150, 200])
    }

    @Test func areaResizeAveragesBlocks() {
        var img = RGBImage(width: 4, height: 4)
        for i in 0..<16 { img.pixels[3 * i] = i % 2 == 0 ? 255 : 0 }
        let r = img.resized(width: 2, height: 2, filter: .area)
        #expect(r.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) == [128, 128, 128, 128])
    }

    @Test func missingOverlayNamesTheFetchScript() throws {
        let lib = OverlayLibrary(directories: [URL(fileURLWithPath: "/nonexistent-overlays")])
        #expect(throws: OverlayLibrary.LookupError.self) { try lib.locate("bridge_real_eval_1.png") }
        do { _ = try lib.locate("bridge_real_eval_1.png") } catch { #expect("\(error)".contains(OverlayLibrary.fetchScript)) }
        let env = ["VLASER_OVERLAY_DIR": "/x/y", "HOME": "/home/u"]
        #expect(OverlayLibrary.standard(environment: env).directories.prefix(2).map(\.path) == ["/x/y", "/home/u/.cache/vlaser-eval/overlays"])
    }

    /// The fetch script against a local mirror (file:// URL): all 13 photos land in the cache, and the library
    /// finds them there; a non-PNG download is rejected.
    @Test func fetchScriptFillsTheCache() throws {
        let mirror = try TestSupport.makeTempDir(), cache = try TestSupport.makeTempDir()
        let names = ["bridge_real_eval_1", "bridge_sink", "google_coke_can_real_eval_1", "google_move_near_real_eval_1"]
            + ["a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"].map { "open_drawer_\($0)" }
        for n in names { try writePNG(photo(8, 6), to: mirror.appendingPathComponent("\(n).png")) }
        let script = TestSupport.repoRoot.appendingPathComponent(OverlayLibrary.fetchScript).path
        let env = ["VLASER_OVERLAY_BASE_URL": "file://\(mirror.path)", "VLASER_CACHE_DIR": cache.path, "VLASER_OVERLAY_DIR": ""]
        let r = try TestSupport.run("/bin/bash", [script], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let lib = OverlayLibrary.standard(environment: ["VLASER_CACHE_DIR": cache.path, "HOME": "/nonexistent"])
        #expect(try lib.load("open_drawer_c2.png") == photo(8, 6))
        try Data("<html>".utf8).write(to: mirror.appendingPathComponent("bridge_sink.png"))
        try FileManager.default.removeItem(at: cache.appendingPathComponent("overlays/bridge_sink.png"))
        let bad = try TestSupport.run("/bin/bash", [script], environment: env)
        #expect(bad.status != 0 && bad.stderr.contains("not a PNG"))
    }
}
