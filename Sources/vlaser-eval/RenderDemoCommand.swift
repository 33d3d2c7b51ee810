import ArgumentParser
import Foundation
import ImageIO
import Render
import Viewer

/// Hidden developer command: renders the hand-built WidowX carrot scene headless (`--out`), or shows it in the
/// viewer window (`--window`, optionally grabbing the window contents with `--grab` and quitting after `--frames`).
struct RenderDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render-demo", abstract: "Render the WidowX carrot demo scene.",
                                                    shouldDisplay: false)

    @Option(help: "Write the headless render (PNG) here.") var out: String?
    @Option(help: "Overlay photo; default: bridge_real_eval_1.png from the overlay library.") var overlay: String?
    @Flag(help: "Render without the real-photo overlay.") var noOverlay = false
    @Option(help: "Also write segmentation / depth visualisations with this path prefix.") var debugPrefix: String?
    @Flag(help: "Open the interactive viewer window.") var window = false
    @Option(help: "Viewer: write the first displayed frame read back from the window to this PNG.") var grab: String?
    @Option(help: "Viewer: quit after this many frames (0 = run until closed).") var frames = 0

    func run() throws {
        let demo = try DemoScenes.widowxCarrot()
        let photo = noOverlay ? nil : try OverlayLibrary.standard().load("bridge_real_eval_1.png", explicit: overlay)
        let compositor = photo.map { OverlayCompositor(photo: $0, keep: demo.keep) }
        if window {
            let source = StaticSceneFrameSource(scene: demo.scene, camera: demo.camera, overlay: compositor)
            try ViewerWindow(title: "vlaser-eval render demo", width: demo.camera.width, height: demo.camera.height)
                .run(frameSource: source, maxFrames: frames, grabFirstFrame: grab.map { URL(fileURLWithPath: $0) })
            return
        }
        guard let out else { throw ValidationError("render-demo: pass --out PATH or --window") }
        let result = Rasterizer().render(demo.scene, camera: demo.camera, overlay: compositor)
        try writePNG(result.rgb!, to: URL(fileURLWithPath: out))
        if let p = debugPrefix {
            try writePNG(result.segmentation!.visualized(), to: URL(fileURLWithPath: p + "-seg.png"))
            try writePNG(result.depth!.visualized(), to: URL(fileURLWithPath: p + "-depth.png"))
        }
    }
}
