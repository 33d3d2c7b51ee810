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
    public var onError: OnPolicyError
    let mapping: RemoteObservationMapping
    let adapters: ActionAdapterChain
    let connection: RemoteConnection
    private var episode: EpisodeContext?
    /// Temporal ensembling: every chunk predicted this episode that still covers a future step, by start step.
    private var predictions: [(start: Int, rows: [[Double]])] = []

    public static func isRemote(_ spec: String) -> Bool {
        ["ws://", "http://", "tcp://"].contains { spec.lowercased().hasPrefix($0) }
    }

    /// Environment variable naming the preset (name or file) when the command line gives none; worker processes
    /// inherit it.
    public static let presetVariable = "VLASER_POLICY_PRESET"
    /// The preset used for each scheme when none is named: Vlaser's WidowX inputs over openpi, OpenVLA's `/act`,
    /// RoboTwin's head camera + joints.
    public static let defaultPresets: [Endpoint.Scheme: String] = [.ws: "vlaser-simpler-widowx", .http: "openvla", .tcp: "robotwin-head"]

    /// `--policy URL` with an optional preset (else `$VLASER_POLICY_PRESET`, else the scheme's default).
    /// `execute` overrides the preset's number of executed actions per chunk (`--execute K`).
    public static func fromSpec(_ spec: String, preset: String? = nil, scenesRoot: URL = SceneLibrary.defaultRoot(),
                                onError: OnPolicyError = .skip, execute: Int? = nil) throws -> RemotePolicy {
        let endpoint = try Endpoint(spec)
        let name = preset ?? ProcessInfo.processInfo.environment[presetVariable].flatMap { $0.isEmpty ? nil : $0 }
            ?? defaultPresets[endpoint.scheme]!
        var configuration = try RemotePolicyConfiguration.load(name, scenesRoot: scenesRoot)
        if let execute {
            guard execute >= 1 else { throw RemotePolicyError.configuration("--execute must be ≥ 1, got \(execute)") }
            configuration.execute = execute
        }
        return try RemotePolicy(url: spec, configuration: configuration, onError: onError)
    }

    public init(url: String, configuration: RemotePolicyConfiguration, onError: OnPolicyError = .skip) throws {
        endpoint = try Endpoint(url)
        self.configuration = configuration
        self.onError = onError
        mapping = RemoteObservationMapping(configuration)
        adapters = try ActionAdapterChain(configuration)
        connection = RemoteConnection(endpoint: endpoint, configuration: configuration)
    }

    public var observationSpec: ObservationSpec { ObservationSpec(cameras: mapping.cameraRequests) }

    public func reset(_ episode: EpisodeContext) throws {
        self.episode = episode
        predictions = []
        adapters.reset()
        try withRetry { try connection.beginEpisode() }
    }

    public func act(_ observation: Observation) throws -> [[Double]] {
        let request = try mapping.request(observation, episode: episode)
        // Ensembling averages every row that covers a later step of the episode; otherwise `execute` rows run.
        let needed = configuration.ensemble == true ? (episode?.maxSteps ?? Int.max) : configuration.execute
        let rows = try withRetry { try connection.chunk(request, limit: needed) }
        let raw: [[Double]]
        if configuration.ensemble == true {
            predictions.append((observation.step, rows))
            predictions.removeAll { $0.start + $0.rows.count <= observation.step }
            let current = predictions.map { $0.rows[observation.step - $0.start] }
            guard let width = current.first?.count, current.allSatisfy({ $0.count == width }) else {
                throw RemotePolicyError.reply("ensembled chunks differ in action width")
            }
            // Temperature 0: the plain average of every prediction for this step (simplerenv-tasks.md §7).
            raw = [(0..<width).map { i in current.reduce(0) { $0 + $1[i] } / Double(current.count) }]
        } else {
            raw = Array(rows.prefix(configuration.execute))
        }
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
