import Foundation

/// Timeouts and the reconnect budget shared by the three protocol clients.
public struct ClientOptions: Sendable {
    /// Per connection attempt (TCP connect + websocket/HTTP handshake), seconds.
    public var connectTimeout: Double = 10
    /// Per request: from the first byte sent to the last byte of the reply, seconds. Large models on a busy GPU
    /// can take seconds per chunk, so the default is generous.
    public var requestTimeout: Double = 120
    /// Connection attempts before giving up (refused or timed out), with exponential backoff between them.
    public var connectAttempts: Int = 5
    public var initialBackoff: Double = 0.25
    public var maxBackoff: Double = 5
    /// Sent as `Authorization: Api-Key <key>` (openpi convention, engineering-notes.md §1a).
    public var apiKey: String? = ProcessInfo.processInfo.environment[ClientOptions.apiKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
    /// Largest accepted reply, bytes.
    public var maxMessageSize: Int = 1 << 30

    public static let apiKeyVariable = "VLASER_POLICY_API_KEY"

    public init() {}

    var authorizationHeaders: [(String, String)] { apiKey.map { [("Authorization", "Api-Key \($0)")] } ?? [] }

    /// Runs `connect` until it succeeds or the attempts are spent; only refused/timed-out connections are retried
    /// (a server that answers wrongly will not improve by asking again).
    func withReconnect<T>(_ endpoint: Endpoint, _ connect: () throws -> T) throws -> T {
        var delay = initialBackoff
        var last = ""
        for attempt in 1...max(1, connectAttempts) {
            do { return try connect() } catch let e as TransportError {
                switch e {
                case .connectionFailed(_, _, let r): last = r
                case .timeout: last = e.description
                default: throw e
                }
            }
            if attempt < connectAttempts {
                usleep(UInt32(delay * 1e6))
                delay = min(maxBackoff, delay * 2)
            }
        }
        throw TransportError.connectionFailed(endpoint: endpoint.description, attempts: max(1, connectAttempts), reason: last)
    }
}
