import ArgumentParser

@main
struct VlaserEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vlaser-eval",
        abstract: "Closed-loop evaluation of VLA policies (SimplerEnv, RoboTwin) and embodied-reasoning benchmarks.",
        subcommands: [MergeCommand.self, ScoreboardCommand.self, SimCommand.self])
}
