/// A policy server address: `ws://HOST:PORT[/path]`, `http://HOST:PORT[/path]` or `tcp://HOST:PORT`
/// (IPv6 hosts in brackets). The scheme selects the protocol.
public struct Endpoint: Equatable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case ws, http, tcp }
    public let scheme: Scheme
    public let host: String
    public let port: Int
    public let path: String

    public init(_ text: String) throws {
        guard let sep = text.range(of: "://"), let scheme = Scheme(rawValue: String(text[..<sep.lowerBound]).lowercased()) else {
            throw TransportError.badEndpoint(text)
        }
        var rest = Substring(text[sep.upperBound...])
        var path = "/"
        if let slash = rest.firstIndex(of: "/") { path = String(rest[slash...]); rest = rest[..<slash] }
        let host: Substring, portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else { throw TransportError.badEndpoint(text) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            portText = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw TransportError.badEndpoint(text) }
            host = rest[..<colon]; portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { throw TransportError.badEndpoint(text) }
        self.scheme = scheme; self.host = String(host); self.port = port; self.path = path
    }

    /// `host:port` as the HTTP Host header wants it.
    public var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    public var description: String { "\(scheme.rawValue)://\(authority)\(path == "/" ? "" : path)" }
}
