import Engine
import Foundation
import ResultsSchema

/// Runs episodes in N child processes of this executable (`sim --worker`): Debian's ODE cannot step worlds on
/// several threads of one process (engineering-notes.md §2.8), and a process that crashes (an ODE assertion, a
/// trap) costs one episode instead of the run. Children print one JSON record per line; the parent appends them as
/// they arrive. When a child dies of a signal, the episode it was running (its first unreported one) is recorded
/// as an error with the crash message, and a fresh child takes the rest. All children are spawned from the calling
/// thread, and each exits when its parent is gone (`WorkerProcess.exitWithParent`).
struct WorkerPool {
    let options: SimRunOptions
    let count: Int

    /// The tail of a child's stderr kept for the error message (a chatty or crashing child cannot fill memory).
    static let stderrTail = 64 * 1024

    private struct Exit { let keys: [EpisodeKey]; let reason: Process.TerminationReason; let status: Int32; let stderr: String }

    func run(_ todo: [EpisodeKey], record: @escaping (EpisodeResult) throws -> Void) throws {
        let parts = (0..<count).map { w in todo.enumerated().filter { $0.offset % count == w }.map(\.element) }
            .filter { !$0.isEmpty }
        /// Shared between the reader threads, guarded by `lock`.
        final class State {
            var firstError: Error?
            var reported = Set<String>()
            var exits: [Exit] = []
            var processes: [Process] = []
        }
        let lock = NSLock(), state = State(), exited = DispatchSemaphore(value: 0)
        let deliver: (EpisodeResult) -> Void = { r in
            lock.lock(); defer { lock.unlock() }
            guard state.firstError == nil else { return }
            do { try record(r); state.reported.insert(r.episodeID) } catch { state.firstError = error }
            if r.isError && options.policyOptions.onError == .abort && state.firstError == nil {
                state.firstError = EvaluationError.aborted("stopped after \(r.episodeID) (--on-policy-error abort): \(r.error ?? "error")")
                for p in state.processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
            }
        }
        func spawn(_ keys: [EpisodeKey]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            p.arguments = ["sim", "--worker"]
            var env = ProcessInfo.processInfo.environment
            env["OPENBLAS_NUM_THREADS"] = "1"
            env[WorkerProcess.parentVariable] = String(getpid())
            p.environment = env
            let out = Pipe(), err = Pipe(), input = Pipe()
            p.standardOutput = out; p.standardError = err; p.standardInput = input
            try p.run()
            // A child that dies before reading its assignment must not take the run down with SIGPIPE: its exit is
            // reported like any other crash below.
            signal(SIGPIPE, SIG_IGN)
            let assignment = WorkerAssignment(options: workerOptions(keys), episodeIDs: keys.map(\.id))
            try? input.fileHandleForWriting.write(contentsOf: try JSONEncoder().encode(assignment))
            try? input.fileHandleForWriting.close()
            lock.lock(); state.processes.append(p); lock.unlock()
            let stderrDone = DispatchSemaphore(value: 0)
            final class Tail: @unchecked Sendable { var data = Data() }
            let tail = Tail()
            DispatchQueue.global().async {
                let handle = err.fileHandleForReading
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    tail.data.append(chunk)
                    if tail.data.count > 2 * Self.stderrTail { tail.data = tail.data.suffix(Self.stderrTail) }
                }
                stderrDone.signal()
            }
            DispatchQueue.global().async {
                var pending = Data()
                let handle = out.fileHandleForReading
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    pending.append(chunk)
                    while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = pending[pending.startIndex..<nl]
                        pending.removeSubrange(pending.startIndex...nl)
                        if let r = try? JSONDecoder().decode(EpisodeResult.self, from: Data(line)) { deliver(r) }
                    }
                }
                stderrDone.wait()
                p.waitUntilExit()
                lock.lock()
                state.exits.append(Exit(keys: keys, reason: p.terminationReason, status: p.terminationStatus,
                                        stderr: String(decoding: tail.data.suffix(Self.stderrTail), as: UTF8.self)))
                lock.unlock()
                exited.signal()
            }
        }
        for keys in parts { try spawn(keys) }
        var running = parts.count
        while running > 0 {
            exited.wait()
            running -= 1
            lock.lock()
            let e = state.exits.removeFirst()
            let unreported = state.firstError == nil ? e.keys.filter { !state.reported.contains($0.id) } : []
            lock.unlock()
            guard let current = unreported.first, e.reason != .exit || e.status != 0 else { continue }
            if e.reason == .uncaughtSignal {
                deliver(errorRecord(current, Self.crashReason(signal: e.status, stderr: e.stderr)))
                lock.lock(); let stopped = state.firstError != nil; lock.unlock()  // --on-policy-error abort
                if unreported.count > 1 && !stopped { try spawn(Array(unreported.dropFirst())); running += 1 }
            } else {
                // The child refused to start or gave up as a whole: nothing episode-specific to blame.
                let reason = "worker process exited with status \(e.status): " + (Self.lastLines(e.stderr).last ?? "no message")
                for k in unreported { deliver(errorRecord(k, reason)) }
            }
        }
        lock.lock(); defer { lock.unlock() }
        if let e = state.firstError { throw e }
    }

    private func errorRecord(_ k: EpisodeKey, _ reason: String) -> EpisodeResult {
        EpisodeResult(episodeID: k.id, suite: k.suite, task: k.task, variant: k.variant, episodeIndex: k.index,
                      repeatIndex: k.repeatIndex, seed: k.seed(base: UInt64(bitPattern: Int64(options.seed))),
                      instruction: "", status: "error", success: false, grasped: nil,
                      error: EpisodeResult.boundedError(reason), steps: 0, simTime: 0, wallTime: 0, stats: [:])
    }

    /// "worker process crashed during this episode (signal 6, Aborted): <the line the runtime or library printed
    /// before the backtrace>" — Swift's backtracer prints `*** Signal N: Backtracing…` after the message that
    /// matters (a `Fatal error:` line, an ODE assertion), and ends with a timing line that says nothing.
    static func crashReason(signal: Int32, stderr: String) -> String {
        let lines = lastLines(stderr)
        let marker = lines.lastIndex { $0.hasPrefix("*** Signal ") }
        let message = marker.flatMap { lines[..<$0].last }
        let name = strsignal(signal).map { String(cString: $0) } ?? "signal"
        return "worker process crashed during this episode (signal \(signal), \(name))" + (message.map { ": " + $0 } ?? "")
    }

    private static func lastLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The run's options narrowed to what these episodes need: their tasks, and only the selected variants these
    /// tasks have (a worker refuses a name none of its tasks knows).
    func workerOptions(_ keys: [EpisodeKey]) -> SimRunOptions {
        var o = options
        o.tasks = Set(keys.map(\.task)).sorted()
        if !o.variants.isEmpty { o.variants = Set(keys.map(\.variant)).sorted() }
        o.workers = 1
        o.shard = .whole
        return o
    }
}

/// What a worker process reads from its stdin: the run's options (serialized whole, so a new option reaches the
/// workers without re-built flags) and the episodes to run.
public struct WorkerAssignment: Codable {
    public var options: SimRunOptions
    public var episodeIDs: [String]
}

/// The child side of `WorkerPool`.
public enum WorkerProcess {
    /// The parent's pid, set by the parent in the child's environment.
    static let parentVariable = "VLASER_WORKER_PARENT"

    /// Exits this worker as soon as the run that spawned it is gone — Ctrl-C, SIGTERM or SIGKILL of the parent
    /// (Foundation starts children in a process group of their own, so signals to the parent's group miss them) —
    /// so no orphan keeps writing into the run folder. Polls the parent pid every 0.1 s.
    public static func exitWithParent() {
        let parent = ProcessInfo.processInfo.environment[parentVariable].flatMap { Int32($0) } ?? getppid()
        Thread.detachNewThread {
            while getppid() == parent { usleep(100_000) }
            _exit(1)
        }
    }
}
