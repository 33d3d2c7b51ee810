import Foundation
import TestSupport

/// A Python peer process started by a test (fixtures/peers.py or clients/python/…): waits for its `PORT <n>` line,
/// and is killed (by its own pid) when the test drops it.
final class Peer {
    let process = Process()
    let port: Int
    private let stderrPipe = Pipe()

    static let fixtures = TestSupport.repoRoot.appendingPathComponent("Tests/PolicyTransportTests/fixtures")

    init(script: URL, _ args: [String], startupTimeout: Double = 30) throws {
        process.executableURL = URL(fileURLWithPath: TestSupport.python)
        process.arguments = ["-u", script.path] + args
        let out = Pipe()
        process.standardOutput = out
        process.standardError = stderrPipe
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
            throw PeerError.didNotStart("\(script.lastPathComponent) \(args): stdout '\(line)'")
        }
        port = p
    }

    convenience init(_ args: String...) throws {
        try self.init(script: Peer.fixtures.appendingPathComponent("peers.py"), args)
    }

    /// Kills the peer now (the "server dies mid-episode" fault).
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    deinit { kill() }
}

enum PeerError: Error { case didNotStart(String) }
