import Foundation

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
            p.arguments = workerArguments(keys)
            var env = ProcessInfo.processInfo.environment
            env["OPENBLAS_NUM_THREADS"] = "1"
            p.environment = env
            let out = Pipe(), err = Pipe()
            p.standardOutput = out; p.standardError = err
            try p.run()
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
                                         instruction: "", status: "error", success: false, grasped: false, error: reason,
                                         steps: 0, simTime: 0, wallTime: 0, stats: [:]))
            }
        }
    }

    func workerArguments(_ keys: [EpisodeKey]) -> [String] {
        var a = ["sim", "--worker", "--suite", options.suite, "--policy", options.policy, "--seed", "\(options.seed)",
                 "--out", options.out.path, "--protocol", options.protocolName,
                 "--episode-ids", keys.map(\.id).joined(separator: ",")]
        for t in Set(keys.map(\.task)).sorted() { a += ["--task", t] }
        // Only the selected variants these tasks have: a worker refuses a name none of its tasks knows.
        if !options.variants.isEmpty { for v in Set(keys.map(\.variant)).sorted() { a += ["--variant", v] } }
        if let o = options.overlay { a += ["--overlay", o] }
        if let p = options.policyOptions.preset { a += ["--policy-preset", p] }
        if let e = options.policyOptions.execute { a += ["--execute", "\(e)"] }
        a += ["--on-policy-error", options.policyOptions.onError.rawValue]
        if options.record { a.append("--record") }
        if options.saveFrames { a.append("--save-frames") }
        if let r = options.assetRoot, FileManager.default.fileExists(atPath: r.url.path) { a += ["--assets", r.url.path] }
        a += ["--scenes", options.scenesRoot.path]
        return a
    }
}

/// Progress on a terminal (episodes done/total, rate, ETA), silent when stderr is not a TTY (CI logs).
public final class Progress {
    let label: String
    let isTTY = isatty(STDERR_FILENO) == 1
    private var total = 0, done = 0, startDone = 0, failures = 0
    private var started = Date()

    public init(label: String) { self.label = label }

    func start(total: Int, alreadyDone: Int) {
        self.total = total; done = alreadyDone; startDone = alreadyDone; started = Date(); draw()
    }
    func finished(_ r: EpisodeResult) {
        done += 1
        if r.isError { failures += 1 }
        draw()
    }
    func end() { if isTTY { FileHandle.standardError.write(Data("\n".utf8)) } }

    private func draw() {
        guard isTTY, total > 0 else { return }
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done - startDone) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "\r%@: %d/%d episodes  %.2f ep/s  ETA %d:%02d%@", label, done, total, rate,
                          Int(eta) / 60, Int(eta) % 60, failures > 0 ? "  (\(failures) errors)" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
