import ArgumentParser
import Evaluation
import Foundation
import Policies
import Render
import Sim
import Viewer

/// `vlaser-eval view`: watch one episode in a window (policy camera or a free orbit camera).
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view", abstract: "Open a window on one episode of a task.",
        discussion: """
            Keys: space pause/play, n single step, r reset, o overlay on/off, s segmentation, d depth, \
            c policy/free camera, q or Esc quit. Mouse: drag to orbit, scroll to zoom (free camera).
            """)

    @Option(help: "Task name, e.g. widowx_carrot_on_plate.") var task: String
    @Option(help: "Episode index in the task's grid.") var episode = 0
    @Option(help: "Policy: scripted | zero | random | replay:FILE_OR_RUN_DIR.") var policy = "scripted"
    @Option(help: "Base seed.") var seed = 0
    @Option(help: "Overlay photo for the policy camera (default: the task's; scripts/fetch-overlays.sh fetches them).") var overlay: String?
    @Flag(help: "Show the simulated scene only (no real photo).") var noOverlay = false
    @Option(help: "Scenes directory.") var scenes: String?
    @Option(help: .hidden) var frames = 0
    @Option(help: .hidden) var grab: String?

    func run() throws {
        do {
            let root = scenes.map { URL(fileURLWithPath: $0) } ?? SceneLibrary.defaultRoot()
            let assets = try TaskAssets(task: task, root: root)
            guard episode >= 0 && episode < assets.episodeCount else {
                throw EvaluationError.usage("--episode \(episode) is outside \(task)'s grid 0..\(assets.episodeCount - 1)")
            }
            guard let display = ProcessInfo.processInfo.environment["DISPLAY"], !display.isEmpty else {
                throw EvaluationError.usage("view needs a display: set DISPLAY (or run under xvfb-run)")
            }
            let renderers = RendererCache(overlays: !noOverlay && assets.task.overlay != nil, explicitOverlay: overlay,
                                          assetRoot: try SimplerAssetRoot.resolve(explicit: nil))
            let key = EpisodeKey(suite: assets.task.suite, task: task, index: episode)
            let source = try EpisodeFrameSource(assets: assets, key: key, policy: PolicyFactory.make(policy),
                                                renderers: renderers, baseSeed: UInt64(bitPattern: Int64(seed)))
            let camera = source.policyCamera
            try ViewerWindow(title: "vlaser-eval — \(task) #\(episode)", width: camera.width, height: camera.height)
                .run(frameSource: source, maxFrames: frames, grabFirstFrame: grab.map { URL(fileURLWithPath: $0) })
        } catch let e as CustomStringConvertible where !(e is ExitCode) {
            throw CLIError(message: e.description, code: 2)
        }
    }
}
