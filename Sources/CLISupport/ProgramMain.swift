import ArgumentParser
import Foundation

/// The entry point both programs share (`vlaser-eval`, `vlaser-eval-reason`): the `--config` file expanded, and every
/// failure reported in one style — `error: <what>` on one line naming the file, field or value — with its exit
/// status: a `CLIError` its own code, bad usage and bad data 2 (also what the argument parser finds, a missing or
/// non-numeric value, which it would report with the usage text and 64).
public enum ProgramMain {
    public static func run(_ root: ParsableCommand.Type) -> Never {
        CLIError.exitOnFailure({
            var command = try root.parseAsRoot(try ConfigFile.expand(Array(CommandLine.arguments.dropFirst()), root: root))
            try command.run()
        }, otherwise: { report($0, root) })
        Foundation.exit(0)
    }

    static func report(_ error: Error, _ root: ParsableCommand.Type) -> Never {
        if let e = error as? ExitCode { Foundation.exit(e.rawValue) }  // the message is already printed
        let code = root.exitCode(for: error)
        let message = root.message(for: error).split(separator: "\n").first.map(String.init) ?? ""
        guard code != .success, code != .validationFailure || !message.isEmpty else { root.exit(withError: error) }  // --help
        fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message, code: ExitStatus.badInput)
    }

    public static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
