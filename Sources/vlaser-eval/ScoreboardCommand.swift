import ArgumentParser
import Foundation
import Scoreboard

/// `vlaser-eval scoreboard`: the paper's tables with the user's runs as extra rows (docs/scoreboard.md).
struct ScoreboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoreboard",
        abstract: "Compare sim and reason runs with the published tables (HTML, Markdown, JSON, or terminal).")

    @Argument(help: "Run directories, or directories to search for runs (default: runs/).")
    var runDirs: [String] = []

    @Option(help: "Directory for index.html, scoreboard.md and scoreboard.json (default: scoreboard/).")
    var out: String?

    @Flag(help: "Print the tables to the terminal; files are then written only when --out is given.")
    var print = false

    @Option(help: "Reference data directory (default: scoreboard/reference).")
    var reference: String?

    @Option(help: "Pair a reason run's model with a sim run's policy for the reasoning-vs-control scatter (MODEL=POLICY).")
    var link: [String] = []

    func run() throws {
        let roots = (runDirs.isEmpty ? ["runs"] : runDirs).map { URL(fileURLWithPath: $0) }
        var links: [String: String] = [:]
        for l in link {
            let parts = l.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw usageError("--link '\(l)': expected MODEL=POLICY")
            }
            links[parts[0]] = parts[1]
        }
        let refDir = reference.map { URL(fileURLWithPath: $0) } ?? ReferenceSet.defaultDirectory()
        let refs: ReferenceSet
        do { refs = try ReferenceSet.load(from: refDir) } catch { throw usageError("reference data: \(error)") }

        let (runs, skipped) = Scoreboard.loadRuns(under: roots, optional: runDirs.isEmpty)
        for s in skipped { FileHandle.standardError.write(Data("skipped \(s.path): \(s.reason)\n".utf8)) }
        let doc = Scoreboard.build(reference: refs, runs: runs, skipped: skipped, links: links)

        if print { FileHandle.standardOutput.write(Data(Scoreboard.terminalText(doc).utf8)) }
        guard !print || out != nil else { return }
        let outDir = URL(fileURLWithPath: out ?? "scoreboard").standardizedFileURL
        // The scoreboard writes only its own three files, and never into a run directory.
        for r in doc.runs where outDir.path == r.id || outDir.path.hasPrefix(r.id + "/") {
            throw usageError("--out \(outDir.path) is inside the run directory \(r.id)")
        }
        if RunDirectory.isRunDirectory(outDir) { throw usageError("--out \(outDir.path) is a run directory") }
        try Scoreboard.write(doc, to: outDir)
        FileHandle.standardError.write(Data(("scoreboard: \(doc.runs.count) run(s), \(skipped.count) skipped → "
            + Scoreboard.outputFiles.map { outDir.appendingPathComponent($0).path }.joined(separator: ", ") + "\n").utf8))
    }
}

/// Prints `error: message` and exits with status 2 (usage or data error).
func usageError(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(2)
}
