#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Client for the openpi websocket policy server (engineering-notes.md §1a): after the upgrade the server sends
/// one msgpack metadata map; then each observation map gets exactly one action map. A text frame is the server's
/// Python traceback (followed by close 1011). One connection serves one episode worker; requests never interleave.
public final class OpenPIClient {
    public let endpoint: Endpoint
    public private(set) var metadata: WireValue = .null
    private let options: ClientOptions
    private var socket: WebSocket?

    /// Connects (retrying refused connections with backoff) and reads the metadata frame.
    public init(endpoint: Endpoint, options: ClientOptions = ClientOptions()) throws {
        guard endpoint.scheme == .ws else { throw TransportError.badEndpoint(endpoint.description) }
        self.endpoint = endpoint; self.options = options
        try connect()
    }

    /// Drops the current connection and opens a new one — the only way to reset a stateful server, since the
    /// protocol has no reset message.
    public func connect() throws {
        socket?.close(); socket = nil
        let ws = try options.withReconnect(endpoint) {
            try WebSocket(endpoint: endpoint, connectTimeout: options.connectTimeout, headers: options.authorizationHeaders,
                          maxMessageSize: options.maxMessageSize)
        }
        metadata = try Self.decodeReply(ws.receive(deadline: Deadline(seconds: options.connectTimeout)), endpoint, what: "metadata")
        socket = ws
    }

    /// False after a failed request dropped the connection; the caller reconnects at the next episode.
    public var isConnected: Bool { socket?.isOpen == true }

    /// One request/response round trip. Any failure leaves the client disconnected; call `connect()` to retry.
    public func infer(_ observation: WireMap) throws -> WireMap {
        guard let ws = socket, ws.isOpen else {
            throw TransportError.closed(endpoint: endpoint.description, code: nil, reason: "not connected (an earlier request failed)")
        }
        do {
            let body = WireValue.map(observation)
            var buffer = MsgPackEncoder.encode(body, headroom: WebSocket.maxHeaderSize)
            let deadline = Deadline(seconds: options.requestTimeout)
            try ws.send(.binary, buffer: &buffer, headroom: WebSocket.maxHeaderSize, deadline: deadline)
            let reply = try Self.decodeReply(ws.receive(deadline: deadline), endpoint, what: "reply")
            guard case .map(let m) = reply else {
                throw TransportError.unexpectedReply(endpoint: endpoint.description, detail: "expected a map, got \(reply.kind)")
            }
            return m
        } catch {
            ws.close(); socket = nil
            throw error
        }
    }

    private static func decodeReply(_ message: WebSocket.Message, _ endpoint: Endpoint, what: String) throws -> WireValue {
        switch message {
        case .text(let traceback): throw TransportError.serverError(endpoint: endpoint.description, message: traceback)
        case .binary(let bytes):
            do { return try MsgPackDecoder.decode(bytes) } catch let TransportError.malformed(d) {
                throw TransportError.unexpectedReply(endpoint: endpoint.description, detail: "\(what) is not msgpack-numpy: \(d)")
            }
        }
    }

    public func close() { socket?.close(); socket = nil }
    deinit { socket?.close() }

    /// Polls `GET /healthz` (served by openpi's server on the websocket port) until it answers 200 or `timeout`
    /// passes — readiness before the first episode.
    public static func waitUntilHealthy(_ endpoint: Endpoint, timeout: Double, interval: Double = 0.1) throws {
        let deadline = Deadline(seconds: timeout)
        var options = ClientOptions()
        options.connectAttempts = 1
        options.connectTimeout = min(2, timeout)
        options.requestTimeout = min(5, timeout)
        var last = "no answer"
        while true {
            do {
                let r = try HTTPClient(endpoint: endpoint, options: options).request("GET", path: "/healthz")
                if r.status == 200 { return }
                last = "HTTP \(r.status)"
            } catch { last = "\(error)" }
            if deadline.remainingMilliseconds == 0 {
                throw TransportError.timeout(endpoint: endpoint.description, operation: "a healthy /healthz answer (last: \(last))", seconds: timeout)
            }
            usleep(UInt32(interval * 1e6))
        }
    }
}
