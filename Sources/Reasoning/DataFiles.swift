import Foundation

/// A usage or data error: the CLI prints `message` and exits with status 2.
public struct ReasonError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One benchmark's data folder. Every path a data file names is resolved here, so a file cannot reach outside
/// the data root with `..` or an absolute path (issue 5: "image paths confined to the data root").
public struct DataRoot {
    public let url: URL

    public init(_ url: URL) { self.url = url.standardizedFileURL }

    /// Resolves `relative` (as written in `file`) under `base` (default: the root), rejecting escapes.
    public func resolve(_ relative: String, in file: String, base: URL? = nil) throws -> URL {
        if relative.isEmpty { throw ReasonError("\(file): empty path") }
        if relative.hasPrefix("/") || relative.hasPrefix("~") || relative.contains("\\") {
            throw ReasonError("\(file): path \"\(relative)\" must be relative to the data folder")
        }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        if parts.contains("..") { throw ReasonError("\(file): path \"\(relative)\" leaves the data folder (\"..\")") }
        var resolved = base ?? url
        for part in parts where part != "." { resolved.appendPathComponent(String(part)) }
        let rootPath = url.path.hasSuffix("/") ? url.path : url.path + "/"
        guard resolved.standardizedFileURL.path.hasPrefix(rootPath) else {
            throw ReasonError("\(file): path \"\(relative)\" leaves the data folder")
        }
        // A symbolic link inside the folder may point anywhere (`img0.jpg -> /etc/x` would be uploaded): the real
        // path must stay under the real root too.
        let realRoot = url.resolvingSymlinksInPath().path
        guard resolved.resolvingSymlinksInPath().path.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
            throw ReasonError("\(file): path \"\(relative)\" leaves the data folder (a symbolic link to \(resolved.resolvingSymlinksInPath().path))")
        }
        return resolved
    }

    /// A file that must exist; the error names the benchmark file that referred to it.
    public func existing(_ relative: String, in file: String, base: URL? = nil) throws -> URL {
        let u = try resolve(relative, in: file, base: base)
        guard FileManager.default.fileExists(atPath: u.path) else {
            throw ReasonError("\(file): referenced file \(u.path) does not exist")
        }
        return u
    }

    /// Parses a JSON file (object or array).
    public func json(_ relative: String) throws -> Any {
        let u = try existing(relative, in: url.lastPathComponent)
        do { return try JSONSerialization.jsonObject(with: Data(contentsOf: u), options: [.fragmentsAllowed]) } catch {
            throw ReasonError("\(u.path): invalid JSON (\(error.localizedDescription))")
        }
    }

    /// Parses a JSON-lines file: one object per non-empty line; errors name the line.
    public func jsonLines(_ relative: String) throws -> [[String: Any]] {
        let u = try existing(relative, in: url.lastPathComponent)
        return try JSONLines.read(u)
    }

    /// Sorted names of regular files in a sub-folder (frames, examples).
    public func listFiles(_ folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }
}

public enum JSONLines {
    public static func read(_ url: URL) throws -> [[String: Any]] {
        let text = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        var rows: [[String: Any]] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let obj = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw ReasonError("\(url.path):\(i + 1): not a JSON object")
            }
            rows.append(obj)
        }
        return rows
    }

    /// Serialises one object as a single line with sorted keys (byte-stable output).
    public static func line(_ object: [String: Any]) -> Data {
        var d = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        d.append(0x0A)
        return d
    }
}

/// Typed access to a decoded JSON record with errors that name the file, record and field.
public struct Record {
    public let fields: [String: Any]
    public let origin: String

    public init(_ fields: [String: Any], origin: String) { self.fields = fields; self.origin = origin }

    public func string(_ key: String) throws -> String {
        if let s = fields[key] as? String { return s }
        if let n = fields[key] as? NSNumber { return n.stringValue }
        throw ReasonError("\(origin): field \"\(key)\" missing or not a string")
    }

    public func optionalString(_ key: String) -> String? {
        if let s = fields[key] as? String { return s }
        if let n = fields[key] as? NSNumber { return n.stringValue }
        return nil
    }

    public func int(_ key: String) throws -> Int {
        if let n = fields[key] as? NSNumber { return n.intValue }
        if let s = fields[key] as? String, let v = Int(s) { return v }
        throw ReasonError("\(origin): field \"\(key)\" missing or not an integer")
    }

    public func array(_ key: String) throws -> [Any] {
        guard let a = fields[key] as? [Any] else { throw ReasonError("\(origin): field \"\(key)\" missing or not a list") }
        return a
    }
}

/// Writes `data` to `url` atomically (temp file + rename), so an interrupted run never leaves half a file.
func writeAtomically(_ data: Data, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url, options: .atomic)
}

func sortedJSON(_ object: Any) throws -> Data {
    var d = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    d.append(0x0A)
    return d
}
