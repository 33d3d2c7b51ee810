import Foundation
import ImageIO
import Testing
import TestSupport

/// The headed viewer under a virtual X server: the window shows exactly the headless render. GLFW is only
/// initialised in the child process, with DISPLAY pointing at the Xvfb started here.
@Suite struct ViewerXvfbTests {
    @Test func windowShowsTheHeadlessFrame() throws {
        let xvfb = try #require(["/usr/bin/Xvfb", "/usr/local/bin/Xvfb"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                "Xvfb not installed; run scripts/install-deps.sh")
        // A display number no other X server uses.
        let display = try #require((90..<190).map { $0 + Int(getpid()) % 100 }.first {
            !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\($0)") && !FileManager.default.fileExists(atPath: "/tmp/.X\($0)-lock")
        })
        let server = Process()
        server.executableURL = URL(fileURLWithPath: xvfb)
        server.arguments = [":\(display)", "-screen", "0", "800x600x24", "-nolisten", "tcp"]
        server.standardOutput = FileHandle.nullDevice; server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the child inherits the test runner's blocked-signal mask, so SIGTERM may never arrive.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(display)") && Date() < deadline { usleep(50_000) }

        let dir = try TestSupport.makeTempDir()
        let grab = dir.appendingPathComponent("window.png"), headless = dir.appendingPathComponent("headless.png")
        let cli = try #require(cliExecutable(), "vlaser-eval not built next to the tests")
        let shown = try TestSupport.run(cli, ["render-demo", "--no-overlay", "--window", "--frames", "2", "--grab", grab.path],
                                        environment: ["DISPLAY": ":\(display)"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let direct = try TestSupport.run(cli, ["render-demo", "--no-overlay", "--out", headless.path], environment: ["DISPLAY": ""])
        #expect(direct.status == 0, "\(direct.stderr)")
        let a = try readPNG(grab).rgb, b = try readPNG(headless).rgb
        #expect(a.width == b.width && a.height == b.height)
        let worst = zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 255
        #expect(worst <= 1)
        // Without a display the viewer refuses cleanly instead of crashing.
        let refused = try TestSupport.run(cli, ["render-demo", "--no-overlay", "--window", "--frames", "1"], environment: ["DISPLAY": ""])
        #expect(refused.status != 0 && refused.stderr.contains("DISPLAY"))
    }
}

/// The built CLI beside the test binary.
func cliExecutable() -> String? {
    FileManager.default.isExecutableFile(atPath: TestSupport.cliExecutable) ? TestSupport.cliExecutable : nil
}
