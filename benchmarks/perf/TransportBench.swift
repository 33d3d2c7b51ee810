import Foundation
import ResultsSchema
import PolicyTransport

/// `vlaser-perf transport [N]`: per-request client overhead (encode + send + receive + decode) of the Swift openpi
/// client vs Python `openpi_client.WebsocketClientPolicy`, both against the same local server in the same run, for
/// one 448×448×3 uint8 image + 7-D state + prompt (issue 4 target: ≥ 5× lower). Two servers: one that answers
/// instantly without decoding and the real openpi-server. Two figures per client: the round-trip wall time (which
/// includes the server reading 600 KB) and the client's own CPU time per request (process CPU time, all threads —
/// the Python client receives on a background thread), which is the overhead the client adds.
enum TransportBench {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String {
        ProcessInfo.processInfo.environment["VLASER_TEST_PYTHON"] ?? root.appendingPathComponent(".venv-test/bin/python").path
    }
    static let script = root.appendingPathComponent("benchmarks/transport_peer.py").path

    static func run(_ args: [String]) throws {
        let n = args.first.flatMap(Int.init) ?? 200
        for mode in ["instant", "openpi"] {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: python)
            server.arguments = ["-u", script, mode]
            let out = Pipe()
            server.standardOutput = out
            try server.run()
            defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
            let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).prefix { $0.isNumber }) else {
                throw BenchError.peer("\(mode) server did not start: '\(line)'")
            }
            let endpoint = try Endpoint("ws://127.0.0.1:\(port)")
            if mode == "openpi" { try OpenPIClient.waitUntilHealthy(endpoint, timeout: 30) }
            let swift = try swiftClient(endpoint, n)
            let py = try pythonClient(port, n)
            print(String(format: "transport %@ server, %d requests (448×448×3 image + state): round trip median Swift %.3f ms, Python %.3f ms (%.1f×); client CPU per request Swift %.3f ms, Python %.3f ms (%.1f× lower)",
                         mode, n, median(swift.wall) * 1e3, median(py.wall) * 1e3, median(py.wall) / median(swift.wall),
                         swift.cpu * 1e3, py.cpu * 1e3, py.cpu / swift.cpu))
        }
    }

    /// Per-request wall times and the mean process CPU time per request.
    struct Timing { let wall: [Double]; let cpu: Double }

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func swiftClient(_ endpoint: Endpoint, _ n: Int) throws -> Timing {
        var rng = SystemRandomNumberGenerator()
        let image = try NDArray(uint8: (0..<448 * 448 * 3).map { _ in UInt8.random(in: 0...255, using: &rng) }, shape: [448, 448, 3])
        let client = try OpenPIClient(endpoint: endpoint)
        // The observation is rebuilt every request, as the harness does from a fresh camera frame.
        func request() throws {
            let obs: WireMap = ["image": .ndarray(image), "state": .ndarray(NDArray(float32: [0.1, 0.2, 0.3, 0, 0, 0, 1])),
                                "prompt": .string("put the spoon on the towel")]
            let reply = try client.infer(obs)
            guard let a = reply["actions"]?.ndarray, a.shape == [4, 7] else { throw BenchError.peer("bad reply") }
            _ = try a.rows()
        }
        for _ in 0..<5 { try request() }
        let cpu0 = cpuSeconds()
        let wall = try (0..<n).map { _ in
            let t = Date()
            try request()
            return Date().timeIntervalSince(t)
        }
        return Timing(wall: wall, cpu: (cpuSeconds() - cpu0) / Double(n))
    }

    static func pythonClient(_ port: Int, _ n: Int) throws -> Timing {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script, "client", String(port), String(n)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let r = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let wall = r["wall"] as? [Double], let cpu = r["cpu"] as? Double else {
            throw BenchError.peer("python client failed")
        }
        return Timing(wall: wall, cpu: cpu)
    }

    static func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }
    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
}

enum BenchError: Error { case peer(String) }
