/// Everything that can go wrong talking to a policy server, each case carrying enough to write one clear line.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    /// The URL is not one of ws://, http://, tcp:// with a host and port.
    case badEndpoint(String)
    /// No server accepted the connection after every attempt.
    case connectionFailed(endpoint: String, attempts: Int, reason: String)
    /// Nothing arrived (or could be sent) within the deadline.
    case timeout(endpoint: String, operation: String, seconds: Double)
    /// The peer closed the connection (websocket close frame, or EOF mid-message).
    case closed(endpoint: String, code: Int?, reason: String)
    /// The server reported an exception: openpi text frame, RoboTwin `{"error", "traceback"}`, OpenVLA `"error"`.
    case serverError(endpoint: String, message: String)
    /// The peer broke the protocol (bad handshake, unexpected frame, HTTP status).
    case protocolViolation(endpoint: String, detail: String)
    /// A payload could not be decoded (msgpack/JSON syntax, ndarray byte count, unknown dtype).
    case malformed(String)
    /// The reply decoded but lacks what the client needs (e.g. no `actions`).
    case unexpectedReply(endpoint: String, detail: String)
    case socket(endpoint: String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .badEndpoint(let s): return "bad policy endpoint '\(s)': expected ws://HOST:PORT, http://HOST:PORT[/act] or tcp://HOST:PORT"
        case .connectionFailed(let e, let n, let r): return "cannot connect to policy server \(e) after \(n) attempt(s): \(r)"
        case .timeout(let e, let op, let s): return "policy server \(e): timed out after \(s) s waiting for \(op)"
        case .closed(let e, let code, let r):
            return "policy server \(e) closed the connection" + (code.map { " (code \($0))" } ?? "") + (r.isEmpty ? "" : ": \(r)")
        case .serverError(let e, let m): return "policy server \(e) raised an error:\n\(m)"
        case .protocolViolation(let e, let d): return "policy server \(e) broke the protocol: \(d)"
        case .malformed(let d): return "malformed message: \(d)"
        case .unexpectedReply(let e, let d): return "policy server \(e) sent an unexpected reply: \(d)"
        case .socket(let e, let op, let n): return "policy server \(e): \(op) failed: \(String(cString: strerror(n)))"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
