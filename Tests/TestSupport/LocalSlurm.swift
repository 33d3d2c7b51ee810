import Foundation

/// A real single-node SLURM cluster (Debian's slurmctld, slurmd and munge, started by `scripts/slurm-local.sh` in a
/// private state directory on free ports), and `deploy/slurm/submit.sh` to put runs on it. `stop()` (also run on
/// deinit) stops every daemon it started and reports any that survived.
public final class LocalSlurm {
    public let state: URL
    /// SLURM_CONF for the client commands and the jobs.
    public let environment: [String: String]
    public let daemons: [Int32]
    private var stopped = false

    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public init() throws {
        state = try TestSupport.makeTempDir("slurm")
        let r = try TestSupport.run(TestSupport.repoRoot.appendingPathComponent("scripts/slurm-local.sh").path, ["start", state.path])
        guard r.status == 0 else { throw Failure(description: "scripts/slurm-local.sh start failed (\(r.status)): \(r.stderr)") }
        environment = ["SLURM_CONF": state.appendingPathComponent("slurm.conf").path]
        daemons = try String(contentsOf: state.appendingPathComponent("pids"), encoding: .utf8)
            .split(separator: "\n").compactMap { Int32($0) }
    }

    deinit { _ = stop() }

    /// Stops the daemons; returns the PIDs still alive afterwards (none when all went down).
    public func stop() -> [Int32] {
        if !stopped {
            stopped = true
            _ = try? TestSupport.run(TestSupport.repoRoot.appendingPathComponent("scripts/slurm-local.sh").path, ["stop", state.path])
        }
        return daemons.filter { kill($0, 0) == 0 && !Self.isZombie($0) }
    }

    static func isZombie(_ pid: Int32) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "").split(separator: " ").dropFirst(2).first == "Z"
    }

    /// `deploy/slurm/submit.sh` from the repository root with `VLASER_EVAL` set to the built CLI; returns the job ids
    /// it prints (array, merge).
    public func submit(_ arguments: [String], environment extra: [String: String] = [:]) throws -> [String] {
        let env = environment.merging(["VLASER_EVAL": TestSupport.cliExecutable]) { $1 }.merging(extra) { $1 }
        let r = try TestSupport.run(TestSupport.repoRoot.appendingPathComponent("deploy/slurm/submit.sh").path, arguments,
                                    cwd: TestSupport.repoRoot, environment: env)
        guard r.status == 0 else { throw Failure(description: "submit.sh failed (\(r.status)): \(r.stderr)") }
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// Waits until `job` (and every task of an array) has left the queue; returns its final state(s) as SLURM's
    /// `scontrol show job` reports them, e.g. ["COMPLETED"] or ["COMPLETED", "FAILED"].
    public func wait(for job: String, timeout: TimeInterval) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let q = try client("squeue", ["-h", "-j", job, "-o", "%T"])
            if q.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        let show = try client("scontrol", ["show", "job", job])
        let states = show.components(separatedBy: "JobState=").dropFirst().map { String($0.prefix { !$0.isWhitespace }) }
        guard !states.isEmpty, !states.contains(where: { ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING"].contains($0) }) else {
            throw Failure(description: "job \(job) did not finish within \(Int(timeout)) s: \(states)")
        }
        return states
    }

    /// Runs a SLURM client command against this cluster and returns its stdout.
    public func client(_ command: String, _ arguments: [String]) throws -> String {
        let r = try TestSupport.run("/usr/bin/\(command)", arguments, environment: environment)
        guard r.status == 0 else { throw Failure(description: "\(command) \(arguments.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }
}
