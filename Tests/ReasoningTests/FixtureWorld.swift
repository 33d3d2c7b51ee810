import Foundation
import TestSupport

/// Synthetic benchmark data (fixtures/make_fixtures.py) plus the real fixture chat server (fixtures/chat_server.py,
/// Flask) on a free 127.0.0.1 port, and a way to run the built CLI against them.
final class FixtureWorld {
    static let fixtures = TestSupport.repoRoot.appendingPathComponent("Tests/ReasoningTests/fixtures")
    let dir: URL
    var data: URL { dir.appendingPathComponent("data") }
    var table: URL { dir.appendingPathComponent("table.json") }
    var log: URL { dir.appendingPathComponent("requests.jsonl") }
    var cache: URL { dir.appendingPathComponent("cache") }
    private var server: Process?
    private(set) var port = 0

    init() throws {
        dir = try TestSupport.makeTempDir("reason-e2e")
        _ = try TestSupport.python(try String(contentsOf: Self.fixtures.appendingPathComponent("make_fixtures.py"), encoding: .utf8),
                                   args: [data.path, table.path])
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Starts the server and waits (bounded) for it to publish its port.
    func start() throws {
        let portFile = dir.appendingPathComponent("port")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.python)
        p.arguments = [Self.fixtures.appendingPathComponent("chat_server.py").path, table.path, log.path, portFile.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        server = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let s = try? String(contentsOf: portFile, encoding: .utf8), let n = Int(s) { port = n; return }
            guard p.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw TestSupportError.pythonFailed("fixture chat server did not start")
    }

    func stop() {
        if let server, server.isRunning {
            server.terminate()
            let deadline = Date().addingTimeInterval(5)
            while server.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        }
        server = nil
    }

    var endpoint: String { "http://127.0.0.1:\(port)/v1" }

    static var executable: String { TestSupport.cliExecutable }

    /// Runs `vlaser-eval` with the repository's benchmark definitions.
    func cli(_ args: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.executable, args,
                            environment: ["VLASER_BENCHMARKS_DIR": TestSupport.repoRoot.appendingPathComponent("benchmarks/reasoning").path])
    }

    /// `reason` against the fixture server with fast retries and a private cache.
    func reason(_ extra: [String], out: URL, cache: Bool = true) throws -> TestSupport.ProcessResult {
        var args = ["reason", "--data", data.path, "--endpoint", endpoint, "--model", "fixture-model", "--out", out.path,
                    "--retry-delay", "0.05"]
        args += cache ? ["--cache", self.cache.path] : ["--no-cache"]
        return try cli(args + extra)
    }

    /// Starts `reason` in the background (for a test that kills it mid-run).
    func launchReason(_ extra: [String], out: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        p.arguments = ["reason", "--data", data.path, "--endpoint", endpoint, "--model", "fixture-model", "--out", out.path,
                       "--no-cache", "--retry-delay", "0.05"] + extra
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["VLASER_BENCHMARKS_DIR": TestSupport.repoRoot.appendingPathComponent("benchmarks/reasoning").path]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The server's request log, one object per request received.
    func requests() -> [[String: Any]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func requestCount(_ match: String) -> Int { requests().filter { $0["match"] as? String == match }.count }

    static func results(_ out: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("reason_results.json"))) as! [String: Any]
    }

    static func scores(_ out: URL) throws -> [String: Double] {
        var s: [String: Double] = [:]
        for e in try results(out)["benchmarks"] as! [[String: Any]] {
            if let v = e["score"] as? Double { s[e["id"] as! String] = v }
        }
        return s
    }

    /// Prediction lines with the timing/transport fields removed (the only ones allowed to differ between runs).
    static func stablePredictions(_ out: URL, _ bench: String) throws -> [String] {
        let text = try String(contentsOf: out.appendingPathComponent("\(bench)/predictions.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            var o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            o["latency_s"] = nil; o["attempts"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// Hand-computed scores of the fixture replies under the vlaser prompt (see make_fixtures.py comments):
    /// ERQA 2/3; EgoPlan2 2/3 ("Based…" → B); Where2Place (0.5+1+0)/3; Point-Bench 2/3; PACO 2 hits / 4;
    /// Pixmo 1/3; VSI mean(counting 0.5, abs_distance 0.8, rel_direction mean(1, 0)) = 0.6;
    /// RefSpatial mean(Location 0.5, Placement 1); MMSI 2/3; VLABench mean(80, 0.4·66.67+0.4·50, 0).
    static let expectedScores: [String: Double] = [
        "erqa": 200.0 / 3, "egoplan2": 200.0 / 3, "where2place": 50, "pointarena": 200.0 / 3, "paco_lvis": 50,
        "pixmo_points": 100.0 / 3, "vsi_bench": 60, "refspatial": 75, "mmsi": 200.0 / 3,
        "vlabench": (80 + (0.4 * 200.0 / 3 + 0.4 * 50)) / 3,
    ]

    static func close(_ a: [String: Double], _ b: [String: Double]) -> Bool {
        Set(a.keys) == Set(b.keys) && a.allSatisfy { abs($0.value - b[$0.key]!) < 1e-9 }
    }
}
