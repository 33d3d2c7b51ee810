import Foundation

/// A data-file problem, reported as one line naming the file, the field path and what is wrong.
public struct DataFileError: Error, CustomStringConvertible {
    public let file: String
    public let field: String
    public let message: String
    public init(file: String, field: String, message: String) { self.file = file; self.field = field; self.message = message }
    public var description: String { field.isEmpty ? "\(file): \(message)" : "\(file): field '\(field)': \(message)" }
}

/// Loads JSON data files (scenes, tasks, robot set-ups) and turns decoding failures into `DataFileError`s.
public enum DataFile {
    public static func load<T: Decodable>(_ type: T.Type, from url: URL, displayPath: String? = nil) throws -> T {
        let name = displayPath ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataFileError(file: name, field: "", message: "cannot read file (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let e as DecodingError {
            throw describe(e, file: name)
        } catch let e as DataFileError {
            throw DataFileError(file: name, field: e.field, message: e.message)
        }
    }

    static func describe(_ error: DecodingError, file: String) -> DataFileError {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            return DataFileError(file: file, field: path(ctx.codingPath + [key]), message: "is missing")
        case .typeMismatch(let t, let ctx):
            return DataFileError(file: file, field: path(ctx.codingPath), message: "expected \(t)")
        case .valueNotFound(let t, let ctx):
            return DataFileError(file: file, field: path(ctx.codingPath), message: "expected \(t), found null")
        case .dataCorrupted(let ctx):
            let detail = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return DataFileError(file: file, field: path(ctx.codingPath),
                                 message: ctx.codingPath.isEmpty ? "is not valid JSON (\(detail ?? ctx.debugDescription))"
                                                                 : ctx.debugDescription)
        @unknown default:
            return DataFileError(file: file, field: "", message: "\(error)")
        }
    }
}

/// Where the data files live: `scenes/` in the repository, or VLASER_SCENES_DIR, or next to the executable
/// (`share/vlaser-eval/scenes` for installed copies).
public enum SceneLibrary {
    public static func defaultRoot() -> URL {
        if let env = ProcessInfo.processInfo.environment["VLASER_SCENES_DIR"] { return URL(fileURLWithPath: env) }
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("scenes"),
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("../../scenes").standardized,
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("../share/vlaser-eval/scenes").standardized,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenes").standardized,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("tasks").path) }
            ?? candidates[0]
    }
}
