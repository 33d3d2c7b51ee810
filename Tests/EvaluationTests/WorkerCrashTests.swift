import Foundation
import ResultsSchema
import Testing
@testable import Evaluation
import TestSupport

/// Worker processes: a child that dies of a signal costs the episode it was running (recorded with the reason) and
/// nothing else, also with `--workers 1`; children do not outlive their run.
@Suite(.serialized) struct WorkerCrashTests {
    static let args = ["sim", "--task", "widowx_carrot_on_plate", "--episodes", "0..3", "--policy", "scripted"]

    /// Live (not zombie) processes whose parent is `pid`.
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { return false }
            let fields = stat[close.upperBound...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[1]) == pid
        }
    }

    static func launch(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.cliExecutable)
        p.arguments = args
        p.currentDirectoryURL = TestSupport.repoRoot
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func lines(_ out: URL) -> Int {
        ((try? String(contentsOf: out.appendingPathComponent("episodes.jsonl"), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    /// Waits up to `seconds` for `condition`.
    static func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end { if condition() { return true }; usleep(20_000) }
        return condition()
    }

    static func results(_ out: URL) throws -> [String: EpisodeResult] {
        let text = try String(contentsOf: out.appendingPathComponent("episodes.jsonl"), encoding: .utf8)
        let records = try text.split(separator: "\n").map { try JSONDecoder().decode(EpisodeResult.self, from: Data($0.utf8)) }
        return Dictionary(uniqueKeysWithValues: records.map { ($0.episodeID, $0) })
    }

    @Test func crashedWorkerCostsOneEpisodeAndResumeRerunsIt() throws {
        let out = try TestSupport.makeTempDir()
        let run = try Self.launch(Self.args + ["--workers", "1", "--out", out.path])
        #expect(Self.wait(120) { Self.lines(out) >= 1 }, "no episode finished")
        let worker = try #require(Self.children(of: run.processIdentifier).first)
        // As the OOM killer would. (An outside SIGABRT does not end the process: Swift's backtracer handles it; an
        // ODE assertion or a trap raised inside does, and gives the message checked below.)
        kill(worker, SIGKILL)
        run.waitUntilExit()
        let crashed = try Self.results(out)
        #expect(crashed.count == 4, "every episode has a record")
        let errors = crashed.values.filter(\.isError)
        #expect(errors.count == 1, "\(errors.map(\.error))")
        #expect(errors.first?.error?.hasPrefix("worker process crashed during this episode (signal 9, Killed)") == true,
                "\(errors.first?.error ?? "")")

        let resumed = try TestSupport.cli(Self.args + ["--workers", "1", "--out", out.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try Self.results(out)
        #expect(after.count == 4 && after.values.allSatisfy { $0.status == "ok" && $0.success })
    }

    /// The crash message is the line printed before Swift's backtrace (captured from a real `Fatal error` trap).
    @Test func crashReasonIsTheLineBeforeTheBacktrace() {
        let stderr = """
            remote policy: timed out — retry 1/3
            Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range

            *** Signal 4: Backtracing from 0x7f810356df7f... done ***
            Thread 0 crashed:

            Backtrace took 0.03s
            """
        #expect(WorkerPool.crashReason(signal: 4, stderr: stderr)
                == "worker process crashed during this episode (signal 4, Illegal instruction): Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range")
        #expect(WorkerPool.crashReason(signal: 9, stderr: "remote policy: x\n")
                == "worker process crashed during this episode (signal 9, Killed)")
    }

    /// SIGTERM or SIGKILL of the run (as Ctrl-C or a process-group kill delivers to the parent) takes its
    /// workers down with it: nothing keeps writing into the run folder.
    @Test(arguments: [SIGTERM, SIGKILL])
    func workersDieWithTheirRun(signal: Int32) throws {
        let out = try TestSupport.makeTempDir()
        let run = try Self.launch(Self.args + ["--workers", "2", "--out", out.path])
        var workers: [Int32] = []
        #expect(Self.wait(60) { workers = Self.children(of: run.processIdentifier); return workers.count == 2 })
        kill(run.processIdentifier, signal)
        run.waitUntilExit()
        #expect(Self.wait(5) { workers.allSatisfy { kill($0, 0) != 0 || Self.isZombie($0) } }, "workers outlived the run")
    }

    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return true }
        return stat[close.upperBound...].split(separator: " ").first == "Z"
    }

    /// An error text of any size is stored bounded, head and tail kept.
    @Test func errorTextIsBounded() {
        let huge = "Traceback (most recent call last):\n" + String(repeating: "x", count: 20_000_000) + "\nRuntimeError: boom"
        let bounded = EpisodeResult.boundedError(huge)
        #expect(bounded.count < EpisodeResult.maxErrorLength + 100)
        #expect(bounded.hasPrefix("Traceback") && bounded.hasSuffix("RuntimeError: boom") && bounded.contains("characters omitted"))
        #expect(EpisodeResult.boundedError("short") == "short")
    }
}
