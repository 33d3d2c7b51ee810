import Foundation

/// A websocket client (RFC 6455) over a plain TCP connection: handshake with `Sec-WebSocket-Accept` check, masked
/// client frames, fragmented messages, ping/pong, close codes, no extensions (openpi turns compression off,
/// engineering-notes.md §1a) and messages of any size up to `maxMessageSize`.
final class WebSocket {
    enum Opcode: UInt8 { case continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 }
    enum Message { case text(String), binary([UInt8]) }

    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  // RFC 6455 §1.3
    /// The largest client frame header: 2 bytes + 8-byte length + 4-byte mask.
    static let maxHeaderSize = 14

    let endpoint: Endpoint
    private let tcp: TCPConnection
    private let maxMessageSize: Int
    private var closed = false

    init(endpoint: Endpoint, connectTimeout: Double, headers: [(String, String)] = [], maxMessageSize: Int = 1 << 30) throws {
        self.endpoint = endpoint
        self.maxMessageSize = maxMessageSize
        tcp = try TCPConnection(host: endpoint.host, port: endpoint.port, timeout: connectTimeout, endpoint: endpoint.description)
        var keyBytes = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in keyBytes.indices { keyBytes[i] = rng.next() }
        let key = Data(keyBytes).base64EncodedString()
        let deadline = Deadline(seconds: connectTimeout)
        try tcp.write(HTTPHead.request(method: "GET", path: endpoint.path, authority: endpoint.authority, headers: [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13"),
        ] + headers), deadline: deadline, what: "the server to read the websocket handshake")
        let head = try HTTPHead(bytes: try tcp.read(through: HTTPHead.terminator, limit: HTTPHead.maxSize, prefix: HTTPHead.prefix, deadline: deadline,
                                                    what: "the websocket handshake reply"), endpoint: endpoint.description)
        func violation(_ d: String) -> TransportError { .protocolViolation(endpoint: endpoint.description, detail: d) }
        guard head.status == 101 else { throw violation("websocket upgrade refused with HTTP \(head.status) \(head.reason)") }
        guard head.headers["upgrade"]?.lowercased() == "websocket",
              head.headers["connection"]?.lowercased().contains("upgrade") == true else {
            throw violation("upgrade reply lacks 'Upgrade: websocket' / 'Connection: Upgrade'")
        }
        let expected = Data(SHA1.digest(Array((key + WebSocket.acceptGUID).utf8))).base64EncodedString()
        guard head.headers["sec-websocket-accept"] == expected else {
            throw violation("Sec-WebSocket-Accept is '\(head.headers["sec-websocket-accept"] ?? "missing")', expected '\(expected)'")
        }
        if let ext = head.headers["sec-websocket-extensions"] { throw violation("server negotiated unrequested extension '\(ext)'") }
    }

    static func headerSize(payload n: Int) -> Int { n < 126 ? 6 : n <= 0xffff ? 8 : 14 }

    /// Sends one message whose payload sits in `buffer` after `headroom` (≥ `maxHeaderSize`) reserved bytes; the
    /// payload is masked in place, so a several-MB observation is written without another copy.
    func send(_ opcode: Opcode, buffer: inout [UInt8], headroom: Int, deadline: Deadline) throws {
        let n = buffer.count - headroom
        let h = WebSocket.headerSize(payload: n)
        precondition(headroom >= h, "websocket frame needs \(h) bytes of headroom")
        let start = headroom - h
        var rng = SystemRandomNumberGenerator()
        let mask: UInt32 = rng.next()
        try buffer.withUnsafeMutableBytes { raw in
            raw[start] = 0x80 | opcode.rawValue
            switch h {
            case 6: raw[start + 1] = 0x80 | UInt8(n)
            case 8: raw[start + 1] = 0x80 | 126; raw.storeBytes(of: UInt16(n).bigEndian, toByteOffset: start + 2, as: UInt16.self)
            default: raw[start + 1] = 0x80 | 127; raw.storeBytes(of: UInt64(n).bigEndian, toByteOffset: start + 2, as: UInt64.self)
            }
            raw.storeBytes(of: mask, toByteOffset: headroom - 4, as: UInt32.self)
            WebSocket.applyMask(UnsafeMutableRawBufferPointer(rebasing: raw[headroom...]), key: mask)
            try tcp.write([UnsafeRawBufferPointer(rebasing: raw[start...])], deadline: deadline, what: "the server to read a websocket frame")
        }
    }

    func send(_ opcode: Opcode, payload: [UInt8], deadline: Deadline) throws {
        var buffer = [UInt8](repeating: 0, count: WebSocket.maxHeaderSize) + payload
        try send(opcode, buffer: &buffer, headroom: WebSocket.maxHeaderSize, deadline: deadline)
    }

    /// XOR with the 4-byte key (in wire order, as stored): bytes up to 8-byte alignment, then aligned 64-bit words
    /// (which the compiler vectorises — 8× faster than unaligned loads on a 600 KB image), then the tail.
    static func applyMask(_ p: UnsafeMutableRawBufferPointer, key: UInt32) {
        guard let base = p.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let k = withUnsafeBytes(of: key) { ($0[0], $0[1], $0[2], $0[3]) }
        func keyByte(_ i: Int) -> UInt8 {
            switch i & 3 { case 0: return k.0; case 1: return k.1; case 2: return k.2; default: return k.3 }
        }
        let n = p.count
        var i = 0
        while i < n && Int(bitPattern: base + i) & 7 != 0 { bytes[i] ^= keyByte(i); i += 1 }
        var lane: UInt64 = 0
        for j in 0..<8 { lane |= UInt64(keyByte(i + j)) << (8 * UInt64(j)) }
        lane = UInt64(littleEndian: lane)
        let words = (n - i) / 8
        let w = (base + i).bindMemory(to: UInt64.self, capacity: words)
        for j in 0..<words { w[j] ^= lane }
        i += words * 8
        while i < n { bytes[i] ^= keyByte(i); i += 1 }
    }

    /// The next complete data message; answers pings, skips pongs, and turns a close frame into
    /// `TransportError.closed` with the peer's code and reason.
    func receive(deadline: Deadline) throws -> Message {
        var parts: [UInt8]? = nil
        var messageOpcode = Opcode.binary
        let name = endpoint.description
        func violation(_ d: String) -> TransportError {
            tcp.shutdown(); closed = true
            return .protocolViolation(endpoint: name, detail: d)
        }
        while true {
            let h = try tcp.read(exactly: 2, deadline: deadline, what: "a websocket frame from the server")
            let fin = h[0] & 0x80 != 0
            guard h[0] & 0x70 == 0 else { throw violation("frame with reserved bits set (0x\(String(h[0], radix: 16)))") }
            guard let opcode = Opcode(rawValue: h[0] & 0x0f) else { throw violation("unknown websocket opcode \(h[0] & 0x0f)") }
            guard h[1] & 0x80 == 0 else { throw violation("server frame is masked") }
            var length = UInt64(h[1] & 0x7f)
            if length == 126 {
                let b = try tcp.read(exactly: 2, deadline: deadline, what: "a websocket frame from the server")
                length = UInt64(b[0]) << 8 | UInt64(b[1])
            } else if length == 127 {
                length = try tcp.read(exactly: 8, deadline: deadline, what: "a websocket frame from the server").reduce(0) { $0 << 8 | UInt64($1) }
            }
            if opcode.rawValue >= 8 {
                guard fin, length <= 125 else { throw violation("control frame \(opcode) fragmented or longer than 125 bytes") }
                let payload = try tcp.read(exactly: Int(length), deadline: deadline, what: "a websocket control frame")
                switch opcode {
                case .ping: try send(.pong, payload: payload, deadline: deadline)
                case .close: throw peerClosed(payload, deadline: deadline)
                default: break
                }
                continue
            }
            let sofar = UInt64(parts?.count ?? 0)
            guard length <= UInt64(maxMessageSize) - sofar else {
                throw violation("message larger than the \(maxMessageSize)-byte limit")
            }
            switch (opcode, parts) {
            case (.continuation, nil): throw violation("continuation frame without a message to continue")
            case (.text, _?), (.binary, _?): throw violation("new message started inside a fragmented one")
            default: break
            }
            let payload = try tcp.read(exactly: Int(length), deadline: deadline, what: "a websocket message")
            if opcode != .continuation { messageOpcode = opcode }
            let whole: [UInt8]
            if fin && parts == nil { whole = payload } else {
                parts = (parts ?? []) + payload
                guard fin else { continue }
                whole = parts!
            }
            if messageOpcode == .text {
                guard let s = String(validating: whole, as: UTF8.self) else { throw violation("text message is not valid UTF-8") }
                return .text(s)
            }
            return .binary(whole)
        }
    }

    private func peerClosed(_ payload: [UInt8], deadline: Deadline) -> TransportError {
        let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil
        let reason = payload.count > 2 ? String(decoding: payload[2...], as: UTF8.self) : ""
        // Echo the close (RFC 6455 §5.5.1) best-effort, then drop the socket.
        try? send(.close, payload: Array(payload.prefix(2)), deadline: Deadline(seconds: min(1, deadline.seconds)))
        tcp.shutdown(); closed = true
        return .closed(endpoint: endpoint.description, code: code, reason: reason)
    }

    /// Normal closure (1000): sends the close frame and drops the socket without waiting for the echo.
    func close() {
        guard !closed else { return }
        closed = true
        try? send(.close, payload: [0x03, 0xe8], deadline: Deadline(seconds: 1))
        tcp.shutdown()
    }

    var isOpen: Bool { !closed && tcp.isOpen }
}
