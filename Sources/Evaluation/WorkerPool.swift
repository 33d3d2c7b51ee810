import Engine
import Foundation
import ResultsSchema

/// Runs episodes in N child processes of this executable (`sim --worker`): Debian's ODE cannot step worlds on
/// several threads of one process (engineering-notes.md §2.8). Children print one JSON record per line; the
/// parent appends them as they arrive. Episodes a crashed child never reported are recorded as errors.
struct WorkerPool {
    let options: SimRunOptions
    let count: Int

    func run(_ todo: [EpisodeKey], record: @escaping (EpisodeResult) throws -> Void) throws {
        let parts = (0..<count).map { w in todo.enumerated().filter { $0.offset % count == w }.map(\.element) }
            .filter { !$0.isEmpty }
        /// Shared between the reader threads, guarded by `lock`.
        final class State {
            var firstError: Error?
            var reported = Set<String>()
            var failures: [(keys: [EpisodeKey], status: Int32, stderr: String)] = []
            var processes: [Process] = []
        }
        let lock = NSLock(), state = State()
        let deliver: (EpisodeResult) -> Void = { r in
            lock.lock(); defer { lock.unlock() }
            guard state.firstError == nil else { return }
            do { try record(r); state.reported.insert(r.episodeID) } catch { state.firstError = error }
            if r.isError && options.policyOptions.onError == .abort && state.firstError == nil {
                state.firstError = EvaluationError.aborted("stopped after \(r.episodeID) (--on-policy-error abort): \(r.error ?? "error")")
                for p in state.processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
            }
        }
        let group = DispatchGroup()
        for keys in parts {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            p.arguments = ["sim", "--worker"]
            var env = ProcessInfo.processInfo.environment
            env["OPENBLAS_NUM_THREADS"] = "1"
            p.environment = env
            let out = Pipe(), err = Pipe(), input = Pipe()
            p.standardOutput = out; p.standardError = err; p.standardInput = input
            try p.run()
            input.fileHandleForWriting.write(try JSONEncoder().encode(WorkerAssignment(options: workerOptions(keys), episodeIDs: keys.map(\.id))))
            try input.fileHandleForWriting.close()
            lock.lock(); state.processes.append(p); lock.unlock()
            group.enter()
            DispatchQueue.global().async {
                final class Buffer { var pending = Data() }
                let buf = Buffer()
                let handle = out.fileHandleForReading
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    buf.pending.append(chunk)
                    while let nl = buf.pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = buf.pending[buf.pending.startIndex..<nl]
                        buf.pending.removeSubrange(buf.pending.startIndex...nl)
                        if let r = try? JSONDecoder().decode(EpisodeResult.self, from: Data(line)) { deliver(r) }
                    }
                }
                let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                if p.terminationStatus != 0 {
                    lock.lock(); state.failures.append((keys, p.terminationStatus, errText)); lock.unlock()
                }
                group.leave()
            }
        }
        group.wait()
        if let e = state.firstError { throw e }
        for f in state.failures {
            let reason = "worker process exited with status \(f.status): " +
                (f.stderr.split(separator: "\n").last.map(String.init) ?? "no message")
            for k in f.keys where !state.reported.contains(k.id) {
                try record(EpisodeResult(episodeID: k.id, suite: k.suite, task: k.task, variant: k.variant,
                                         episodeIndex: k.index, repeatIndex: k.repeatIndex, seed: k.seed(base: UInt64(bitPattern: Int64(options.seed))),
                                         instruction: "", status: "error", success: false, grasped: nil, error: reason,
                                         steps: 0, simTime: 0, wallTime: 0, stats: [:]))
            }
        }
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

/// What a worker process reads from its stdin: the run's options and the episodes to run.
public struct WorkerAssignment: Codable {
    public var options: SimRunOptions
    public var episodeIDs: [String]
}
