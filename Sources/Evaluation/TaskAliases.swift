import Foundation
import Sim

/// SimplerEnv's env names (`google_robot_pick_horizontal_coke_can`, `google_robot_open_drawer`) accepted wherever
/// a task is named, read from `scenes/task-aliases.json`, which cites SimplerEnv's `simpler_env/__init__.py`. A name
/// that samples several of SimplerEnv's set-ups stands for all the tasks it samples.
public struct TaskAliases: Sendable {
    public static let fileName = "task-aliases.json"
    /// Alias → the tasks it stands for, in order.
    public let aliases: [String: [String]]

    struct File: Codable { var aliases: [String: [String]] }

    /// The aliases under `root` (none when the file is absent); an alias that is itself a task name, lists no task or
    /// an unknown one is an error naming the file and the alias.
    public static func load(root: URL) throws -> TaskAliases {
        let url = root.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return TaskAliases(aliases: [:]) }
        let file = try DataFile.load(File.self, from: url)
        let tasks = Set(try TaskAssets.taskNames(root: root))
        for (alias, targets) in file.aliases.sorted(by: { $0.key < $1.key }) {
            func bad(_ message: String) -> DataFileError { DataFileError(file: url.path, field: "aliases.\(alias)", message: message) }
            if tasks.contains(alias) { throw bad("is a task name; an alias names what is not") }
            if targets.isEmpty { throw bad("names no task") }
            if let unknown = targets.first(where: { !tasks.contains($0) }) { throw bad("unknown task '\(unknown)'") }
        }
        return TaskAliases(aliases: file.aliases)
    }

    /// `names` with every alias replaced by its tasks, each task once, in the order first named.
    public func resolve(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.flatMap { aliases[$0] ?? [$0] }.filter { seen.insert($0).inserted }
    }

    /// The aliases that name `task` (alone or among others), sorted.
    public func aliases(of task: String) -> [String] {
        aliases.filter { $0.value.contains(task) }.map(\.key).sorted()
    }
}
