import Foundation

/// A Python server started by a test in the test venv (Tests/PolicyTransportTests/fixtures/peers.py, the
/// vlaser_policy_server package of clients/python installed there): waits for its `PORT <n>` line, and is killed (by its own pid) when the
/// test drops it.
public final class Peer {
    public let process = Process()
    public let port: Int
    /// The peer's stderr goes to a file (a pipe nobody reads would block a chatty server).
    public let stderrLog: URL

    public static let fixtures = TestSupport.repoRoot.appendingPathComponent("Tests/PolicyTransportTests/fixtures")

    /// `python -u ARGUMENTS…` (a script or `-m module` and its arguments).
    public init(arguments: [String], startupTimeout: Double = 30) throws {
        process.executableURL = URL(fileURLWithPath: TestSupport.python)
        process.arguments = ["-u"] + arguments
        let out = Pipe()
        process.standardOutput = out
        stderrLog = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: stderrLog.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrLog)
        try process.run()
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var line = ""
        DispatchQueue.global().async {
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                data += chunk
            }
            line = String(decoding: data, as: UTF8.self)
            ready.signal()
        }
        guard ready.wait(timeout: .now() + startupTimeout) == .success,
              let p = line.split(separator: "\n").first.flatMap({ $0.hasPrefix("PORT ") ? Int($0.dropFirst(5)) : nil }) else {
            process.terminate()
            let err = (try? String(contentsOf: stderrLog, encoding: .utf8)) ?? ""
            throw PeerError.didNotStart("\(arguments): stdout '\(line)', stderr:\n\(err)")
        }
        port = p
    }

    public convenience init(script: URL, _ args: [String]) throws {
        try self.init(arguments: [script.path] + args)
    }

    /// The reference server, `vlaser-policy-server ARGS…` (clients/python, installed by scripts/setup-test-venv.sh).
    public convenience init(referenceServer args: [String]) throws {
        try self.init(arguments: ["-m", "vlaser_policy_server"] + args)
    }

    /// A fixtures/peers.py mode.
    public convenience init(_ args: String...) throws {
        try self.init(script: Peer.fixtures.appendingPathComponent("peers.py"), args)
    }

    /// Kills the peer now (the "server dies mid-episode" fault).
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    deinit { kill() }
}

public enum PeerError: Error { case didNotStart(String) }
