import Foundation
import PolicyTransport
import Sim

/// A policy served by another process (`--policy ws://…`, `http://…/act`, `tcp://…`): maps each observation
/// to the server's keys, executes K of each predicted chunk (or ensembles), and converts actions to the
/// simulator's convention. Any transport or action error is thrown, so the runner marks the episode `error`.
public final class RemotePolicy: Policy {
    /// `--on-policy-error retry`: resend attempts after the first failure, with backoff starting at 0.5 s.
    public static let retryLimit = 3
    static let retryBackoff = 0.5

    public let endpoint: Endpoint
    public let configuration: RemotePolicyConfiguration
    /// The preset's name or file, for messages.
    public let presetName: String
    public var onError: OnPolicyError
    let mapping: RemoteObservationMapping
    let adapters: ActionAdapterChain
    let connection: RemoteConnection
    private var episode: EpisodeContext?
    let ensembler: ActionEnsembler?
    /// The action rows of each reply of the current episode as the server sent them, before ensembling and the
    /// adapters (kept beside the executed actions, `actions/<task>/<episode>.raw.jsonl`, to debug a conversion).
    public private(set) var replies: [(step: Int, rows: [[Double]])] = []

    public static func isRemote(_ spec: String) -> Bool {
        ["ws://", "http://", "tcp://"].contains { spec.lowercased().hasPrefix($0) }
    }

    /// Environment variable naming the preset (name or file) when the command line gives none; worker processes
    /// inherit it.
    public static let presetVariable = "VLASER_POLICY_PRESET"
    /// `--policy URL` with an optional preset (else `$VLASER_POLICY_PRESET`, else the suite's default for the URL's
    /// scheme, `defaultPresets`, from `scenes/suites.json`). `execute` overrides the preset's number of executed
    /// actions per chunk (`--execute K`).
    public static func fromSpec(_ spec: String, preset: String? = nil, defaultPresets: [String: String] = [:],
                                scenesRoot: URL = SceneLibrary.defaultRoot(), onError: OnPolicyError = .skip,
                                execute: Int? = nil) throws -> RemotePolicy {
        let endpoint = try Endpoint(spec)
        guard let name = preset ?? ProcessInfo.processInfo.environment[presetVariable].flatMap({ $0.isEmpty ? nil : $0 })
                ?? defaultPresets[endpoint.scheme.rawValue] else {
            throw RemotePolicyError.configuration("no default preset for \(endpoint.scheme.rawValue):// policies on this suite; pass --policy-preset NAME|FILE (built-in: \(RemotePolicyConfiguration.presetNames(scenesRoot: scenesRoot).joined(separator: ", ")))")
        }
        var configuration = try RemotePolicyConfiguration.load(name, scenesRoot: scenesRoot)
        if let execute {
            guard execute >= 1 else { throw RemotePolicyError.configuration("--execute must be ≥ 1, got \(execute)") }
            configuration.execute = execute
        }
        return try RemotePolicy(url: spec, configuration: configuration, presetName: name, onError: onError)
    }

    public init(url: String, configuration: RemotePolicyConfiguration, presetName: String = "custom", onError: OnPolicyError = .skip) throws {
        endpoint = try Endpoint(url)
        self.presetName = presetName
        self.configuration = configuration
        self.onError = onError
        mapping = RemoteObservationMapping(configuration)
        adapters = try ActionAdapterChain(configuration)
        connection = RemoteConnection(endpoint: endpoint, configuration: configuration)
        ensembler = configuration.ensemble.map(ActionEnsembler.init)
    }

    public var observationSpec: ObservationSpec { ObservationSpec(cameras: mapping.cameraRequests) }

    /// One readiness probe (no retries): the protocol's own handshake — the websocket upgrade and openpi metadata
    /// frame, any HTTP answer, a TCP connection (RoboTwin's framing has no ping). Throws the transport error.
    public func probe(connectTimeout: Double) throws { try connection.probe(connectTimeout: connectTimeout) }

    public func reset(_ episode: EpisodeContext) throws {
        self.episode = episode
        replies = []
        ensembler?.reset()
        adapters.reset()
        adapters.actionSpace = episode.actionSpace
        let identity = configuration.harnessKey == true ? RemoteObservationMapping.harness(episode, step: 0) : nil
        try withRetry { try connection.beginEpisode(identity) }
    }

    public func act(_ observation: Observation) throws -> [[Double]] {
        let request = try mapping.request(observation, episode: episode)
        // Ensembling uses every row that covers a later step of the episode; otherwise `execute` rows run.
        let needed = ensembler != nil ? (episode?.maxSteps ?? Int.max) : configuration.execute
        let rows = try withRetry { try connection.chunk(request, limit: needed) }
        replies.append((observation.step, rows))
        let raw = try ensembler.map { [try $0.action(predicted: rows, at: observation.step)] }
            ?? Array(rows.prefix(configuration.execute))
        return try raw.map { try adapters.adapt($0) }
    }

    /// Open after the retries of one request were all spent: the server is down, so later requests try once, with
    /// one connection attempt, until one succeeds — each episode then costs milliseconds instead of the ≈30 s of a
    /// full retry cycle, and the first answer closes the circuit again.
    private(set) var circuitOpen = false

    /// Runs `body`; under `--on-policy-error retry`, reconnects and tries again on a transport failure.
    private func withRetry<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        let retries = circuitOpen ? 0 : Self.retryLimit
        while true {
            do {
                let result = try body()
                if circuitOpen { setCircuit(open: false) }
                return result
            } catch let e as TransportError where onError == .retry && attempt < retries {
                attempt += 1
                FileHandle.standardError.write(Data("remote policy: \(String("\(e)".prefix(500))) — retry \(attempt)/\(Self.retryLimit)\n".utf8))
                usleep(UInt32(Self.retryBackoff * Double(1 << (attempt - 1)) * 1e6))
                try? connection.reconnect()
            } catch let e as TransportError where onError == .retry && !circuitOpen {
                FileHandle.standardError.write(Data("remote policy: \(endpoint) still failing after \(Self.retryLimit) retries; later requests try once until it answers\n".utf8))
                setCircuit(open: true)
                throw e
            }
        }
    }

    private func setCircuit(open: Bool) {
        circuitOpen = open
        connection.options.connectAttempts = open ? 1 : ClientOptions().connectAttempts
    }

    deinit { connection.close() }
}
