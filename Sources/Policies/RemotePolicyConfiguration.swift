import Foundation
import PolicyTransport
import Sim

/// How to talk to one kind of policy server: which observation keys it expects, how many actions of a chunk to
/// execute, and which conventions its actions follow. Stored as JSON under `scenes/policy-presets/<name>.json`
/// (built-in presets) or any user file; docs/policy-servers.md describes every field.
public struct RemotePolicyConfiguration: Codable, Equatable, Sendable {
    /// One camera image sent under `key`: rendered by `camera` at `width`×`height`, uint8, HWC (numpy
    /// `H×W×3`, the openpi/OpenVLA convention) or CHW (openpi ALOHA). With `depth_key` / `segmentation_key` the same
    /// view's depth (float32 `H×W`, metres) and segmentation ids (int32 `H×W`) are sent too.
    public struct Image: Codable, Equatable, Sendable {
        public var key: String
        public var camera: String
        public var width: Int
        public var height: Int
        public var layout: String? = "hwc"
        public var depthKey: String?
        public var segmentationKey: String?
    }
    /// A proprioceptive vector sent under `key`, concatenated from named components (RemoteObservationMapping).
    public struct State: Codable, Equatable, Sendable {
        public var key: String
        public var components: [String]
        /// numpy dtype of the array, `<f4` (openpi's float32) unless given.
        public var dtype: String? = "<f4"
    }
    /// One action adapter, applied in list order to every executed action (RemoteActionAdapters).
    public struct Adapter: Codable, Equatable, Sendable {
        public var name: String
        /// `unnormalize`: statistics JSON (relative to the preset file), the dotted path to the entry inside it
        /// (e.g. `bridge_orig.action`), and `p01_p99` or `mean_std`.
        public var statistics: String?
        public var key: String?
        public var mode: String?
        /// `google_sticky_gripper`: how many control steps a latched command repeats, and how the relative command
        /// is formed (`change`, `change_since_latch`, `openness`; ActionAdapterChain.StickyRelative).
        public var repeatSteps: Int?
        public var relative: String?
        /// `gripper_dead_band`: gripper commands below this magnitude become 0.
        public var threshold: Double?
        static let fields = ["name", "statistics", "key", "mode", "repeat_steps", "relative", "threshold"]
    }
    /// Temporal ensembling of overlapping chunks (SimplerEnv `utils/action/action_ensemble.py`, CogACT
    /// `sim_cogact/adaptive_ensemble.py`): every step, the predictions of the last `window` requests for this step are
    /// averaged with weights exp(−temperature·i), i = 0 for the oldest (`exponential`), or exp(alpha·cos(prediction,
    /// newest prediction)) (`adaptive`). `"ensemble": true` is Octo's plain average (temperature 0).
    public struct Ensemble: Codable, Equatable, Sendable {
        public var weights = "exponential"
        public var temperature: Double?
        public var alpha: Double?
        /// Predictions kept (default: as many as still cover the step, i.e. the chunk length).
        public var window: Int?
        static let fields = ["weights", "temperature", "alpha", "window"]
        public init() {}
        public init(from decoder: Decoder) throws {
            if let plain = try? decoder.singleValueContainer().decode(Bool.self) {
                guard plain else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "false: omit the field instead")) }
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            weights = try c.decodeIfPresent(String.self, forKey: .weights) ?? "exponential"
            temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
            alpha = try c.decodeIfPresent(Double.self, forKey: .alpha)
            window = try c.decodeIfPresent(Int.self, forKey: .window)
        }
    }

    public var description: String?
    public var images: [Image] = []
    public var state: State?
    /// Key of the instruction string (`prompt` for openpi, `instruction` for OpenVLA); nil sends none.
    public var promptKey: String?
    /// Extra constant strings sent with every request (e.g. OpenVLA's `unnorm_key`).
    public var constants: [String: String]?
    /// Adds `__harness__: {task, episode_id, step}` so bridge servers (the replay example) know the episode.
    public var harnessKey: Bool?
    /// Execute this many actions of each predicted chunk before asking again (Vlaser WidowX 4, Google 2;
    /// Vlaser Vlaser_VLA/Simpler configs). Fewer if the server predicts fewer.
    public var execute: Int = 1
    /// Temporal ensembling (Octo, SpatialVLA, CogACT; simplerenv-tasks.md §7): ask every step, execute the weighted
    /// average of the predictions made for this step.
    public var ensemble: Ensemble?
    public var adapters: [Adapter] = []
    /// Action width the simulator takes (SimplerEnv: 7).
    public var actionDim: Int?
    /// tcp:// (RoboTwin): the model method that returns actions, and one to call at each episode start.
    public var command: String?
    public var resetCommand: String?
    /// ws:// (openpi): reconnect at every episode — the protocol has no reset message (engineering-notes.md §1a).
    public var reconnectPerEpisode: Bool?
    public var requestTimeout: Double?
    public var connectTimeout: Double?
    /// Largest reply accepted, bytes (default `defaultMaxReplyBytes`).
    public var maxReplyBytes: Int?

    /// An action chunk is kilobytes, and a reply that echoes the observation a few MB; a server sending more is
    /// refused before the reply is buffered (a 196 MB chunk once peaked at 1.3 GB of memory).
    public static let defaultMaxReplyBytes = 64 << 20
    /// Largest image side a preset may request, pixels (the SimplerEnv and RoboTwin cameras are 640 wide; a
    /// 100000×100000 request would allocate 30 GB).
    public static let maxImageSide = 4096
    /// Longest timeout accepted, seconds (a day: anything longer is a typo).
    public static let maxTimeout = 86_400.0

    /// Directory relative paths inside the file (statistics) are resolved against; set by `load`.
    public var baseDirectory: URL? = nil

    enum CodingKeys: String, CodingKey {
        case description, images, state, promptKey, constants, harnessKey, execute, ensemble, adapters, actionDim
        case command, resetCommand, reconnectPerEpisode, requestTimeout, connectTimeout, maxReplyBytes
    }

    public init() {}

    /// Every field is optional in the file; `images`, `execute` and `adapters` have defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        images = try c.decodeIfPresent([Image].self, forKey: .images) ?? []
        state = try c.decodeIfPresent(State.self, forKey: .state)
        promptKey = try c.decodeIfPresent(String.self, forKey: .promptKey)
        constants = try c.decodeIfPresent([String: String].self, forKey: .constants)
        harnessKey = try c.decodeIfPresent(Bool.self, forKey: .harnessKey)
        execute = try c.decodeIfPresent(Int.self, forKey: .execute) ?? 1
        ensemble = try c.decodeIfPresent(Ensemble.self, forKey: .ensemble)
        adapters = try c.decodeIfPresent([Adapter].self, forKey: .adapters) ?? []
        actionDim = try c.decodeIfPresent(Int.self, forKey: .actionDim)
        command = try c.decodeIfPresent(String.self, forKey: .command)
        resetCommand = try c.decodeIfPresent(String.self, forKey: .resetCommand)
        reconnectPerEpisode = try c.decodeIfPresent(Bool.self, forKey: .reconnectPerEpisode)
        requestTimeout = try c.decodeIfPresent(Double.self, forKey: .requestTimeout)
        connectTimeout = try c.decodeIfPresent(Double.self, forKey: .connectTimeout)
        maxReplyBytes = try c.decodeIfPresent(Int.self, forKey: .maxReplyBytes)
    }

    /// Built-in presets live in `<scenes>/policy-presets/`.
    public static func presetDirectory(scenesRoot: URL) -> URL { scenesRoot.appendingPathComponent("policy-presets") }

    public static func presetNames(scenesRoot: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: presetDirectory(scenesRoot: scenesRoot).path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// A preset name (`vlaser-simpler-widowx`) or a path to a JSON file.
    public static func load(_ nameOrPath: String, scenesRoot: URL) throws -> RemotePolicyConfiguration {
        let asFile = URL(fileURLWithPath: nameOrPath)
        let url = nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") ? asFile
            : presetDirectory(scenesRoot: scenesRoot).appendingPathComponent("\(nameOrPath).json")
        guard let data = DataFile.bytes(at: url) else {
            let known = presetNames(scenesRoot: scenesRoot).joined(separator: ", ")
            throw RemotePolicyError.configuration("\(url.path): no such policy preset or file (built-in presets: \(known))")
        }
        var c: RemotePolicyConfiguration
        do {
            let d = JSONDecoder()
            d.keyDecodingStrategy = .convertFromSnakeCase
            c = try d.decode(RemotePolicyConfiguration.self, from: data)
        } catch let DecodingError.keyNotFound(k, ctx) {
            throw RemotePolicyError.configuration("\(url.path): missing field '\(path(ctx.codingPath + [k]))'")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw RemotePolicyError.configuration("\(url.path): field '\(path(ctx.codingPath))' has the wrong type")
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw RemotePolicyError.configuration("\(url.path): field '\(path(ctx.codingPath))' is null")
        } catch {
            throw RemotePolicyError.configuration("\(url.path): not valid JSON (\(error.localizedDescription))")
        }
        // A misspelt field would otherwise be silently ignored.
        let known = Set(["_source"] + ["description", "images", "state", "prompt_key", "constants", "harness_key", "execute", "ensemble",
                                       "adapters", "action_dim", "command", "reset_command", "reconnect_per_episode",
                                       "request_timeout", "connect_timeout", "max_reply_bytes"])
        if let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            try rejectUnknown(top, known: known, at: "", file: url.path)
            for (i, a) in ((top["adapters"] as? [[String: Any]]) ?? []).enumerated() {
                try rejectUnknown(a, known: Set(Adapter.fields), at: "adapters[\(i)].", file: url.path)
            }
            if let e = top["ensemble"] as? [String: Any] { try rejectUnknown(e, known: Set(Ensemble.fields), at: "ensemble.", file: url.path) }
        }
        c.baseDirectory = url.deletingLastPathComponent()
        try c.validate(file: url.path)
        return c
    }

    static func rejectUnknown(_ object: [String: Any], known: Set<String>, at prefix: String, file: String) throws {
        if let extra = object.keys.sorted().first(where: { !known.contains($0) && $0 != "_source" }) {
            throw RemotePolicyError.configuration("\(file): unknown field '\(prefix)\(extra)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    func validate(file: String) throws {
        func bad(_ field: String, _ why: String) -> RemotePolicyError { .configuration("\(file): field '\(field)' \(why)") }
        guard execute >= 1 else { throw bad("execute", "must be ≥ 1, got \(execute)") }
        for (i, im) in images.enumerated() {
            guard (1...Self.maxImageSide).contains(im.width), (1...Self.maxImageSide).contains(im.height) else {
                throw bad("images[\(i)]", "needs a width and height of 1…\(Self.maxImageSide) pixels, got \(im.width)×\(im.height)")
            }
            guard ["hwc", "chw"].contains(im.layout ?? "hwc") else { throw bad("images[\(i)].layout", "must be hwc or chw, got '\(im.layout!)'") }
        }
        if let s = state {
            guard NDArray.DType(numpy: s.dtype ?? "<f4") != nil else { throw bad("state.dtype", "is not a numpy dtype: '\(s.dtype!)'") }
            for (i, c) in s.components.enumerated() where RemoteObservationMapping.stateWidth(c) == nil {
                throw bad("state.components[\(i)]", "unknown component '\(c)' (known: \(RemoteObservationMapping.componentNames.joined(separator: ", ")))")
            }
        }
        if let e = ensemble {
            guard ActionEnsembler.weightings.contains(e.weights) else {
                throw bad("ensemble.weights", "must be one of \(ActionEnsembler.weightings.joined(separator: ", ")), got '\(e.weights)'")
            }
            if let w = e.window, w < 1 { throw bad("ensemble.window", "must be ≥ 1, got \(w)") }
        }
        for (name, t) in [("request_timeout", requestTimeout), ("connect_timeout", connectTimeout)] {
            if let t, !(t > 0 && t <= Self.maxTimeout) { throw bad(name, "must be in (0, \(Int(Self.maxTimeout))] seconds, got \(t)") }
        }
        if let m = maxReplyBytes, m < 1 { throw bad("max_reply_bytes", "must be ≥ 1, got \(m)") }
        for (i, a) in adapters.enumerated() {
            guard ActionAdapterChain.names.contains(a.name) else {
                throw bad("adapters[\(i)].name", "unknown adapter '\(a.name)' (known: \(ActionAdapterChain.names.joined(separator: ", ")))")
            }
            let modes = ActionAdapterChain.StickyRelative.allCases.map(\.rawValue)
            if let r = a.relative, !modes.contains(r) {
                throw bad("adapters[\(i)].relative", "must be one of \(modes.joined(separator: ", ")), got '\(r)'")
            }
        }
    }
}

/// What `--on-policy-error` asks the runner to do when a remote policy fails during an episode. In every case the
/// episode is recorded with status `error` and the reason (never as a `failure`).
public enum OnPolicyError: String, CaseIterable, Codable, Sendable {
    /// Reconnect and resend the failed request (up to `RemotePolicy.retryLimit` times, with backoff) before
    /// giving the episode up; then go on with the next episode.
    case retry
    /// Give the episode up at once and go on with the next one.
    case skip
    /// Give the episode up and stop the run (remaining episodes are not run; non-zero exit).
    case abort
}

public enum RemotePolicyError: Error, CustomStringConvertible, Equatable {
    case configuration(String)
    case observation(String)
    case invalidAction(String)
    case reply(String)
    public var description: String {
        switch self {
        case .configuration(let s): return "policy preset: \(s)"
        case .observation(let s): return "remote policy observation: \(s)"
        case .invalidAction(let s): return "remote policy returned an invalid action: \(s)"
        case .reply(let s): return "remote policy reply: \(s)"
        }
    }
}
