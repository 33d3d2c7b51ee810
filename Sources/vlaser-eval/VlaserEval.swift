import CLISupport
import ArgumentParser
import Evaluation
import Foundation

@main
struct VlaserEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vlaser-eval",
        abstract: "Closed-loop evaluation of VLA policies (SimplerEnv, RoboTwin) and embodied-reasoning benchmarks.",
        version: SimRun.harnessVersion,
        subcommands: [SimCommand.self, ReasonForwarder.self, ScoreboardCommand.self, MergeCommand.self, ViewForwarder.self,
                      ListCommand.self])

    /// One error style and `--config FILE` for every subcommand (ProgramMain).
    static func main() { ProgramMain.run(Self.self) }
}
