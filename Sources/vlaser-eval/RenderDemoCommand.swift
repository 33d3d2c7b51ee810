import ArgumentParser
import Foundation
import ImageIO
import Render
import Viewer

/// Hidden developer command: renders a hand-built WidowX scene (episode 0 of `--task`) headless (`--out`), or shows it in the
/// viewer window (`--window`, optionally grabbing the window contents with `--grab` and quitting after `--frames`).
struct RenderDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render-demo", abstract: "Render a WidowX demo scene.",
                                                    shouldDisplay: false)

    @Option(help: "WidowX task: \(DemoScenes.widowxTasks.joined(separator: ", ")).") var task = "widowx_carrot_on_plate"
    @Option(help: "Write the headless render (PNG) here.") var out: String?
    @Option(help: "Overlay photo; default: the task's photo from the overlay library.") var overlay: String?
    @Flag(help: "Render without the real-photo overlay.") var noOverlay = false
    @Option(help: "Also write segmentation / depth visualisations with this path prefix.") var debugPrefix: String?
    @Flag(help: "Open the interactive viewer window.") var window = false
    @Option(help: "Viewer: write the first displayed frame read back from the window to this PNG.") var grab: String?
    @Option(help: "Viewer: quit after this many frames (0 = run until closed).") var frames = 0

    func run() throws {
        let demo = try DemoScenes.widowx(task: task)
        let photo = noOverlay ? nil : try OverlayLibrary.standard().load(DemoScenes.widowxOverlay(task: task), explicit: overlay)
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
