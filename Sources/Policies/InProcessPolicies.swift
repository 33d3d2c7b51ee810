import Foundation
import Sim
import VLMath

/// Sends the all-zero action of the task's action space every step (for SimplerEnv's absolute WidowX gripper,
/// g = 0 means half open).
public final class ZeroPolicy: Policy {
    private var width = 0
    public init() {}
    public var observationSpec: ObservationSpec { .none }
    public func reset(_ episode: EpisodeContext) throws { width = try episode.requireActionSpace().dimension }
    public func act(_ observation: Observation) throws -> [[Double]] { [Array(repeating: 0, count: width)] }
}

/// Uniform random actions, seeded per episode, each entry drawn from the action space's `random` range (for
/// SimplerEnv RT-1's Bridge action bounds after rescaling, ±0.05 m and ±0.25 rad, simplerenv-tasks.md §7); an
/// entry marked `binary` takes one of its two ends (the ±1 gripper), each with probability ½.
public final class RandomPolicy: Policy {
    private var rng = SeededRandom(seed: 0)
    private var ranges: [ActionSpace.Range] = []
    public init() {}
    public var observationSpec: ObservationSpec { .none }
    public func reset(_ episode: EpisodeContext) throws {
        rng = SeededRandom(seed: episode.seed)
        let space = try episode.requireActionSpace()
        ranges = try space.entries.map { e in
            guard let r = e.random else { throw PolicyError.unusable("random: action entry '\(e.name)' declares no random range") }
            return r
        }
    }
    public func act(_ observation: Observation) throws -> [[Double]] {
        [ranges.map { r in r.binary == true ? (rng.unit() < 0.5 ? r.low : r.high) : rng.uniform(r.low, r.high) }]
    }
}

/// One recorded action per line: `{"step": k, "action": [...]}`, in the task's action space (docs/results-schema.md).
public enum ActionLog {
    public struct Line: Codable, Equatable { public var step: Int; public var action: [Double] }

    /// File of an episode's actions inside a run directory: `actions/<task>/<episode id with / → __>.jsonl`.
    public static func path(runDirectory: URL, task: String, episodeID: String) -> URL {
        runDirectory.appendingPathComponent("actions/\(task)/\(episodeID.replacingOccurrences(of: "/", with: "__")).jsonl")
    }

    public static func read(_ url: URL) throws -> [[Double]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PolicyError.badReplay("\(url.path): cannot read the action file")
        }
        var actions: [[Double]] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(raw.utf8)), !line.action.isEmpty else {
                throw PolicyError.badReplay("\(url.path):\(n + 1): expected {\"step\": k, \"action\": [numbers]}")
            }
            actions.append(line.action)
        }
        return actions
    }

    public static func encode(step: Int, action: [Double]) -> String {
        "{\"action\":[" + action.map { "\($0)" }.joined(separator: ",") + "],\"step\":\(step)}"
    }

    /// A remote policy's reply as received, `actions/<task>/<episode>.raw.jsonl` beside the executed actions: one
    /// line per request, `{"reply": [[row], …], "step": k}` (the rows before ensembling and adapters).
    public static func rawPath(runDirectory: URL, task: String, episodeID: String) -> URL {
        path(runDirectory: runDirectory, task: task, episodeID: episodeID).deletingPathExtension().appendingPathExtension("raw.jsonl")
    }

    public static func encodeRaw(step: Int, rows: [[Double]]) -> String {
        "{\"reply\":[" + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "],\"step\":\(step)}"
    }
}

/// Replays recorded actions: `replay:FILE.jsonl` (the same actions every episode) or `replay:RUN_DIR`
/// (each episode's own file under `RUN_DIR/actions/`). After the last recorded action it sends zeros.
public final class ReplayPolicy: Policy {
    let source: URL
    private var actions: [[Double]] = []
    private var next = 0
    private var width = 0

    public init(source: URL) throws {
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw PolicyError.badReplay("\(source.path): no such replay file or run directory")
        }
        self.source = source
    }
    public var observationSpec: ObservationSpec { .none }

    /// The action file of one episode: `DIR/actions/<task>/<id>.jsonl` for a run directory, else the file itself.
    func file(task: String, episodeID: String) -> URL {
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: source.path, isDirectory: &isDir)
        return isDir.boolValue ? ActionLog.path(runDirectory: source, task: task, episodeID: episodeID) : source
    }

    /// Why this replay cannot serve `episodes` (`(task, id)` pairs), or nil: a run directory must hold an action file
    /// for each of them (a merged run has records but no `actions/`; replay the shard directories instead).
    public func firstMissing(_ episodes: [(task: String, id: String)]) -> String? {
        let missing = episodes.filter { !FileManager.default.fileExists(atPath: file(task: $0.task, episodeID: $0.id).path) }
        guard let first = missing.first else { return nil }
        return "\(file(task: first.task, episodeID: first.id).path) missing (\(missing.count) of \(episodes.count) planned episodes have no recorded actions; a merged run keeps no actions/ — replay its shard directories)"
    }

    public func reset(_ episode: EpisodeContext) throws {
        actions = try ActionLog.read(file(task: episode.task, episodeID: episode.episodeID))
        width = try episode.requireActionSpace().dimension
        next = 0
    }

    public func act(_ observation: Observation) throws -> [[Double]] {
        defer { next += 1 }
        return [next < actions.count ? actions[next] : Array(repeating: 0, count: width)]
    }
}

public enum PolicyError: Error, CustomStringConvertible {
    case unknown(String)
    case badReplay(String)
    case missingPrivilegedState
    /// The policy cannot act in this task (what it lacks).
    case unusable(String)
    public var description: String {
        switch self {
        case .unknown(let s): return "unknown policy '\(s)' (expected scripted, zero, random, replay:PATH, ws://, http:// or tcp://)"
        case .badReplay(let s): return "replay: \(s)"
        case .unusable(let s): return s
        case .missingPrivilegedState: return "the scripted expert needs privileged state, which this task does not provide"
        }
    }
}

extension EpisodeContext {
    /// The task's action space; in-process policies that emit actions of their own need it.
    func requireActionSpace() throws -> ActionSpace {
        guard let actionSpace else { throw PolicyError.unusable("this policy needs the task's action space at reset") }
        return actionSpace
    }
}
