import ArgumentParser
import CLISupport
import Foundation
import Reasoning

/// `vlaser-eval reason list` (also `vlaser-eval list benchmarks`): the benchmarks of Vlaser Table 1 from their
/// definitions (benchmarks/reasoning/<id>.json), with the samples found under `--data` when given.
struct ReasonList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the reasoning benchmarks (and the samples under --data).")

    @Option(help: "Data folder (one sub-folder per benchmark id): count the samples each holds.") var data: String?

    func run() throws {
        try ReasonCommand.guarded {
            let (_, defs) = try ReasonCommand.definitions()
            let dataURL = data.map { URL(fileURLWithPath: $0) }
            var rows = [["id", "benchmark", "metric", "answer"] + (dataURL == nil ? [] : ["samples"]) + ["data"]]
            for d in defs {
                var row = [d.id, d.displayName, d.metric, d.answerType]
                if let dataURL {
                    let present = FileManager.default.fileExists(atPath: dataURL.appendingPathComponent(d.id).path)
                    row.append(d.importOnly ? "imported" : present ? "\(try Loaders.load(d, dataDir: dataURL).count)" : "–")
                }
                rows.append(row + [d.howToGet])
            }
            let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
            for r in rows {
                print("  " + r.indices.map { i in i == r.count - 1 ? r[i] : r[i].padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                    .joined(separator: "  "))
            }
            print("\n\(defs.count) benchmarks; `reason --bench ID[,ID…] --data DIR --model NAME` runs them (docs/reasoning.md).")
        }
    }
}
