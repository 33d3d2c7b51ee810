import Foundation
import PolicyTransport

/// One policy server behind any of the three protocols, reduced to "send an observation, get an [H, D] chunk".
/// Connects lazily (at the first episode), so building the policy to validate `--policy` does not dial out.
final class RemoteConnection {
    let endpoint: Endpoint
    let configuration: RemotePolicyConfiguration
    var options: ClientOptions
    private var openpi: OpenPIClient?
    private var http: OpenVLAClient?
    private var tcp: RoboTwinClient?

    init(endpoint: Endpoint, configuration: RemotePolicyConfiguration) {
        self.endpoint = endpoint; self.configuration = configuration
        var o = ClientOptions()
        if let t = configuration.requestTimeout { o.requestTimeout = t }
        if let t = configuration.connectTimeout { o.connectTimeout = t }
        o.maxMessageSize = configuration.maxReplyBytes ?? RemotePolicyConfiguration.defaultMaxReplyBytes
        options = o
    }

    /// Episode start: a fresh websocket when the server may keep state (openpi has no reset message), or the
    /// server's reset command (RoboTwin), called with the episode's identity when the preset sets `harness_key`.
    /// A connection an earlier episode's failure dropped is opened again, so one timeout or garbage reply costs that
    /// episode only (`--on-policy-error skip`).
    func beginEpisode(_ identity: WireMap? = nil) throws {
        switch endpoint.scheme {
        case .ws:
            if configuration.reconnectPerEpisode != false || openpi?.isConnected == false { openpi?.close(); openpi = nil }
            if openpi == nil { openpi = try OpenPIClient(endpoint: endpoint, options: options) }
        case .http:
            if http == nil { http = try OpenVLAClient(endpoint: endpoint, options: options) }
        case .tcp:
            if tcp?.isConnected == false { try tcp?.connect() }
            if tcp == nil { tcp = try RoboTwinClient(endpoint: endpoint, options: options) }
            if let cmd = configuration.resetCommand { _ = try tcp!.call(cmd, identity.map(WireValue.map)) }
        }
    }

    /// Opens and closes one connection with a single attempt (RemotePolicy.probe).
    func probe(connectTimeout: Double) throws {
        var o = options
        o.connectAttempts = 1
        o.connectTimeout = connectTimeout
        o.requestTimeout = connectTimeout
        switch endpoint.scheme {
        case .ws: try OpenPIClient(endpoint: endpoint, options: o).close()
        case .http: _ = try HTTPClient(endpoint: endpoint, options: o).request("GET", path: endpoint.path)
        case .tcp: try RoboTwinClient(endpoint: endpoint, options: o).close()
        }
    }

    /// Drops the connection so the next request reconnects (after a failure).
    func reconnect() throws {
        openpi?.close(); openpi = nil
        http?.close(); http = nil
        tcp?.close(); tcp = nil
        try beginEpisode()
    }

    /// The first `limit` rows of the predicted chunk (a single action from OpenVLA-style servers is one row).
    func chunk(_ request: WireMap, limit: Int) throws -> [[Double]] {
        let reply: WireValue
        switch endpoint.scheme {
        case .ws:
            guard let c = openpi else { try beginEpisode(); return try chunk(request, limit: limit) }
            reply = .map(try c.infer(request))
        case .http:
            guard let c = http else { try beginEpisode(); return try chunk(request, limit: limit) }
            reply = try c.act(request)
        case .tcp:
            guard let c = tcp else { try beginEpisode(); return try chunk(request, limit: limit) }
            reply = try c.call(configuration.command ?? "get_action", .map(request))
        }
        let actions = try Self.actions(from: reply)
        guard actions.count > 0 else { throw RemotePolicyError.reply("empty action array \(actions.shape)") }
        do { return try actions.rows(limit: limit) } catch { throw RemotePolicyError.reply("actions: \(error)") }
    }

    /// The action array of a reply: the reply itself, or its `actions` entry.
    static func actions(from reply: WireValue) throws -> NDArray {
        switch reply {
        case .ndarray(let a): return a
        case .map(let m):
            guard let value = m["actions"] else { throw RemotePolicyError.reply("expected an 'actions' array, got keys \(m.stringKeys)") }
            guard let a = value.ndarray else {
                throw RemotePolicyError.reply("'actions' is \(value.kind), expected a numeric array of shape [H, D] or [D]")
            }
            return a
        default: throw RemotePolicyError.reply("expected an action array or a map with 'actions', got \(reply.kind)")
        }
    }

    func close() { openpi?.close(); http?.close(); tcp?.close() }
}
