import Foundation

/// One prompt variant of a benchmark: the text template (placeholders `{field}` filled from the sample, image
/// markers `<|image:N|>` place images inside the text; unplaced images go first) and the parser that reads
/// the reply it asks for.
public struct PromptVariant: Codable, Equatable {
    public let template: String
    public let parser: String
    /// Templates used instead of `template` for samples whose `template_kind` field names them (VSI-Bench
    /// numeric questions have their own post-prompt).
    public let alternateTemplates: [String: String]?

    enum CodingKeys: String, CodingKey { case template, parser, alternateTemplates = "alternate_templates" }

    public func template(for sample: Sample) -> String {
        guard let kind = sample.fields["template_kind"], !kind.isEmpty else { return template }
        return alternateTemplates?[kind] ?? template
    }
}

/// A benchmark as described by `benchmarks/reasoning/<id>.json` (issue 5 §1): read by generic code, so adding
/// or correcting a benchmark is a data edit.
public struct BenchmarkDefinition: Codable, Equatable {
    public let id: String
    public let displayName: String
    /// Where the data comes from and how to lay it out (shown by `--help` and in missing-data errors).
    public let howToGet: String
    public let loader: String
    public let dataFiles: [String]
    public let answerType: String
    public let metric: String
    /// The sample field whose values become sub-scores (e.g. `category`, `question_type`).
    public let subscoreKey: String?
    public let maxTokens: Int
    /// Frames sampled per video (video benchmarks only).
    public let videoFrames: Int?
    /// Scored by importing EmbodiedBench's own results (`reason import`), never by querying a model.
    public let importOnly: Bool
    public let prompts: [String: PromptVariant]

    enum CodingKeys: String, CodingKey {
        case id, loader, metric, prompts
        case displayName = "display_name", howToGet = "how_to_get", dataFiles = "data_files"
        case answerType = "answer_type", subscoreKey = "subscore_key", maxTokens = "max_tokens"
        case videoFrames = "video_frames", importOnly = "import_only"
    }

    public func prompt(_ variant: String) throws -> PromptVariant {
        guard let p = prompts[variant] else {
            throw ReasonError("benchmark \(id): no prompt variant \"\(variant)\" (have: \(prompts.keys.sorted().joined(separator: ", ")))")
        }
        return p
    }
}

/// The 12 Table 1 benchmarks in paper column order (reasoning-benchmarks.md §0 / vlaser-reference-results.md §1).
public enum BenchmarkCatalog {
    public static let order = ["erqa", "egoplan2", "where2place", "pointarena", "paco_lvis", "pixmo_points",
                               "vsi_bench", "refspatial", "mmsi", "vlabench", "eb_alfred", "eb_habitat"]

    /// Finds `benchmarks/reasoning`: $VLASER_BENCHMARKS_DIR, else the first ancestor of the executable or of the
    /// working directory that has it (so the built binary works from a checkout without installing data), else the
    /// installed copy in `../share/vlaser-eval` next to the executable (`make install`).
    public static func locateDirectory() throws -> URL {
        if let env = ProcessInfo.processInfo.environment["VLASER_BENCHMARKS_DIR"] { return URL(fileURLWithPath: env) }
        let executableDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let starts = [executableDirectory, URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                      executableDirectory.appendingPathComponent("../share/vlaser-eval")]
        for start in starts {
            var dir = start.standardizedFileURL
            while dir.path != "/" {
                let candidate = dir.appendingPathComponent("benchmarks/reasoning")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("erqa.json").path) { return candidate }
                dir.deleteLastPathComponent()
            }
        }
        throw ReasonError("cannot find benchmarks/reasoning (set VLASER_BENCHMARKS_DIR)")
    }

    public static func load(_ id: String, from dir: URL) throws -> BenchmarkDefinition {
        guard order.contains(id) else {
            throw ReasonError("unknown benchmark \"\(id)\" (known: \(order.joined(separator: ", ")))")
        }
        let url = dir.appendingPathComponent("\(id).json")
        let def: BenchmarkDefinition
        do { def = try JSONDecoder().decode(BenchmarkDefinition.self, from: Data(contentsOf: url)) } catch {
            throw ReasonError("\(url.path): invalid benchmark definition (\(error))")
        }
        guard def.id == id else { throw ReasonError("\(url.path): id \"\(def.id)\" does not match the file name") }
        try validateNames(def, file: url.path)
        return def
    }

    /// The loader, metric and every prompt's parser must be registered (`Loaders.registry`, `Scoring.metrics`,
    /// `Scoring.letterParsers`, `Scoring.pointParsers`); import-only benchmarks are scored from EmbodiedBench's files.
    static func validateNames(_ def: BenchmarkDefinition, file: String) throws {
        guard !def.importOnly else { return }
        func check(_ ok: Bool, _ field: String, _ known: [String], _ value: String) throws {
            if !ok { throw ReasonError("\(file): field '\(field)': unknown \"\(value)\" (known: \(known.joined(separator: ", ")))") }
        }
        try check(Loaders.registry.contains(def.loader), "loader", Loaders.registry.names, def.loader)
        try check(Scoring.metrics.contains(def.metric), "metric", Scoring.metrics.names, def.metric)
        let parsers = Scoring.letterParsers.names + Scoring.pointParsers.names + Scoring.builtInParsers.sorted()
        for (name, p) in def.prompts.sorted(by: { $0.key < $1.key }) {
            try check(parsers.contains(p.parser), "prompts.\(name).parser", parsers, p.parser)
        }
    }

    public static func loadAll(from dir: URL) throws -> [BenchmarkDefinition] {
        try order.map { try load($0, from: dir) }
    }
}
