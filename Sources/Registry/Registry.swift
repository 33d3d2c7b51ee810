/// A table of named implementations — success predicates, controllers, experts, action adapters, protocols,
/// reasoning parsers — that replaces string switches: adding one is one registration line, and looking up an
/// unknown name fails with the list of known ones (the caller adds the file and field it came from).
public struct Registry<Entry> {
    /// What the entries are, for messages ("success predicate", "controller").
    public let kind: String
    private var entries: [(name: String, entry: Entry)] = []

    public init(_ kind: String, _ entries: [(String, Entry)] = []) {
        self.kind = kind
        for (name, entry) in entries { register(name, entry) }
    }

    /// Adds `entry` under `name`; registering a name twice is a programming error.
    public mutating func register(_ name: String, _ entry: Entry) {
        precondition(!entries.contains { $0.name == name }, "\(kind) '\(name)' is registered twice")
        entries.append((name, entry))
    }

    public var names: [String] { entries.map(\.name).sorted() }
    public func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }

    /// The entry registered as `name`, or an error listing the known names.
    public func lookup(_ name: String) throws -> Entry {
        guard let e = entries.first(where: { $0.name == name }) else {
            throw UnknownName(kind: kind, name: name, known: names)
        }
        return e.entry
    }
}

/// `unknown controller 'x' (known: a, b)`.
public struct UnknownName: Error, CustomStringConvertible, Equatable {
    public let kind: String
    public let name: String
    public let known: [String]
    public init(kind: String, name: String, known: [String]) { self.kind = kind; self.name = name; self.known = known }
    public var description: String { "unknown \(kind) '\(name)' (known: \(known.joined(separator: ", ")))" }
}
