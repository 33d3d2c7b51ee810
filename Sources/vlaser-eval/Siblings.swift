import CLISupport
import ArgumentParser
import Foundation

/// The commands that live in programs of their own, installed beside `vlaser-eval`, so that this binary links no
/// window system (GLFW, libGL, X11) and no libcurl and copies to a bare compute node (docs/cluster.md § A
/// self-contained binary). `vlaser-eval reason …` and `vlaser-eval view …` replace this process with the sibling,
/// passing the arguments, environment and exit status through unchanged.
enum Sibling {
    static let reason = "vlaser-eval-reason"
    static let view = "vlaser-eval-view"

    /// Runs `name` (found next to this executable) with `arguments`; returns only on failure.
    static func exec(_ name: String, _ arguments: [String], purpose: String) throws -> Never {
        let url = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw CLIError(message: "\(purpose) needs \(url.path), which is not installed next to this binary "
                + "(`swift build` and `make install` build it; the headless install leaves it out)", code: 2)
        }
        let argv = ([url.path] + arguments).map { strdup($0) } + [nil]
        execv(url.path, argv)
        throw CLIError(message: "cannot run \(url.path): \(String(cString: strerror(errno)))", code: 1)
    }
}

struct ReasonForwarder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reason",
        abstract: "Score the 12 embodied-reasoning benchmarks (Vlaser Table 1) against an OpenAI-compatible server.",
        discussion: "Runs \(Sibling.reason); `vlaser-eval reason --help` lists its options.")

    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() throws { try Sibling.exec(Sibling.reason, arguments, purpose: "reason") }
}

struct ViewForwarder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view", abstract: "Open a window on one episode of a task.",
        discussion: "Runs \(Sibling.view); `vlaser-eval view --help` lists its options.")

    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() throws { try Sibling.exec(Sibling.view, arguments, purpose: "view") }
}
