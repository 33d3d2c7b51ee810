import Foundation
import ResultsSchema

/// What a running `sim` tells its user on stderr (docs/cluster.md § Logs):
/// - on a terminal, one redrawn progress bar (done/total, rate, ETA), and nothing else;
/// - otherwise (SLURM, Kubernetes, CI, `2> file`), one line per finished episode with its outcome, steps and time
///   split, and a progress line at most every `progressInterval` seconds, so a cluster log is readable while it grows;
/// - `--quiet`: nothing but warnings and errors;
/// - `--log-json PATH`: the same events as JSON lines in PATH (`-` = stderr, replacing the text lines): start, one
///   per episode, progress at the same interval and at the end, end.
public final class RunLog {
    public enum Style: Sendable { case terminal, lines, quiet }

    let label: String
    let style: Style
    let progressInterval: Double
    private let json: FileHandle?
    private var total = 0, done = 0, startDone = 0, errors = 0
    private var started = Date(), lastProgress = Date()

    /// `style` nil: a terminal bar when stderr is a TTY, else lines. `jsonPath` "-" writes JSON to stderr instead
    /// of text.
    public init(label: String, style: Style? = nil, progressInterval: Double = 30, jsonPath: String? = nil) throws {
        self.label = label
        self.progressInterval = progressInterval
        let stderrJSON = jsonPath == "-"
        var s = style ?? (isatty(STDERR_FILENO) == 1 ? .terminal : .lines)
        if stderrJSON { s = .quiet }
        self.style = s
        if stderrJSON {
            json = FileHandle.standardError
        } else if let jsonPath {
            // Appended to, so a resumed or requeued run keeps the events of its earlier attempts.
            let url = URL(fileURLWithPath: jsonPath)
            if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
            guard let h = try? FileHandle(forWritingTo: url), (try? h.seekToEnd()) != nil else {
                throw EvaluationError.usage("--log-json \(jsonPath): cannot write to the file")
            }
            json = h
        } else {
            json = nil
        }
    }

    func start(total: Int, alreadyDone: Int) {
        self.total = total; done = alreadyDone; startDone = alreadyDone; started = Date(); lastProgress = started
        emit(["event": "start", "label": label, "total": total, "already_done": alreadyDone])
        switch style {
        case .terminal: drawBar()
        case .lines: text("\(label): \(total) episodes, \(alreadyDone) already done")
        case .quiet: break
        }
    }

    func finished(_ r: EpisodeResult) {
        done += 1
        if r.isError { errors += 1 }
        let t = r.timing ?? EpisodeTiming()
        let outcome = r.isError ? "error" : r.success ? "success" : "failure"
        emit(["event": "episode", "episode_id": r.episodeID, "outcome": outcome, "steps": r.steps,
              "policy_calls": t.policyCalls, "policy_ms": ms(t.policyS), "sim_ms": ms(t.physicsS),
              "render_ms": ms(t.renderS), "wall_s": ms(r.wallTime) / 1000, "done": done, "total": total]
             .merging(r.error.map { ["error": $0] } ?? [:]) { a, _ in a })
        switch style {
        case .terminal: drawBar()
        case .lines:
            let perCall = t.policyMillisecondsPerCall.map { String(format: "%.1fms/call", $0) } ?? "–"
            text(String(format: "[%d/%d] %@ %@ steps=%d policy=%@ (%.0fms) sim=%.0fms render=%.0fms wall=%.2fs%@",
                        done, total, r.episodeID, outcome, r.steps, perCall, 1000 * t.policyS, 1000 * t.physicsS,
                        1000 * t.renderS, r.wallTime, r.error.map { ": \($0)" } ?? ""))
        case .quiet: break
        }
        if (style == .lines || json != nil) && Date().timeIntervalSince(lastProgress) >= progressInterval && done < total {
            progressLine()
        }
    }

    func end() {
        if style == .terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        if style == .lines || json != nil { progressLine() }
        emit(["event": "end", "done": done, "total": total, "errors": errors,
              "elapsed_s": ms(Date().timeIntervalSince(started)) / 1000])
    }

    /// Episodes per second of this invocation and the time left at that rate.
    private var rate: (perSecond: Double, eta: Double) {
        let elapsed = Date().timeIntervalSince(started)
        let r = elapsed > 0 ? Double(done - startDone) / elapsed : 0
        return (r, r > 0 ? Double(total - done) / r : 0)
    }

    private func progressLine() {
        lastProgress = Date()
        let (r, eta) = rate
        emit(["event": "progress", "done": done, "total": total, "errors": errors,
              "episodes_per_s": (r * 1000).rounded() / 1000, "eta_s": eta.rounded()])
        text(String(format: "%@: %d/%d episodes (%.0f%%), %.2f episodes/s, ETA %@, %d errors", label, done, total,
                    total > 0 ? 100 * Double(done) / Double(total) : 100, r, Self.clock(eta), errors))
    }

    private func drawBar() {
        guard total > 0 else { return }
        let (r, eta) = rate
        let line = String(format: "\r%@: %d/%d episodes  %.2f ep/s  ETA %@%@", label, done, total, r, Self.clock(eta),
                          errors > 0 ? "  (\(errors) errors)" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func ms(_ seconds: Double) -> Double { (seconds * 1e6).rounded() / 1e3 }

    private func text(_ line: String) {
        guard style == .lines else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private func emit(_ event: [String: Any]) {
        guard let json, let d = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { return }
        json.write(d + Data("\n".utf8))
    }
}
