import Foundation
import ImageIO
import Render
import Sim

/// `vlaser-perf render [frames]`: single-thread render time of episode 0 of `widowx_carrot_on_plate` at reset
/// (the scene and 3rd-view camera built from scenes/ as a run builds them, procedural visuals) at 640×480 and
/// 224×224, with and without the §1.4 overlay (a synthetic photo, so the benchmark needs no assets).
/// Target (issue 3): ≤ 5 ms for 640×480 with overlay.
/// This thread's CPU time: on a shared 2-core box the wall clock also counts other processes' time slices.
func threadCPUNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

func renderBenchmark(_ args: [String]) throws {
    let frames = args.first.flatMap(Int.init) ?? 200
    let assets = try TaskAssets(task: "widowx_carrot_on_plate", root: SceneLibrary.defaultRoot())
    let episode = try Episode(assets: assets, index: 0)
    let visuals = try SceneVisuals(assets: assets, objects: episode.objectModels)
    let demo = (scene: episode.renderScene(visuals), camera: try episode.camera("3rd_view_camera"), keep: visuals.keep)
    var photo = RGBImage(width: 640, height: 480)
    for i in 0..<photo.pixels.count { photo.pixels[i] = UInt8(truncatingIfNeeded: i &* 7) }
    let tris = demo.scene.instances.reduce(0) { $0 + $1.mesh.triangleCount }
    print("scene: \(demo.scene.instances.count) instances, \(tris) triangles; \(frames) frames each; 2×2 supersampling")
    for (w, h) in [(640, 480), (224, 224)] {
        let camera = w == 640 ? demo.camera : demo.camera.resized(width: w, height: h)
        for withOverlay in [false, true] {
            for outputs in [RenderOutputs.rgb, .all] {
                let overlay = withOverlay ? OverlayCompositor(photo: photo, keep: demo.keep) : nil
                let rasterizer = Rasterizer()
                _ = rasterizer.render(demo.scene, camera: camera, outputs: outputs, overlay: overlay)  // warm-up, photo resize
                let wall0 = DispatchTime.now().uptimeNanoseconds, cpu0 = threadCPUNanoseconds()
                for _ in 0..<frames { _ = rasterizer.render(demo.scene, camera: camera, outputs: outputs, overlay: overlay) }
                let cpu = Double(threadCPUNanoseconds() - cpu0) / 1e6 / Double(frames)
                let wall = Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e6 / Double(frames)
                let what = outputs.contains(.depth) ? "rgb+depth+seg" : "rgb"
                print(String(format: "%4d×%-4d overlay=%-5@ %-13@ %7.2f ms/frame CPU  (%7.2f wall)", w, h, "\(withOverlay)", what, cpu, wall))
            }
        }
    }
}
