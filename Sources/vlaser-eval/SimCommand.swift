import ArgumentParser
import Evaluation
import Foundation
import Policies
import Scoreboard
import Sim

/// `vlaser-eval sim`: run a suite closed-loop against a policy and write episodes.jsonl + summary.json.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a simulated suite closed-loop against a policy.",
        discussion: "Results go to --out DIR: manifest.json, episodes.jsonl (appended per episode), summary.json and actions/ (docs/results-schema.md).")

    @Option(help: ArgumentHelp("Suite to run: \(SimCommand.suiteList).")) var suite = "widowx"
    @Option(name: .customLong("task"), help: "Task to run (repeatable; default: every task of the suite).") var tasks: [String] = []
    @Option(help: "Episode indices: an inclusive range A..B or a comma list (default: the task's whole grid).") var episodes: String?
    @Option(help: "Policy: scripted | zero | random | replay:FILE_OR_RUN_DIR | ws://HOST:PORT | http://HOST:PORT/act | tcp://HOST:PORT.")
    var policy = "scripted"
    @Option(help: "Remote policy preset: a name under scenes/policy-presets/ or a JSON file (docs/policy-servers.md).")
    var policyPreset: String?
    @Option(help: "Remote policy: execute K actions of each predicted chunk (default: the preset's).") var execute: Int?
    @Option(help: "Remote policy failure: retry | skip | abort.") var onPolicyError = "skip"
    @Option(help: "Base seed; each episode's seed is a hash of its id and this.") var seed = 0
    @Option(help: "Output directory (default: runs/<suite>_<policy>_seed<seed>).") var out: String?
    @Flag(help: "Continue the run in --out, skipping episodes already recorded.") var resume = false
    @Option(help: "Parallel worker processes.") var workers = 1
    @Option(help: "Run only shard i of n (round-robin over the episode list), e.g. 0/4.") var shard: String?
    @Option(name: .customLong("protocol"), help: "Evaluation protocol: physics-only, visual-matching or variant-aggregation (google-robot; simplerenv-tasks.md §4).") var protocolName = "physics-only"
    @Option(name: .customLong("variant"), help: "Run only this scene variant of the protocol (repeatable), robustness-only ones included (default: the variants that enter the average; docs/google-robot.md).")
    var variants: [String] = []
    @Option(help: "Visual matching: use this photo instead of each task's default overlay.") var overlay: String?
    @Flag(help: "Write one video of the policy camera per episode (videos/<task>/…).") var record = false
    @Flag(help: "Write one PNG of the policy camera per control step (frames/<task>/…).") var saveFrames = false
    @Option(help: "SimplerEnv asset root (robot, object meshes; scripts/fetch-assets.sh). Default: $VLASER_ASSETS_DIR, else ~/.cache/vlaser-eval/simpler-assets.") var assets: String?
    @Option(help: "Scenes directory (default: ./scenes or the installed copy).") var scenes: String?
    @Flag(help: .hidden) var worker = false
    @Option(help: .hidden) var episodeIds: String?

    func run() throws {
        do { try runSuite() } catch let e as EvaluationError {
            if case .aborted = e { throw CLIError(message: e.description, code: 1) }
            throw CLIError(message: e.description, code: 2)
        } catch let e as DataFileError {
            throw CLIError(message: e.description, code: 2)
        } catch let e as CustomStringConvertible where !(e is ExitCode) {
            throw CLIError(message: e.description, code: 2)
        }
    }

    /// The suites of the task files under ./scenes (or the installed copy), for the help text.
    static var suiteList: String {
        (try? TaskAssets.suiteNames()).map { $0.joined(separator: ", ") } ?? "a suite of scenes/tasks"
    }

    private func runSuite() throws {
        let outDir = out ?? "runs/\(suite)_\(policy.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "_"))_seed\(seed)"
        var o = SimRunOptions(suite: suite, out: URL(fileURLWithPath: outDir))
        o.tasks = tasks
        if let episodes { o.episodes = try EpisodeSelection(parsing: episodes) }
        o.policy = policy
        o.seed = seed
        o.resume = resume
        o.workers = workers
        if let shard { o.shard = try Shard(parsing: shard) }
        o.protocolName = protocolName
        o.variants = variants
        o.policyOptions.preset = policyPreset
        o.policyOptions.execute = execute
        guard let onError = OnPolicyError(rawValue: onPolicyError) else {
            throw EvaluationError.usage("--on-policy-error '\(onPolicyError)': expected retry, skip or abort")
        }
        o.policyOptions.onError = onError
        o.overlay = overlay
        o.record = record
        o.saveFrames = saveFrames
        o.assetRoot = try SimplerAssetRoot.resolve(explicit: assets)
        if let scenes { o.scenesRoot = URL(fileURLWithPath: scenes) }
        let run = try SimRun(o)

        if worker {
            // Child of a parent run: print one record per line, nothing else on stdout.
            let keys = try run.keys(withIDs: (episodeIds ?? "").split(separator: ",").map(String.init))
            try run.runInProcess(keys) { r in
                FileHandle.standardOutput.write(try r.jsonData())
            }
            return
        }
        for w in run.visualAssets?.warnings ?? [] { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        let summary = try run.run(progress: Progress(label: suite))
        print(SummaryTable.render(summary))
        print("results: \(o.out.path)")
    }
}

struct CLIError: Error, CustomStringConvertible {
    let message: String
    let code: Int32
    var description: String { message }
}

/// The final per-task table.
enum SummaryTable {
    static func render(_ s: RunSummary) -> String {
        func pad(_ x: String, _ n: Int) -> String { x.count >= n ? x : x + String(repeating: " ", count: n - x.count) }
        func lpad(_ x: String, _ n: Int) -> String { x.count >= n ? x : String(repeating: " ", count: n - x.count) + x }
        func percent(_ r: Double?) -> String { r.map { String(format: "%.1f%%", 100 * $0) } ?? "–" }
        func excludedLabel(_ v: VariantSummary) -> String { "  \(v.variant) (not in average)" }
        let labels = s.tasks.map(\.task) + s.tasks.flatMap { $0.variants.filter { $0.inAverage == false }.map(excludedLabel) }
        let width = max(32, (labels.map(\.count).max() ?? 0) + 2)
        var lines = [pad("task", width) + lpad("n", 4) + lpad("succ", 6) + lpad("rate", 9) + "  " + pad("95% CI", 16) + lpad("grasp", 7)]
        for t in s.tasks {
            lines.append(pad(t.task, width) + lpad("\(t.n)", 4) + lpad("\(t.successes)", 6) + lpad(percent(t.successRate), 9) + "  "
                + pad(t.ci95.map { String(format: "[%.1f, %.1f]", 100 * $0[0], 100 * $0[1]) } ?? "–", 16)
                + lpad(percent(t.graspRate), 7) + (t.errors > 0 ? "  (\(t.errors) errors)" : ""))
            // Robustness-only variants (left out of the rate above) get a line of their own.
            for v in t.variants where v.inAverage == false {
                lines.append(pad(excludedLabel(v), width) + lpad("\(v.n)", 4) + lpad("\(v.successes)", 6)
                    + lpad(percent(v.successRate), 9))
            }
        }
        if let a = s.averageSuccessRate { lines.append(String(format: "average success rate: %.1f%%", 100 * a)) }
        return lines.joined(separator: "\n")
    }
}
