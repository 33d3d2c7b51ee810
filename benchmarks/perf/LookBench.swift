import Foundation
import Render
import Sim

/// `vlaser-perf looks [frames]`: single-thread render time of the Google head camera (640×512, RGB) at reset for
/// each variant-aggregation look of one coke-can and one drawer episode, against the same episode with no look
/// (stage only): what a background, a table texture or a cabinet colouring costs per frame.
func lookBenchmark(_ args: [String]) throws {
    let frames = args.first.flatMap(Int.init) ?? 50
    let root = SceneLibrary.defaultRoot()
    guard let variants = try VariantSet.load(suite: "google-robot", protocolName: "variant-aggregation", root: root) else {
        throw DataFileError(file: "variants/google-robot_variant-aggregation.json", field: "", message: "missing")
    }
    print("task                              look                              ms/frame CPU")
    for task in ["google_pick_coke_can_horizontal", "google_open_top_drawer"] {
        let assets = try TaskAssets(task: task, root: root)
        // Visual-only variants: all render the same physical episode.
        let applicable = variants.variants(for: task).filter { $0.distractors == nil && $0.removeRoles == nil && $0.robotQpos == nil }
        let episode = try Episode(assets: assets, index: 4, variant: applicable[0])
        for (name, look) in [("(none)", VariantVisual())] + applicable.map({ ($0.name, $0.visual) }) {
            let renderer = try ObservationRenderer(assets: assets, overlayPhoto: nil, look: look, objects: episode.objectModels)
            _ = try renderer.render(episode, camera: "overhead_camera")  // warm-up
            let cpu0 = threadCPUNanoseconds()
            for _ in 0..<frames { _ = try renderer.render(episode, camera: "overhead_camera") }
            let ms = Double(threadCPUNanoseconds() - cpu0) / 1e6 / Double(frames)
            print(task.padding(toLength: 34, withPad: " ", startingAt: 0) + name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%8.2f", ms))
        }
    }
}
