/// The status line and headers of an HTTP/1.1 response — shared by the websocket upgrade (RFC 6455 §4.1) and the
/// plain HTTP client.
struct HTTPHead {
    let status: Int
    let reason: String
    /// Lower-cased names; repeated headers joined with ", ".
    let headers: [String: String]

    static let terminator: [UInt8] = Array("\r\n\r\n".utf8)
    static let maxSize = 64 * 1024
    static let prefix: [UInt8] = Array("HTTP/1.".utf8)

    init(bytes: [UInt8], endpoint: String) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).makeIterator()
        guard let statusLine = lines.next() else { throw TransportError.protocolViolation(endpoint: endpoint, detail: "empty HTTP response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
            throw TransportError.protocolViolation(endpoint: endpoint, detail: "not an HTTP response: '\(statusLine.prefix(80))'")
        }
        var h: [String: String] = [:]
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            h[name] = h[name].map { "\($0), \(value)" } ?? value
        }
        status = code; reason = parts.count > 2 ? String(parts[2]) : ""; headers = h
    }

    static func request(method: String, path: String, authority: String, headers: [(String, String)]) -> [UInt8] {
        var s = "\(method) \(path) HTTP/1.1\r\nHost: \(authority)\r\n"
        for (k, v) in headers { s += "\(k): \(v)\r\n" }
        s += "\r\n"
        return Array(s.utf8)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
