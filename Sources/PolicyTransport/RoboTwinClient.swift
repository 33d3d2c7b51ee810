/// Client for RoboTwin's model server (RoboTwin script/policy_model_server.py): each message is a 4-byte big-endian length and
/// UTF-8 JSON; requests `{"cmd", "obs"}` call a model method, replies are `{"res"}` or `{"error", "traceback"}`.
public final class RoboTwinClient {
    public let endpoint: Endpoint
    private let options: ClientOptions
    private var tcp: TCPConnection?

    public init(endpoint: Endpoint, options: ClientOptions = ClientOptions()) throws {
        guard endpoint.scheme == .tcp else { throw TransportError.badEndpoint(endpoint.description) }
        self.endpoint = endpoint; self.options = options
        try connect()
    }

    public func connect() throws {
        tcp?.shutdown(); tcp = nil
        tcp = try options.withReconnect(endpoint) {
            try TCPConnection(host: endpoint.host, port: endpoint.port, timeout: options.connectTimeout, endpoint: endpoint.description)
        }
    }

    /// False after a failed request dropped the connection (a half-read reply cannot be resynchronised); the
    /// caller reconnects at the next episode.
    public var isConnected: Bool { tcp?.isOpen == true }

    /// Calls `cmd` on the server's model with `obs` (nil → JSON null, a call without arguments) and returns `res`.
    public func call(_ cmd: String, _ obs: WireValue? = nil) throws -> WireValue {
        guard let tcp, tcp.isOpen else {
            throw TransportError.closed(endpoint: endpoint.description, code: nil, reason: "not connected (an earlier request failed)")
        }
        let name = endpoint.description
        do {
            let body = try JSONCodec.encode(.map(["cmd": .string(cmd), "obs": obs ?? .null]), arrays: .roboTwin)
            let deadline = Deadline(seconds: options.requestTimeout)
            let length = UInt32(body.count).bigEndian
            try withUnsafeBytes(of: length) { l in
                try body.withUnsafeBytes { b in try tcp.write([l, b], deadline: deadline, what: "the server to read the request") }
            }
            let prefix = try tcp.read(exactly: 4, deadline: deadline, what: "the reply")
            let n = prefix.reduce(0) { $0 << 8 | Int($1) }
            guard n <= options.maxMessageSize else {
                throw TransportError.protocolViolation(endpoint: name, detail: "reply length \(n) exceeds the \(options.maxMessageSize)-byte limit")
            }
            let reply: WireValue
            do { reply = try JSONCodec.decode(try tcp.read(exactly: n, deadline: deadline, what: "the reply"), arrays: .roboTwin) }
            catch let TransportError.malformed(d) { throw TransportError.unexpectedReply(endpoint: name, detail: "reply is not JSON: \(d)") }
            guard case .map(let m) = reply else { throw TransportError.unexpectedReply(endpoint: name, detail: "expected an object, got \(reply.kind)") }
            if let error = m["error"] {
                let tb = m["traceback"]?.string ?? ""
                throw TransportError.serverError(endpoint: name, message: (error.string ?? "\(error)") + (tb.isEmpty ? "" : "\n" + tb))
            }
            guard let res = m["res"] else { throw TransportError.unexpectedReply(endpoint: name, detail: "reply has neither 'res' nor 'error'") }
            return res
        } catch {
            tcp.shutdown(); self.tcp = nil
            throw error
        }
    }

    public func close() { tcp?.shutdown(); tcp = nil }
}
