import Engine
import Evaluation
import Foundation
import ResultsSchema
import Policies
import Sim

/// `vlaser-perf sim [episodes-per-task]`: physics-only throughput of each Bridge task with the scripted expert —
/// physics steps/s, control steps/s and mean episode wall time (settle included), one core.
func simBenchmark(_ args: [String]) throws {
    let perTask = args.first.flatMap(Int.init) ?? 6
    let root = SceneLibrary.defaultRoot()
    print("task                              episodes  physics steps/s  control steps/s  episode wall (s)")
    var total = 0.0
    for task in try TaskAssets.taskNames(root: root, suite: "widowx") {
        let assets = try TaskAssets(task: task, root: root)
        let policy = ScriptedExpert()
        var physicsSteps = 0, controlSteps = 0
        let start = Date()
        for i in 0..<perTask {
            let key = EpisodeKey(suite: "widowx", task: task, index: i * assets.episodeCount / perTask)
            let r = EpisodeRunner(assets: assets, policy: policy, baseSeed: 0, runDirectory: nil).run(key)
            guard r.status == "ok" else { throw EvaluationError.io("\(key.id): \(r.error ?? "error")") }
            controlSteps += r.steps
            physicsSteps += Int((r.simTime * assets.setup.controller.simFrequency).rounded())
        }
        let t = Date().timeIntervalSince(start)
        total += t / Double(perTask) * Double(assets.episodeCount)
        let name = task.padding(toLength: 34, withPad: " ", startingAt: 0)
        print(name + String(format: "%8d %16.0f %16.1f %17.3f", perTask, Double(physicsSteps) / t,
                            Double(controlSteps) / t, t / Double(perTask)))
    }
    print(String(format: "projected WidowX suite (96 episodes), one process: %.1f s", total))
}
