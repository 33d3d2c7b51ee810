import Foundation

/// `--shard auto` / `--shard auto/N`: the shard a cluster scheduler assigns this process, as the `i/n` text that
/// `sim` and `reason` already parse (docs/cluster.md).
///
/// - SLURM job array (`sbatch --array=A-B[:S]`): i = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / step,
///   n = SLURM_ARRAY_TASK_COUNT. With `auto/N`, i = SLURM_ARRAY_TASK_ID itself, so a failed task resubmitted alone
///   (`--array=2`) still runs shard 2 of N.
/// - Kubernetes Indexed Job: i = JOB_COMPLETION_INDEX; a pod is not told its Job's completion count, so N must be
///   given (`auto/N`, the same number as `spec.completions`).
public enum ShardEnvironment {
    /// The environment variables read, in the order they are tried.
    static let slurmTask = "SLURM_ARRAY_TASK_ID", slurmMin = "SLURM_ARRAY_TASK_MIN", slurmMax = "SLURM_ARRAY_TASK_MAX"
    static let slurmCount = "SLURM_ARRAY_TASK_COUNT", slurmStep = "SLURM_ARRAY_TASK_STEP"
    static let kubernetesIndex = "JOB_COMPLETION_INDEX"

    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// `text` unchanged unless it is `auto` or `auto/N`; then `i/n` from `environment`.
    public static func resolve(_ text: String, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard text == "auto" || text.hasPrefix("auto/") else { return text }
        var given: Int?
        if text != "auto" {
            guard let n = Int(text.dropFirst(5)), n >= 1 else {
                throw Failure(description: "--shard '\(text)': expected auto or auto/N with N ≥ 1 shards")
            }
            given = n
        }
        func number(_ name: String) throws -> Int? {
            guard let raw = env[name], !raw.isEmpty else { return nil }
            guard let v = Int(raw), v >= 0 else { throw Failure(description: "--shard \(text): \(name)='\(raw)' is not an index ≥ 0") }
            return v
        }
        let index: Int, count: Int
        if let task = try number(slurmTask) {
            if let given {
                (index, count) = (task, given)
            } else {
                guard let n = try number(slurmCount), let lo = try number(slurmMin), let hi = try number(slurmMax) else {
                    throw Failure(description: "--shard auto: \(slurmTask) is set but \(slurmCount)/\(slurmMin)/\(slurmMax) are not; pass --shard auto/N")
                }
                let step = max(1, try number(slurmStep) ?? 1)
                // Only an evenly stepped range maps task ids onto 0..<n; a list such as --array=1,5,9 does not.
                guard (hi - lo) / step + 1 == n, (task - lo) % step == 0 else {
                    throw Failure(description: "--shard auto: the SLURM array (\(slurmMin)=\(lo), \(slurmMax)=\(hi), step \(step), \(n) tasks) is not a range A-B[:S]; submit --array=0-\(n - 1) or pass --shard auto/N")
                }
                (index, count) = ((task - lo) / step, n)
            }
        } else if let k = try number(kubernetesIndex) {
            guard let given else {
                throw Failure(description: "--shard auto: \(kubernetesIndex)=\(k) (Kubernetes Indexed Job) gives no shard count; pass --shard auto/N with N = spec.completions")
            }
            (index, count) = (k, given)
        } else {
            throw Failure(description: "--shard \(text): neither \(slurmTask) (SLURM job array) nor \(kubernetesIndex) (Kubernetes Indexed Job) is set; pass --shard i/n")
        }
        guard index < count else {
            throw Failure(description: "--shard \(text): shard index \(index) (from \(env[slurmTask] != nil ? slurmTask : kubernetesIndex)) is not below the shard count \(count)")
        }
        return "\(index)/\(count)"
    }
}
