import ArgumentParser
import CLISupport
import Evaluation
import Foundation
import Sim

/// `vlaser-eval list tasks|variants|presets|benchmarks`: what can be run, read from the data a run reads.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the tasks (episode grids, SimplerEnv names), scene variants, policy presets or reasoning benchmarks.")

    static let kinds = ["tasks", "variants", "presets", "benchmarks"]

    @Argument(help: ArgumentHelp("What to list: \(ListCommand.kinds.joined(separator: " | ")).")) var what: String
    @Option(help: "Scenes directory (default: ./scenes or the installed copy).") var scenes: String?

    func run() throws {
        let root = scenes.map { URL(fileURLWithPath: $0) } ?? SceneLibrary.defaultRoot()
        let text: String
        do {
            switch what {
            case "tasks": text = try SceneCatalog.tasks(root: root)
            case "variants": text = try SceneCatalog.variants(root: root)
            case "presets": text = try SceneCatalog.presets(root: root)
            case "benchmarks": try Sibling.exec(Sibling.reason, ["list"], purpose: "listing the reasoning benchmarks")
            default: throw CLIError(message: "list: unknown kind '\(what)' (known: \(Self.kinds.joined(separator: ", ")))", code: ExitStatus.badInput)
            }
        } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError(message: "\(error)", code: ExitStatus.badInput)  // a data file (task, variants, preset) is malformed
        }
        print(text, terminator: "")
    }
}
