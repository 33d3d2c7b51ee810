import Foundation
import ImageIO
import Sim
import Testing
import TestSupport

/// `vlaser-eval view` under Xvfb: the window shows exactly the frame the headless run writes for the same state.
@Suite struct ViewCommandTests {
    @Test func windowMatchesHeadlessRender() throws {
        let xvfb = "/usr/bin/xvfb-run"
        #expect(FileManager.default.isExecutableFile(atPath: xvfb), "xvfb-run is missing: run scripts/install-deps.sh")
        let dir = try TestSupport.makeTempDir()
        let grab = dir.appendingPathComponent("window.png")
        let args = ["--task", "widowx_carrot_on_plate", "--episode", "5", "--policy", "zero", "--no-overlay"]
        let r = try TestSupport.run(xvfb, ["-a", "-s", "-screen 0 1280x1024x24", TestSupport.cliExecutable, "view"]
                                        + args + ["--frames", "2", "--grab", grab.path], cwd: TestSupport.repoRoot)
        #expect(r.status == 0, "\(r.stderr)")
        // The same episode's first frame, rendered headless in this process.
        let b = try TestSupport.withODE { () -> RGBImage in
            let assets = try TaskAssets(task: "widowx_carrot_on_plate", root: TestSupport.repoRoot.appendingPathComponent("scenes"))
            let ep = try Episode(assets: assets, index: 5)
            return try ObservationRenderer(assets: assets, overlayPhoto: nil).render(ep, camera: "3rd_view_camera").rgb!
        }
        let a = try readPNG(grab).rgb
        #expect(a.width == b.width && a.height == b.height)
        let worst = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 255
        #expect(worst <= 1, "window and headless frames differ by up to \(worst)/255")
        // The view refuses to start without a display, with one clear line and exit 2.
        let noDisplay = try TestSupport.run(TestSupport.cliExecutable, ["view"] + args, cwd: TestSupport.repoRoot,
                                            environment: ["DISPLAY": ""])
        #expect(noDisplay.status == 2 && noDisplay.stderr.contains("display"), "\(noDisplay.stderr)")
    }
}
