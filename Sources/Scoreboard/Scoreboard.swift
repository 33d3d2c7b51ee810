// Entry points: load runs (skipping bad ones by name), build the scoreboard document, write its three renderings.
import Foundation
import ResultsSchema

public enum Scoreboard {
    /// Loads every run directory at or below `roots`; a run whose files are unreadable, truncated or foreign is
    /// skipped and reported by file name, as is a root that does not exist unless `optional`.
    public static func loadRuns(under roots: [URL], optional: Bool = false) -> (runs: [LoadedRun], skipped: [SkippedFile]) {
        var runs: [LoadedRun] = [], skipped: [SkippedFile] = []
        for root in roots where !optional && !FileManager.default.fileExists(atPath: root.path) {
            skipped.append(SkippedFile(path: root.path, reason: "no such directory"))
        }
        for dir in RunDirectory.discover(under: roots) {
            do { runs.append(try RunDirectory.load(dir)) } catch let e as ResultFileError {
                skipped.append(SkippedFile(path: e.path, reason: e.problem))
            } catch {
                skipped.append(SkippedFile(path: dir.path, reason: String(describing: error)))
            }
        }
        return (runs, skipped)
    }

    /// The whole scoreboard. `links` pairs reason-run models with sim-run policies (model → policy) for the
    /// reasoning-vs-control scatter when their names differ.
    public static func build(reference: ReferenceSet, runs: [LoadedRun], skipped: [SkippedFile] = [],
                             links: [String: String] = [:]) -> ScoreboardDocument {
        var simRuns: [SimRun] = [], reasonRuns: [ReasonRun] = []
        for r in runs {
            switch r {
            case .sim(let s): simRuns.append(s)
            case .reason(let q): reasonRuns.append(q)
            }
        }
        let (pooled, standsFor) = ShardPooling.pool(simRuns)
        var tables: [ScoreTable] = []
        var taken: [String: [String]] = [:]
        for spec in reference.layout.tables {
            guard let ref = reference.byFile[spec.reference] else { continue }
            let extras = (spec.extraReferences ?? []).compactMap { e in reference.byFile[e.file].map { (e, $0) } }
            let (table, used) = TableBuilder(layout: spec, reference: ref, extras: extras)
                .build(simRuns: pooled, reasonRuns: reasonRuns)
            tables.append(table)
            taken.merge(used) { $0 + $1 }
        }
        let infos = simRuns.map { r in info(r, taken: taken[standsFor[runID(r.directory)] ?? runID(r.directory)] ?? []) }
            + reasonRuns.map { info($0, taken: taken[runID($0.directory)] ?? []) }
        let svr = reference.tables[reference.layout.simVsReal.simTable]
        return ScoreboardDocument(
            schemaVersion: 1, tables: tables,
            simVsReal: Analysis.simVsReal(reference.layout.simVsReal, reference: reference, runs: pooled),
            simVsRealSource: svr?.source ?? "",
            correlations: Analysis.reasoningVsControl(reference.layout.reasoningVsControl, tables: tables, extraLinks: links),
            runs: infos, skipped: skipped)
    }

    static func info(_ r: SimRun, taken: [String]) -> RunInfo {
        let m = r.manifest, s = r.summary
        return RunInfo(id: runID(r.directory), directory: r.directory.path, kind: "sim", label: r.rowLabel, suite: m.suite,
                       protocol: m.protocol, execute: m.execute, seed: m.seed, shard: m.shard, configHash: m.configHash,
                       createdAt: m.createdAt, gitCommit: m.gitCommit, harnessVersion: m.harnessVersion, endpoint: nil,
                       nExpected: s.nExpected, nDone: s.nDone, nErrors: s.nErrors,
                       summaryComputed: r.summaryComputed ? true : nil, policy: m.policy, limit: m.limit,
                       unplaced: s.tasks.map(\.task).filter { !taken.contains($0) })
    }

    static func info(_ r: ReasonRun, taken: [String]) -> RunInfo {
        let q = r.results
        return RunInfo(id: runID(r.directory), directory: r.directory.path, kind: "reason", label: r.rowLabel, suite: nil,
                       protocol: q.prompt, execute: nil, seed: nil, shard: q.shard, configHash: q.configHash,
                       createdAt: q.createdAt, gitCommit: nil, harnessVersion: nil, endpoint: q.endpoint,
                       nExpected: nil, nDone: nil, nErrors: nil, summaryComputed: nil, policy: nil, limit: r.limit,
                       unplaced: q.benchmarks.map(\.id).filter { !taken.contains($0) })
    }

    /// The terminal rendering (`--print`): fixed-width tables, run rows with their interval and n underneath.
    public static func terminalText(_ doc: ScoreboardDocument) -> String { TerminalRenderer.render(doc) }

    /// File names written by `write`.
    public static let outputFiles = ["index.html", "scoreboard.md", "scoreboard.json"]

    /// Writes index.html, scoreboard.md and scoreboard.json into `dir` (created if needed); touches nothing else.
    public static func write(_ doc: ScoreboardDocument, to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var json = try JSONCoding.prettyEncoder.encode(doc)
        json.append(0x0A)
        try Data(HTMLRenderer.render(doc).utf8).write(to: dir.appendingPathComponent("index.html"), options: .atomic)
        try Data(MarkdownRenderer.render(doc).utf8).write(to: dir.appendingPathComponent("scoreboard.md"), options: .atomic)
        try json.write(to: dir.appendingPathComponent("scoreboard.json"), options: .atomic)
    }
}
