import Foundation

/// A data-file problem, reported as one line naming the file, the field path and what is wrong.
public struct DataFileError: Error, CustomStringConvertible {
    public let file: String
    public let field: String
    public let message: String
    public init(file: String, field: String, message: String) { self.file = file; self.field = field; self.message = message }
    public var description: String { field.isEmpty ? "\(file): \(message)" : "\(file): field '\(field)': \(message)" }
}

/// Loads JSON data files (scenes, tasks, robot set-ups) strictly: a file may `extends` a base file (deep-merged,
/// the file's own values win), keys starting with `_` are comments, and any other key the schema does not read is
/// an error naming it — a misspelt optional key must never be silently ignored.
public enum DataFile {
    public static func load<T: Codable>(_ type: T.Type, from url: URL, displayPath: String? = nil) throws -> T {
        let name = displayPath ?? url.path
        let kind = String(reflecting: T.self)
        let data = try contents(of: url, displayPath: name)
        // The merged bytes (extends chain included) and the type decide the value, whatever the file is called.
        // Merged bytes never name a base, so a file's own bytes match a kept entry only if it extends nothing.
        if let known: T = ParsedFileCache.shared.known(kind, path: "", bytes: data) { return known }
        let (tree, bytes) = try resolvedTree(url, data: data, displayPath: name, chain: [])
        return try ParsedFileCache.shared.value(kind, path: "", bytes: bytes) { try decodeStrictly(T.self, tree: tree, bytes: bytes, name: name) }
    }

    /// Decodes `bytes` (whose JSON tree is `tree`) as `T`; a key of the tree the schema does not read is an error.
    static func decodeStrictly<T: Codable>(_ type: T.Type, tree: Any, bytes: Data, name: String) throws -> T {
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: bytes)
        } catch let e as DecodingError {
            throw describe(e, file: name)
        } catch let e as DataFileError {
            throw DataFileError(file: name, field: e.field, message: e.message)
        }
        // What the schema read comes back when re-encoded; a key of the file that does not is unknown.
        let echo = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value))
        if let unknown = unknownKey(tree, echo, path: "") {
            throw DataFileError(file: name, field: unknown, message: "unknown key (a typo? keys starting with '_' are comments)")
        }
        return value
    }

    /// A file written by another program (SimplerEnv's reference-frame records): read only the fields the type
    /// declares, the rest ignored; decoding errors still name the file and field.
    public static func loadForeign<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data = try contents(of: url, displayPath: url.path)
        do { return try JSONDecoder().decode(T.self, from: data) } catch let e as DecodingError { throw describe(e, file: url.path) }
    }

    /// The file's JSON with its `extends` chain merged in and comment keys removed, and the bytes to decode: the
    /// file's own when it extends nothing (its numbers are then read exactly as written), else the merged tree's.
    static func resolvedTree(_ url: URL, data: Data, displayPath: String, chain: [URL]) throws -> (tree: Any, bytes: Data) {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw DataFileError(file: displayPath, field: "", message: "is not valid JSON (\(detail ?? "\(error)"))")
        }
        guard var object = json as? [String: Any] else { return (stripComments(json), data) }
        guard let parent = object.removeValue(forKey: "extends") else { return (stripComments(object), data) }
        guard let relative = parent as? String else {
            throw DataFileError(file: displayPath, field: "extends", message: "expected the path of a base file")
        }
        let base = url.deletingLastPathComponent().appendingPathComponent(relative).standardized
        guard !chain.contains(base), base != url.standardized else {
            throw DataFileError(file: displayPath, field: "extends", message: "'\(relative)' extends itself (a cycle)")
        }
        guard FileManager.default.fileExists(atPath: base.path) else {
            throw DataFileError(file: displayPath, field: "extends", message: "no such base file '\(relative)'")
        }
        let inherited = try resolvedTree(base, data: contents(of: base, displayPath: base.path), displayPath: base.path,
                                         chain: chain + [url.standardized]).tree
        let tree = merge(inherited, stripComments(object))
        return (tree, try JSONSerialization.data(withJSONObject: tree))
    }

    /// The file's bytes, or an error naming it.
    static func contents(of url: URL, displayPath: String) throws -> Data {
        if isEmpty(url) { return Data() }
        do { return try Data(contentsOf: url) } catch {
            throw DataFileError(file: displayPath, field: "", message: "cannot read file (\(error.localizedDescription))")
        }
    }

    /// The file's bytes, nil if it cannot be read (`FileManager.contents(atPath:)` without its leak).
    public static func bytes(at url: URL) -> Data? {
        isEmpty(url) ? Data() : FileManager.default.contents(atPath: url.path)
    }

    /// An empty file is never read: Foundation's reader leaks its 4 KB buffer on one (LeakSanitizer in fuzz/scenes:
    /// an empty data file or policy preset).
    private static func isEmpty(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) == 0
    }

    /// Deep merge of objects; anything else (numbers, arrays) is replaced by the overriding value.
    static func merge(_ base: Any, _ override: Any) -> Any {
        guard var b = base as? [String: Any], let o = override as? [String: Any] else { return override }
        for (k, v) in o { b[k] = b[k].map { merge($0, v) } ?? v }
        return b
    }

    static func stripComments(_ json: Any) -> Any {
        if let o = json as? [String: Any] {
            return o.filter { !$0.key.hasPrefix("_") }.mapValues(stripComments)
        }
        if let a = json as? [Any] { return a.map(stripComments) }
        return json
    }

    /// The first key path present in `read` (the file) but absent from `echo` (the decoded value re-encoded).
    /// Free-form dictionaries (joint → value) echo their own keys, so only schema keys can be reported.
    static func unknownKey(_ read: Any, _ echo: Any, path: String) -> String? {
        if let r = read as? [String: Any], let e = echo as? [String: Any] {
            for key in r.keys.sorted() {
                let p = path.isEmpty ? key : "\(path).\(key)"
                guard let ev = e[key] else {
                    if r[key] is NSNull { continue }  // an explicit null is an absent optional
                    return p
                }
                if let bad = unknownKey(r[key]!, ev, path: p) { return bad }
            }
        } else if let r = read as? [Any], let e = echo as? [Any], r.count == e.count {
            for (i, (rv, ev)) in zip(r, e).enumerated() {
                if let bad = unknownKey(rv, ev, path: "\(path)[\(i)]") { return bad }
            }
        }
        return nil
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
