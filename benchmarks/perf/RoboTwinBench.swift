import Engine
import Evaluation
import Foundation
import Policies
import Sim

/// `vlaser-perf robotwin [episodes-per-task] [actions]`: the RoboTwin tasks on one core (thread CPU time) with the
/// zero policy (every action holds the home pose: no arm motion → RoboTwin's 50-sub-step window). Per task: whole
/// episodes as `sim` runs them (scene sampling, the 2,500-step settle and stability check, `max_steps` actions; the
/// zero policy asks for no camera, so nothing is rendered) → episodes/s; and one action's physics followed by one
/// head-camera render (D435 320×240, what a VLA policy waits for) → ms per action. RoboTwin's own `get_obs()` takes
/// 1.5–10.8 s on a CPU renderer (RoboTwin issue #504, robotwin-tasks.md).
func roboTwinBenchmark(_ args: [String]) throws {
    let perTask = args.first.flatMap(Int.init) ?? 2
    let actions = args.dropFirst().first.flatMap(Int.init) ?? 30
    let root = SceneLibrary.defaultRoot()
    print("task                      episodes  episode CPU s  episodes/s  actions  physics ms  head render ms  ms/action")
    for task in try TaskAssets.taskNames(root: root, suite: "robotwin") {
        let assets = try TaskAssets(task: task, root: root)
        let cpu0 = threadCPUNanoseconds()
        for i in 0..<perTask {
            let key = EpisodeKey(suite: "robotwin", task: task, index: i)
            let r = EpisodeRunner(assets: assets, policy: ZeroPolicy(), baseSeed: 0, runDirectory: nil).run(key)
            guard r.status == "ok" else { throw EvaluationError.io("\(key.id): \(r.error ?? "error")") }
        }
        let episode = Double(threadCPUNanoseconds() - cpu0) / 1e9 / Double(perTask)

        let timer = StepTimer(steps: actions)
        let session = try EpisodeSession(assets: assets, key: EpisodeKey(suite: "robotwin", task: task, index: 0),
                                         policy: ZeroPolicy(), baseSeed: 0, observers: [timer])
        let renderer = try ObservationRenderer(assets: assets, overlayPhoto: nil, objects: session.episode.objectModels)
        timer.render(with: renderer, camera: "head_camera")
        _ = try renderer.render(session.episode, camera: "head_camera")  // warm-up
        try session.start()
        while timer.physics.count < actions && !session.isDone { try session.advance() }
        let physics = TransportBench.median(timer.physics), render = TransportBench.median(timer.render)
        print(task.padding(toLength: 26, withPad: " ", startingAt: 0)
              + String(format: "%8d %14.2f %11.3f %8d %11.2f %15.2f %10.2f", perTask, episode, 1 / episode,
                       timer.physics.count, physics, render, TransportBench.median(zip(timer.physics, timer.render).map(+))))
    }
}
