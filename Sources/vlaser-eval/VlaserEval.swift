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

    /// Data and usage errors exit with code 2 and one clear line naming the file, field or value — also those the
    /// argument parser finds (a missing or non-numeric value), which it would report with the usage text and 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as CLIError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            Foundation.exit(e.code)
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)  // the message is already printed
        } catch {
            let code = exitCode(for: error)
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? ""
            guard code != .success, code != .validationFailure || !message.isEmpty else { exit(withError: error) }  // --help
            FileHandle.standardError.write(Data("error: \(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
