import Foundation
import Testing
import TestSupport
@testable import PolicyTransport

/// The three clients against real servers (openpi-server; the vlaser_policy_server package's keep-alive HTTP/1.1 json_numpy
/// and RoboTwin servers) started here, and against peers that misbehave. Every failure must be a typed error within its deadline.
@Suite(.serialized) struct ClientTests {
    static func options(attempts: Int = 1, request: Double = 20, connect: Double = 5) -> ClientOptions {
        var o = ClientOptions()
        o.connectAttempts = attempts; o.requestTimeout = request; o.connectTimeout = connect; o.initialBackoff = 0.05
        return o
    }
    static func observation() throws -> WireMap {
        var obs: WireMap = ["prompt": .string("put the spoon on the towel")]
        obs["image"] = .ndarray(try NDArray(uint8: (0..<448 * 448 * 3).map { UInt8($0 % 241) }, shape: [448, 448, 3]))
        obs["state"] = .ndarray(NDArray(float32: [0.1, -0.2, 0.3, 0, 0, 0, 1]))
        for dt in NDArray.DType.allCases { obs["dtype \(dt.descr)"] = .ndarray(try NDArray(converting: [1, 0, 3], to: dt)) }
        obs["nested"] = .map(["k": .array([.int(-5), .double(2.5), .null, .bool(false), .string("é")])])
        return obs
    }
    /// EchoPolicy in fixtures/peers.py: actions[h, d] = 10h + d + number of observation keys.
    static func expectedActions(keys: Int) -> [[Double]] { (0..<4).map { h in (0..<7).map { Double(10 * h + $0 + keys) } } }

    @Test func openpiRoundTripsThroughTheRealServer() throws {
        let peer = try Peer("serve", "openpi")
        let endpoint = try Endpoint("ws://127.0.0.1:\(peer.port)")
        try OpenPIClient.waitUntilHealthy(endpoint, timeout: 30)
        let client = try OpenPIClient(endpoint: endpoint, options: Self.options())
        #expect(client.metadata == .map(WireMap()))
        var obs = try Self.observation()
        // Several MB in one message (a 4 MB float64 array beside the image).
        obs["big"] = .ndarray(try NDArray(converting: (0..<500_000).map(Double.init), to: .float64))
        for _ in 0..<3 {
            let reply = try client.infer(obs)
            let actions = try #require(reply["actions"]?.ndarray)
            #expect(actions.dtype == .float32 && actions.shape == [4, 7])
            #expect(try actions.rows() == Self.expectedActions(keys: obs.count))
            #expect(reply["echo"] == .map(obs), "the server decoded a different observation than we sent")
            #expect(reply["server_timing"]?.map?["infer_ms"]?.number != nil)
        }
    }

    @Test func openpiTracebackIsAServerErrorAndReconnectRecovers() throws {
        let peer = try Peer("serve", "openpi")
        let client = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(peer.port)"), options: Self.options(attempts: 20))
        #expect { _ = try client.infer(["raise": .string("boom in the model")]) } throws: { e in
            guard case TransportError.serverError(_, let m) = e else { return false }
            return m.contains("Traceback") && m.contains("RuntimeError: boom in the model")
        }
        #expect { _ = try client.infer(["x": .int(1)]) } throws: { e in
            if case TransportError.closed = e { return true } else { return false }
        }
        try client.connect()
        #expect(try client.infer(["x": .int(1)])["actions"]?.ndarray?.rows() == Self.expectedActions(keys: 1))
    }

    @Test func openpiServerKilledMidEpisode() throws {
        let peer = try Peer("serve", "openpi", "--die-after", "2")
        let endpoint = try Endpoint("ws://127.0.0.1:\(peer.port)")
        try OpenPIClient.waitUntilHealthy(endpoint, timeout: 30)
        let client = try OpenPIClient(endpoint: endpoint, options: Self.options(attempts: 3))
        _ = try client.infer(["a": .int(1)])
        _ = try client.infer(["a": .int(2)])
        let start = Date()
        #expect { _ = try client.infer(["a": .int(3)]) } throws: { e in
            guard case TransportError.closed = e else { return false }
            return "\(e)".contains(endpoint.description)
        }
        peer.process.waitUntilExit()
        #expect { try client.connect() } throws: { e in
            guard case TransportError.connectionFailed(_, let attempts, _) = e else { return false }
            return attempts == 3
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func serverThatNeverAnswersTimesOut() throws {
        let silent = try Peer("silent")
        let start = Date()
        #expect { _ = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(silent.port)"), options: Self.options(connect: 0.5)) } throws: { e in
            guard case TransportError.connectionFailed(_, _, let r) = e else { return false }
            return r.contains("timed out after 0.5 s waiting for the websocket handshake reply")
        }
        #expect(Date().timeIntervalSince(start) < 3)

        let slow = try Peer("serve", "openpi")
        let client = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(slow.port)"), options: Self.options(attempts: 20, request: 0.5))
        let t0 = Date()
        #expect { _ = try client.infer(["sleep": .double(5)]) } throws: { e in
            guard case TransportError.timeout(_, _, let s) = e else { return false }
            return s == 0.5
        }
        #expect(Date().timeIntervalSince(t0) < 2)
    }

    @Test func garbageAndBrokenHandshakesAreProtocolErrors() throws {
        let garbage = try Peer("garbage")
        #expect { _ = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(garbage.port)"), options: Self.options()) } throws: { e in
            guard case TransportError.protocolViolation(_, let d) = e else { return false }
            return d.contains("not an HTTP response")
        }
        let badAccept = try Peer("ws-bad-accept")
        #expect { _ = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(badAccept.port)"), options: Self.options()) } throws: { e in
            "\(e)".contains("Sec-WebSocket-Accept")
        }
        let badMsgpack = try Peer("ws-bad-msgpack")
        let client = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(badMsgpack.port)"), options: Self.options())
        #expect { _ = try client.infer(["x": .int(1)]) } throws: { e in
            guard case TransportError.unexpectedReply(_, let d) = e else { return false }
            return d.contains("not msgpack-numpy") && d.contains("0xc1")
        }
        let tcpGarbage = try RoboTwinClient(endpoint: try Endpoint("tcp://127.0.0.1:\(garbage.port)"), options: Self.options(request: 0.5))
        #expect(throws: TransportError.self) { _ = try tcpGarbage.call("get_action", .null) }
    }

    @Test func fragmentedMessagesPingsAndCloseCodes() throws {
        let peer = try Peer("ws-fragmented")
        let client = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(peer.port)"), options: Self.options())
        #expect(client.metadata.map?["reset_pose"] == .array([.int(0), .double(-1.5), .double(1.5), .int(0), .int(0), .int(0)]))
        let reply = try client.infer(["x": .int(1)])
        #expect(reply["pong"] == .bool(true), "the ping inside the metadata message was not answered with its payload")
        #expect(reply["opcode"] == .int(2))
        let actions = try #require(reply["actions"]?.ndarray)
        #expect(actions.shape == [20000, 7] && actions.floats().last == Float(7 * 20000 - 1))
        #expect { _ = try client.infer(["x": .int(2)]) } throws: { e in
            guard case TransportError.closed(_, let code, let reason) = e else { return false }
            return code == 1001 && reason == "going away"
        }
    }

    @Test func refusedConnectionsAreRetriedWithBackoffThenReported() throws {
        let port: Int
        do { let p = try Peer("silent"); port = p.port }  // a port that was just free; the peer is gone now
        let start = Date()
        #expect { _ = try OpenPIClient(endpoint: try Endpoint("ws://127.0.0.1:\(port)"), options: Self.options(attempts: 3)) } throws: { e in
            guard case TransportError.connectionFailed(_, 3, let r) = e else { return false }
            return r.contains("refused")
        }
        #expect(Date().timeIntervalSince(start) >= 0.15)  // backoff 0.05 + 0.1
    }

    @Test func apiKeyHeaderIsSent() throws {
        let peer = try Peer("echo-head")
        var o = Self.options()
        o.apiKey = "s3cret"
        let r = try HTTPClient(endpoint: try Endpoint("http://127.0.0.1:\(peer.port)"), options: o).request("GET", path: "/x")
        #expect(r.status == 400)
        #expect(String(decoding: r.body, as: UTF8.self).contains("Authorization: Api-Key s3cret\r\n"))
    }

    @Test func openVLAOverFlaskJsonNumpy() throws {
        let peer = try Peer("serve", "http")
        let client = try OpenVLAClient(endpoint: try Endpoint("http://127.0.0.1:\(peer.port)/act"), options: Self.options(attempts: 40))
        let image = try NDArray(uint8: (0..<224 * 224 * 3).map { UInt8($0 % 7) }, shape: [224, 224, 3])
        for _ in 0..<3 {
            let reply = try client.act(["image": .ndarray(image), "instruction": .string("pick up the can"), "unnorm_key": .string("bridge_orig")])
            #expect(try reply.ndarray?.rows() == Self.expectedActions(keys: 3))
        }
        #expect { _ = try client.act(["raise": .string("x")]) } throws: { e in
            guard case TransportError.serverError(_, let m) = e else { return false }
            return m == "error"
        }
    }

    /// A keep-alive connection carries many replies: Python's stdlib server (head and body in one segment) and
    /// chunked bodies trickling in byte by byte. The second request once waited for the whole request timeout.
    @Test func keepAliveRepliesArriveWithoutWaiting() throws {
        let stdlib = try Peer("stdlib-http")
        let client = try OpenVLAClient(endpoint: try Endpoint("http://127.0.0.1:\(stdlib.port)/act"), options: Self.options(request: 3))
        let t0 = Date()
        for i in 0..<5 {
            #expect(try client.act(["step": .int(Int64(i)), "instruction": .string("pick up the can")]).map?["step"] == .int(Int64(i)))
        }
        let chunked = try Peer("chunked-split")
        let http = HTTPClient(endpoint: try Endpoint("http://127.0.0.1:\(chunked.port)"), options: Self.options(request: 3))
        for i in 1...3 {
            let r = try http.request("POST", path: "/act", body: Array("{}".utf8))
            #expect(r.status == 200 && String(decoding: r.body, as: UTF8.self) == "[\(i)]")  // i-th reply on one connection
        }
        #expect(Date().timeIntervalSince(t0) < 3, "a reply waited for the request timeout")
    }

    @Test func roboTwinOverTCP() throws {
        let peer = try Peer("serve", "tcp")
        let client = try RoboTwinClient(endpoint: try Endpoint("tcp://127.0.0.1:\(peer.port)"), options: Self.options(attempts: 20))
        let obs = try Self.observation()
        let full = try #require(try client.call("infer", .map(obs)).map)
        #expect(try full["actions"]?.ndarray?.rows() == Self.expectedActions(keys: obs.count))
        #expect(full["echo"] == .map(obs))
        #expect(try client.call("get_action", .map(["a": .int(1)])).ndarray?.rows() == Self.expectedActions(keys: 1))
        #expect { _ = try client.call("get_action", .map(["raise": .string("bad obs")])) } throws: { e in
            guard case TransportError.serverError(_, let m) = e else { return false }
            return m.contains("RuntimeError: bad obs") && m.contains("Traceback")
        }
        try client.connect()
        #expect { _ = try client.call("no_such_method") } throws: { e in "\(e)".contains("KeyError") }
        try client.connect()
        peer.kill()
        #expect { _ = try client.call("get_action", .map(["a": .int(1)])) } throws: { e in
            if case TransportError.closed = e { return true } else { return false }
        }
    }

    @Test func endpointsParse() throws {
        let e = try Endpoint("ws://[::1]:8000/x")
        #expect(e.host == "::1" && e.port == 8000 && e.path == "/x" && e.authority == "[::1]:8000")
        for bad in ["localhost:8000", "ws://host", "ftp://h:1", "ws://:80", "ws://h:99999"] {
            #expect(throws: TransportError.badEndpoint(bad)) { try Endpoint(bad) }
        }
    }
}
