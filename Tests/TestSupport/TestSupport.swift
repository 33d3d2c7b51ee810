import Foundation

/// Shared helpers for the test targets: where the repository is, where the test venv's Python is,
/// temporary directories, and running a child process to completion.
public enum TestSupport {
    /// The repository root (this file lives in Tests/TestSupport/).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/assets` beside the repository, when present (never committed; tests that need it fail with
    /// a clear message rather than skip silently).
    public static var sharedAssets: URL { repoRoot.deletingLastPathComponent().appendingPathComponent("shared/assets") }

    /// The test venv's interpreter, created by `scripts/setup-test-venv.sh` (run by `.ci/run`).
    /// Override with VLASER_TEST_PYTHON.
    public static var python: String {
        if let p = ProcessInfo.processInfo.environment["VLASER_TEST_PYTHON"] { return p }
        return repoRoot.appendingPathComponent(".venv-test/bin/python").path
    }

    private static let odeLock = NSLock()

    /// Runs `body` while holding the process-wide ODE lock. Debian's ODE is not safe to step from several threads
    /// at once (engineering-notes.md §2.8) and Swift Testing runs tests concurrently, so every test that builds a
    /// physics world goes through here. (The product itself runs parallel episodes in separate processes.)
    public static func withODE<T>(_ body: () throws -> T) rethrows -> T {
        odeLock.lock()
        defer { odeLock.unlock() }
        return try body()
    }

    /// A fresh empty directory under the system temp dir.
    public static func makeTempDir(_ prefix: String = "vlaser-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of the repository's `scenes/` in a fresh temp dir with `old` replaced by `new` in `file` (relative to
    /// scenes/), for bad-data tests; throws when `old` does not occur. Returns the copy, the edited file and its
    /// original text.
    public static func editedScenes(_ file: String, replacing old: String, with new: String) throws
        -> (scenes: URL, file: URL, original: String) {
        let scenes = try makeTempDir().appendingPathComponent("scenes")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("scenes"), to: scenes)
        let url = scenes.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path]) }
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        return (scenes, url, text)
    }

    /// episodes.jsonl text without the fields allowed to differ between identical runs (`wall_time_s`, `timing`).
    public static func withoutTiming(_ episodesJSONL: String) -> String {
        episodesJSONL.replacingOccurrences(of: #""wall_time_s":[0-9.e+-]+"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""timing":\{[^}]*\},?"#, with: "", options: .regularExpression)
    }

    public struct ProcessResult { public let status: Int32; public let stdout: String; public let stderr: String }

    /// Runs an executable to completion and captures its output.
    @discardableResult
    public static func run(_ executable: String, _ args: [String], cwd: URL? = nil,
                           environment: [String: String]? = nil, stdin: Data? = nil) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try? inp.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a Python snippet in the test venv; throws with its stderr when it fails.
    public static func python(_ code: String, args: [String] = [], stdin: Data? = nil) throws -> String {
        let r = try run(python, ["-c", code] + args, stdin: stdin)
        guard r.status == 0 else { throw TestSupportError.pythonFailed(r.stderr) }
        return r.stdout
    }

    /// The built `vlaser-eval` executable in the same build directory as the test runner.
    public static var cliExecutable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("vlaser-eval").path
    }

    /// Runs the CLI from the repository root.
    @discardableResult
    public static func cli(_ args: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try run(cliExecutable, args, cwd: repoRoot, environment: environment)
    }
}

public enum TestSupportError: Error, CustomStringConvertible {
    case pythonFailed(String)
    public var description: String {
        switch self { case .pythonFailed(let e): return "python failed: \(e)" }
    }
}
