import Foundation


/// One line of `episodes.jsonl` (docs/results-schema.md).
public struct EpisodeResult: Codable, Sendable, Equatable, ResultFile {
    public var schemaVersion = 1
    public var episodeID: String
    public var suite: String
    public var task: String
    public var variant: String
    public var episodeIndex: Int
    public var repeatIndex: Int
    public var seed: UInt64
    public var instruction: String
    public var status: String
    public var success: Bool
    /// nil (JSON null) when the task has no grasp metric.
    public var grasped: Bool?
    public var error: String?
    public var steps: Int
    public var simTime: Double
    public var wallTime: Double
    public var stats: [String: Bool]
    /// Where the wall time went (policy, physics, rendering); nil for an episode that never started.
    public var timing: EpisodeTiming?
    /// The scene the policy first saw (after reset, before the first action); nil in records written before it
    /// existed, which still resume and merge.
    public var initialState: InitialState?

    public init(episodeID: String, suite: String, task: String, variant: String, episodeIndex: Int, repeatIndex: Int,
                seed: UInt64, instruction: String, status: String, success: Bool, grasped: Bool?, error: String?, steps: Int,
                simTime: Double, wallTime: Double, stats: [String: Bool]) {
        self.episodeID = episodeID; self.suite = suite; self.task = task; self.variant = variant
        self.episodeIndex = episodeIndex; self.repeatIndex = repeatIndex; self.seed = seed; self.instruction = instruction
        self.status = status; self.success = success; self.grasped = grasped; self.error = error; self.steps = steps
        self.simTime = simTime; self.wallTime = wallTime; self.stats = stats
    }

    enum CodingKeys: String, CodingKey {
        case suite, task, variant, seed, instruction, status, success, grasped, error, steps, stats
        case schemaVersion = "schema_version", episodeID = "episode_id", episodeIndex = "episode_index"
        case repeatIndex = "repeat", simTime = "sim_time_s", wallTime = "wall_time_s", timing
        case initialState = "initial_state"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion); try c.encode(episodeID, forKey: .episodeID)
        try c.encode(suite, forKey: .suite); try c.encode(task, forKey: .task); try c.encode(variant, forKey: .variant)
        try c.encode(episodeIndex, forKey: .episodeIndex); try c.encode(repeatIndex, forKey: .repeatIndex)
        try c.encode(seed, forKey: .seed); try c.encode(instruction, forKey: .instruction)
        try c.encode(status, forKey: .status); try c.encode(success, forKey: .success)
        try c.encode(grasped, forKey: .grasped)  // explicit null for tasks without a grasp metric
        try c.encode(error, forKey: .error)  // explicit null when absent (the schema lists it)
        try c.encode(steps, forKey: .steps); try c.encode(simTime, forKey: .simTime)
        try c.encode(wallTime, forKey: .wallTime); try c.encode(stats, forKey: .stats)
        try c.encodeIfPresent(timing, forKey: .timing)
        try c.encodeIfPresent(initialState, forKey: .initialState)
    }

    public var isError: Bool { status == "error" }

    /// Longest `error` kept, in characters: a server's error text is stored in every episode it breaks, and one
    /// faulty server sent 20 MB websocket text frames. Python tracebacks say what happened at both ends (the call
    /// at the top, the exception at the bottom), so the head and the tail are kept.
    public static let maxErrorLength = 4000

    /// `text` unchanged when short; else its first and last `maxErrorLength / 2` characters around a marker.
    public static func boundedError(_ text: String) -> String {
        guard text.count > maxErrorLength else { return text }
        let half = maxErrorLength / 2
        return text.prefix(half) + "\n… [\(text.count - 2 * half) characters omitted] …\n" + text.suffix(half)
    }

    /// The scoreboard's view of this record (summaries and merging are computed there, one implementation).
    public func summaryRecord() throws -> EpisodeRecord {
        EpisodeRecord(episodeId: episodeID, task: task, variant: variant, status: status, success: success,
                                 grasped: grasped, steps: steps, wallTime: wallTime, timing: timing,
                                 instruction: instruction, line: try JSONCoding.encoder.encode(self))
    }
}

/// An episode's initial scene in world coordinates: poses as `[x, y, z, qw, qx, qy, qz]` (metres, unit quaternion),
/// joint positions in radians (metres for prismatic fingers), so an episode can be inspected or re-created elsewhere.
public struct InitialState: Codable, Sendable, Equatable {
    /// Object role (`source`, `target`, …) → pose.
    public var objects: [String: [Double]]
    public var robotBase: [Double]
    public var robotQpos: [String: Double]
    public init(objects: [String: [Double]], robotBase: [Double], robotQpos: [String: Double]) {
        self.objects = objects; self.robotBase = robotBase; self.robotQpos = robotQpos
    }
    enum CodingKeys: String, CodingKey { case objects, robotBase = "robot_base", robotQpos = "robot_qpos" }
}
