import ArgumentParser
import Foundation
import Yams

/// `--config FILE`: a YAML or JSON mapping whose keys are a command's long option names (`suite: widowx`,
/// `task: [a, b]`, `record: true`), expanded into the arguments the parser reads. Flags on the command line win:
/// a key the command line also names is dropped from the file. A key the command does not have, a list for an option
/// that takes one value, or a value of the wrong kind is an error naming the file and the key — a misspelt setting
/// must not be ignored. The keys are read from the command's own declaration (`_dumpHelp`), never listed twice.
public enum ConfigFile {
    /// The option that names the file.
    public static let option = "config"

    /// `arguments` (without the program name) with the settings of the `--config` file, if any, inserted after the
    /// subcommand names; unchanged when the command that `arguments` select declares no `--config`.
    public static func expand(_ arguments: [String], root: ParsableCommand.Type) throws -> [String] {
        guard let path = value(of: option, in: arguments) else { return arguments }
        let (command, depth) = select(root, arguments)
        let declared = try Declared(command)
        guard declared.options[option] != nil else { return arguments }
        let settings = try load(path)
        let named = Set(arguments.dropFirst(depth).compactMap(longName))
        var expanded: [String] = []
        for key in settings.keys.sorted() where !named.contains(key) {
            expanded += try declared.arguments(key, settings[key]!, file: path)
        }
        return Array(arguments.prefix(depth)) + expanded + arguments.dropFirst(depth)
    }

    /// The value of `--name V` or `--name=V` (the last one given).
    static func value(of name: String, in arguments: [String]) -> String? {
        var found: String?
        for (i, a) in arguments.enumerated() {
            if a == "--" { break }
            if a == "--\(name)", i + 1 < arguments.count { found = arguments[i + 1] }
            if a.hasPrefix("--\(name)=") { found = String(a.dropFirst(name.count + 3)) }
        }
        return found
    }

    static func longName(_ argument: String) -> String? {
        guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
        return String(argument.dropFirst(2).prefix { $0 != "=" })
    }

    /// The subcommand `arguments` select (following the default subcommand) and how many leading arguments name it.
    static func select(_ root: ParsableCommand.Type, _ arguments: [String]) -> (ParsableCommand.Type, Int) {
        var command = root, depth = 0
        while true {
            let subcommands = command.configuration.subcommands
            if depth < arguments.count, let next = subcommands.first(where: { $0._commandName == arguments[depth] }) {
                command = next; depth += 1
            } else if let fallback = command.configuration.defaultSubcommand {
                command = fallback
            } else {
                return (command, depth)
            }
        }
    }

    /// The file's settings: a mapping of names to values.
    static func load(_ path: String) throws -> [String: Any] {
        func bad(_ message: String) -> CLIError {
            CLIError(message: "\(path): \(message.split(whereSeparator: \.isNewline).joined(separator: " "))", code: ExitStatus.badInput)
        }
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw bad("cannot read the --config file (missing or not UTF-8 text)")
        }
        let parsed: Any?
        switch url.pathExtension.lowercased() {
        case "json":
            do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
                throw bad("is not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"))")
            }
        case "yaml", "yml":
            do { parsed = try Yams.load(yaml: text) } catch { throw bad("is not valid YAML (\(error))") }
        default:
            throw bad("a --config file ends in .yaml, .yml or .json")
        }
        guard let settings = parsed as? [String: Any] else { throw bad("expected a mapping of option names to values") }
        return settings
    }

    /// The long names a command declares, and for each whether it is a flag and whether it repeats.
    struct Declared {
        struct Argument { let flag: Bool; let repeats: Bool }
        var options: [String: Argument] = [:]

        init(_ command: ParsableCommand.Type) throws {
            struct Dump: Decodable {
                struct Command: Decodable { let arguments: [Arg]? }
                struct Arg: Decodable {
                    struct Name: Decodable { let kind: String; let name: String }
                    let kind: String; let shouldDisplay: Bool; let isRepeating: Bool; let names: [Name]?
                }
                let command: Command
            }
            let dump = try JSONDecoder().decode(Dump.self, from: Data(command._dumpHelp().utf8))
            for a in dump.command.arguments ?? [] where a.shouldDisplay && a.kind != "positional" {
                for n in a.names ?? [] where n.kind == "long" && !["help", "version"].contains(n.name) {
                    options[n.name] = Argument(flag: a.kind == "flag", repeats: a.isRepeating)
                }
            }
        }

        /// A YAML (Swift `Bool`) or JSON (`NSNumber` of a boolean) truth value; nil for anything else, numbers included.
        static func boolean(_ value: Any) -> Bool? {
            if type(of: value) is NSNumber.Type, let n = value as? NSNumber {
                return String(cString: n.objCType) == "c" ? n.boolValue : nil
            }
            return type(of: value) == Bool.self ? value as? Bool : nil
        }

        /// The command-line arguments that setting `key` to `value` stands for.
        func arguments(_ key: String, _ value: Any, file: String) throws -> [String] {
            func bad(_ message: String) -> CLIError { CLIError(message: "\(file): key '\(key)': \(message)", code: ExitStatus.badInput) }
            guard key != ConfigFile.option, let argument = options[key] else {
                throw bad("unknown (the keys are the long options: \(options.keys.filter { $0 != ConfigFile.option }.sorted().joined(separator: ", ")))")
            }
            if argument.flag {
                guard let on = Self.boolean(value) else { throw bad("expected true or false") }
                return on ? ["--\(key)"] : []
            }
            let values = try (value as? [Any] ?? [value]).map { item -> String in
                if Self.boolean(item) == nil, type(of: item) is NSNumber.Type, let n = item as? NSNumber { return n.stringValue }  // JSON
                switch item {
                case let s as String: return s
                case let i as Int: return String(i)
                case let d as Double: return String(d)
                default: throw bad("expected a string or a number, got \(item)")
                }
            }
            guard values.count == 1 || argument.repeats else { throw bad("takes one value, got a list of \(values.count)") }
            return values.flatMap { ["--\(key)", $0] }
        }
    }
}

/// `--task a,b` means `--task a --task b`, wherever an option repeats.
public enum CommaList {
    public static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}

/// The `--config FILE` option of a command (ProgramMain reads the file before parsing).
public struct ConfigFileOption: ParsableArguments {
    public init() {}
    @Option(help: "YAML or JSON file of settings: keys are the long option names (`task: [a, b]`, `record: true`); options on the command line win (docs/cli.md).")
    public var config: String?
}
