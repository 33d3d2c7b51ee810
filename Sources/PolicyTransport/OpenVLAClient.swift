/// Client for OpenVLA-style REST servers (engineering-notes.md §1b): POST a json_numpy JSON body to `/act`, get
/// the action back as json_numpy. The server reports failures as the JSON string `"error"` with HTTP 200.
public final class OpenVLAClient {
    public let endpoint: Endpoint
    private let http: HTTPClient

    public init(endpoint: Endpoint, options: ClientOptions = ClientOptions()) throws {
        guard endpoint.scheme == .http else { throw TransportError.badEndpoint(endpoint.description) }
        self.endpoint = endpoint
        http = HTTPClient(endpoint: endpoint, options: options)
    }

    /// The path the request goes to: the endpoint's own path, or `/act` when it has none.
    public var path: String { endpoint.path == "/" ? "/act" : endpoint.path }

    /// Posts `payload` (e.g. `image`, `instruction`, `unnorm_key`) and returns the decoded reply.
    public func act(_ payload: WireMap) throws -> WireValue {
        let body = try JSONCodec.encode(.map(payload), arrays: .jsonNumpy)
        let r = try http.request("POST", path: path, headers: [("Content-Type", "application/json")], body: body)
        let name = endpoint.description
        guard r.status == 200 else {
            throw TransportError.protocolViolation(endpoint: name, detail: "HTTP \(r.status): \(String(decoding: r.body.prefix(300), as: UTF8.self))")
        }
        let reply: WireValue
        do { reply = try JSONCodec.decode(r.body, arrays: .jsonNumpy) } catch let TransportError.malformed(d) {
            throw TransportError.unexpectedReply(endpoint: name, detail: "body is not json_numpy JSON: \(d)")
        }
        if case .string(let s) = reply { throw TransportError.serverError(endpoint: name, message: s) }
        return reply
    }

    public func close() { http.close() }
}
