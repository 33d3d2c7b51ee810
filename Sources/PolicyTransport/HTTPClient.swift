/// A small HTTP/1.1 client over `TCPConnection`: keep-alive when the server allows it, Content-Length, chunked and
/// read-to-close bodies. Enough for OpenVLA-style `/act` servers and `/healthz` probes without URLSession.
public final class HTTPClient {
    public struct Response { public let status: Int; public let headers: [String: String]; public let body: [UInt8] }

    public let endpoint: Endpoint
    private let options: ClientOptions
    private var connection: TCPConnection?

    public init(endpoint: Endpoint, options: ClientOptions = ClientOptions()) {
        self.endpoint = endpoint; self.options = options
    }

    public func request(_ method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        let reused = connection != nil
        do {
            return try exchange(method, path, headers, body)
        } catch TransportError.closed where reused {
            // The server dropped an idle keep-alive connection; one fresh attempt is safe.
            connection = nil
            return try exchange(method, path, headers, body)
        }
    }

    private func exchange(_ method: String, _ path: String, _ headers: [(String, String)], _ body: [UInt8]) throws -> Response {
        let tcp = try connection ?? options.withReconnect(endpoint) {
            try TCPConnection(host: endpoint.host, port: endpoint.port, timeout: options.connectTimeout, endpoint: endpoint.description)
        }
        connection = nil  // put back only after a complete, reusable exchange
        let deadline = Deadline(seconds: options.requestTimeout)
        let head = HTTPHead.request(method: method, path: path, authority: endpoint.authority,
                                    headers: headers + options.authorizationHeaders + [("Content-Length", String(body.count))])
        try head.withUnsafeBytes { h in
            try body.withUnsafeBytes { b in try tcp.write([h, b], deadline: deadline, what: "the server to read the HTTP request") }
        }
        let reply = try HTTPHead(bytes: try tcp.read(through: HTTPHead.terminator, limit: HTTPHead.maxSize, prefix: HTTPHead.prefix, deadline: deadline,
                                                     what: "the HTTP reply"), endpoint: endpoint.description)
        let payload: [UInt8]
        var reusable = reply.headers["connection"]?.lowercased() != "close"
        if reply.headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            payload = try chunked(tcp, deadline)
        } else if let lengthText = reply.headers["content-length"] {
            guard let n = Int(lengthText), n >= 0, n <= options.maxMessageSize else {
                throw TransportError.protocolViolation(endpoint: endpoint.description, detail: "bad Content-Length '\(lengthText)'")
            }
            payload = try tcp.read(exactly: n, deadline: deadline, what: "the HTTP body")
        } else if method == "HEAD" || reply.status == 204 || reply.status == 304 {
            payload = []
        } else {
            payload = try tcp.readToEnd(limit: options.maxMessageSize, deadline: deadline, what: "the HTTP body")
            reusable = false
        }
        if reusable { connection = tcp }
        return Response(status: reply.status, headers: reply.headers, body: payload)
    }

    private func chunked(_ tcp: TCPConnection, _ deadline: Deadline) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try tcp.read(through: [0x0d, 0x0a], limit: 1024, deadline: deadline, what: "an HTTP chunk header")
            let sizeText = String(decoding: line.dropLast(2), as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let n = Int(sizeText.trimmingCharacters(in: " "), radix: 16), n >= 0, n <= options.maxMessageSize - body.count else {
                throw TransportError.protocolViolation(endpoint: endpoint.description, detail: "bad chunk size '\(sizeText)'")
            }
            if n == 0 {
                _ = try tcp.read(through: [0x0d, 0x0a], limit: 64 * 1024, deadline: deadline, what: "the HTTP trailer")
                return body
            }
            body += try tcp.read(exactly: n, deadline: deadline, what: "an HTTP chunk")
            _ = try tcp.read(exactly: 2, deadline: deadline, what: "an HTTP chunk")
        }
    }

    public func close() { connection?.shutdown(); connection = nil }
}

extension String {
    func trimmingCharacters(in set: Character) -> String { String(drop { $0 == set }.reversed().drop { $0 == set }.reversed()) }
}
