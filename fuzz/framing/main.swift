// Fuzz target for the wire framing of the three policy protocols (libFuzzer; docs/fuzzing.md): HTTP/1.1 replies
// (status line, headers, Content-Length, chunked and read-to-close bodies, keep-alive), websocket frames after a
// valid upgrade, and RoboTwin's length-prefixed JSON. A loopback server in this process answers each client
// request with the input, so the real clients read it through real sockets. The input's first byte picks the
// protocol; the rest is what the server sends.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import FuzzDriver
import PolicyTransport

/// What the next accepted connection is sent, and whether it gets a websocket upgrade first.
final class Script: @unchecked Sendable {
    let lock = NSLock()
    var reply: [UInt8]? = nil
    var upgrade = false
}
let script = Script()

let listener: (fd: Int32, port: Int) = {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = listen(fd, 16)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}()

/// Reads until the blank line ending an HTTP head (or 64 kB, or 1 s of silence).
func readHead(_ c: Int32) -> String {
    var head: [UInt8] = [], byte: UInt8 = 0
    var p = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
    while head.count < 65536, poll(&p, 1, 1000) > 0, recv(c, &byte, 1, 0) == 1 {
        head.append(byte)
        if head.count >= 4 && head.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
    }
    return String(decoding: head, as: UTF8.self)
}

/// RFC 6455 §4.2.2: base64(SHA-1(key + GUID)).
func acceptKey(_ head: String) -> String {
    let key = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
        .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) } ?? ""
    return Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
}

/// The server: each connection gets the scripted reply (once per input), then the write side is closed and the
/// client's bytes are drained until it hangs up, so the client sees the whole reply and then the end.
let server = Thread(block: {
    while true {
        let c = accept(listener.fd, nil, nil)
        if c < 0 { continue }
        script.lock.lock()
        let reply = script.reply ?? [], upgrade = script.upgrade
        script.reply = nil
        script.lock.unlock()
        var out: [UInt8] = []
        if upgrade {
            let head = readHead(c)
            out = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(acceptKey(head))\r\n\r\n".utf8)
        }
        out += reply
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        shutdown(c, Int32(SHUT_WR))
        var sink = [UInt8](repeating: 0, count: 65536)
        var p = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, 2000) > 0, recv(c, &sink, sink.count, 0) > 0 {}
        close(c)
    }
})
server.start()

var options = ClientOptions()
options.connectAttempts = 1
options.connectTimeout = 2
options.requestTimeout = 2
options.maxMessageSize = 1 << 20

/// Every outcome must be a reply or a `TransportError` within the deadline; a trap, an overread or a hang is a bug.
func exercise(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    script.lock.lock(); script.reply = Array(bytes.dropFirst()); script.upgrade = mode % 3 == 1; script.lock.unlock()
    let base = "127.0.0.1:\(listener.port)"
    switch mode % 3 {
    case 0:
        // Two requests: the second reads whatever the first reply left on the kept-alive connection.
        let http = HTTPClient(endpoint: try! Endpoint("http://\(base)"), options: options)
        for _ in 0..<2 { _ = try? http.request("POST", path: "/act", body: Array("{}".utf8)) }
        http.close()
    case 1:
        if let ws = try? OpenPIClient(endpoint: try! Endpoint("ws://\(base)"), options: options) {
            _ = try? ws.infer(["x": .int(1)])
            ws.close()
        }
    default:
        if let tcp = try? RoboTwinClient(endpoint: try! Endpoint("tcp://\(base)"), options: options) {
            for _ in 0..<2 { _ = try? tcp.call("get_action", .map(["x": .int(1)])) }
            tcp.close()
        }
    }
    script.lock.lock(); script.reply = nil; script.lock.unlock()
}

FuzzDriver.run("framing-fuzz", exercise)
