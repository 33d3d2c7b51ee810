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
        subcommands: [SimCommand.self, ReasonForwarder.self, ScoreboardCommand.self, MergeCommand.self, ViewForwarder.self])

    /// Data and usage errors exit with code 2 and one clear line naming the file, field or value.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as CLIError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            Foundation.exit(e.code)
        } catch {
            exit(withError: error)
        }
    }
}
