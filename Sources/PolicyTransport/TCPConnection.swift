#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in monotonic time by which an operation must finish.
public struct Deadline {
    public let at: Double
    public let seconds: Double
    public init(seconds: Double) { self.seconds = seconds; at = Deadline.now() + seconds }
    public var remainingMilliseconds: Int32 { Int32(max(0, min(Double(Int32.max), ((at - Deadline.now()) * 1000).rounded(.up)))) }
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// A non-blocking TCP stream with deadlines on every read and write (poll(2)), buffered reads, and direct reads of
/// large payloads into their final buffer. The one place this module touches sockets.
final class TCPConnection {
    let endpoint: String
    private var fd: Int32
    private var pending: [UInt8] = []
    private var pendingStart = 0

    /// Connects within `timeout` seconds; `TCP_NODELAY` because every message is latency-bound request/response.
    init(host: String, port: Int, timeout: Double, endpoint: String) throws {
        self.endpoint = endpoint
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw TransportError.connectionFailed(endpoint: endpoint, attempts: 1, reason: "cannot resolve host '\(host)': \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        let deadline = Deadline(seconds: timeout)
        var lastError: Int32 = ECONNREFUSED
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let s = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if s < 0 { lastError = errno; continue }
            _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if connect(s, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { fd = s; return }
            if errno == EINPROGRESS {
                var p = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
                let n = poll(&p, 1, deadline.remainingMilliseconds)
                if n == 0 {
                    close(s)
                    throw TransportError.timeout(endpoint: endpoint, operation: "connection", seconds: timeout)
                }
                var err: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len)
                if n > 0 && err == 0 { fd = s; return }
                lastError = err != 0 ? err : errno
            } else {
                lastError = errno
            }
            close(s)
        }
        throw TransportError.connectionFailed(endpoint: endpoint, attempts: 1, reason: String(cString: strerror(lastError)))
    }

    deinit { if fd >= 0 { close(fd) } }

    func shutdown() {
        if fd >= 0 { close(fd); fd = -1 }
    }
    var isOpen: Bool { fd >= 0 }

    /// Sends every byte of every chunk (gathered, one syscall when the kernel takes it all).
    func write(_ chunks: [UnsafeRawBufferPointer], deadline: Deadline, what: String) throws {
        var parts = chunks.filter { $0.count > 0 }
        while !parts.isEmpty {
            try waitFor(Int16(POLLOUT), deadline: deadline, what: what)
            var iov = parts.map { iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count) }
            let sent = iov.withUnsafeMutableBufferPointer { v -> Int in
                var msg = msghdr()
                msg.msg_iov = v.baseAddress
                msg.msg_iovlen = numericCast(v.count)
                #if canImport(Glibc)
                return sendmsg(fd, &msg, Int32(MSG_NOSIGNAL))
                #else
                return sendmsg(fd, &msg, 0)
                #endif
            }
            if sent < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                throw closedOrSocketError("send", errno)
            }
            var left = sent
            while left > 0, let p = parts.first {
                if p.count <= left { left -= p.count; parts.removeFirst() } else {
                    parts[0] = UnsafeRawBufferPointer(rebasing: p[left...]); left = 0
                }
            }
        }
    }

    func write(_ bytes: [UInt8], deadline: Deadline, what: String) throws {
        try bytes.withUnsafeBytes { try write([$0], deadline: deadline, what: what) }
    }

    /// Exactly `n` bytes; large reads land directly in the returned array.
    func read(exactly n: Int, deadline: Deadline, what: String) throws -> [UInt8] {
        if n <= pending.count - pendingStart {
            defer { pendingStart += n }
            return Array(pending[pendingStart..<pendingStart + n])
        }
        return try [UInt8](unsafeUninitializedCapacity: n) { buf, initialized in
            let have = pending.count - pendingStart
            if have > 0 {
                pending.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[pendingStart...]))
                }
            }
            pending.removeAll(keepingCapacity: true); pendingStart = 0
            var got = have
            while got < n {
                let r = try receive(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buf)[got..<n]),
                                    deadline: deadline, what: what)
                got += r
            }
            initialized = n
        }
    }

    /// Everything until the peer closes (an HTTP body without length), failing beyond `limit` bytes.
    func readToEnd(limit: Int, deadline: Deadline, what: String) throws -> [UInt8] {
        while true {
            do { try fill(deadline: deadline, what: what) } catch TransportError.closed { break }
            guard pending.count - pendingStart <= limit else {
                throw TransportError.protocolViolation(endpoint: endpoint, detail: "\(what) longer than \(limit) bytes")
            }
        }
        defer { pending.removeAll(); pendingStart = 0 }
        return Array(pending[pendingStart...])
    }

    /// Reads until `delimiter` (included) — for HTTP headers — failing beyond `limit` bytes.
    /// `prefix`, when given, must agree with the first bytes — so a peer speaking something else fails at once
    /// instead of at the deadline.
    func read(through delimiter: [UInt8], limit: Int, prefix: [UInt8] = [], deadline: Deadline, what: String) throws -> [UInt8] {
        // Searched bytes are counted from `pendingStart`, because `fill()` compacts the buffer (moves it to 0).
        var searched = 0
        while true {
            let n = min(prefix.count, pending.count - pendingStart)
            guard pending[pendingStart..<pendingStart + n].elementsEqual(prefix.prefix(n)) else {
                throw TransportError.protocolViolation(endpoint: endpoint, detail: "\(what) is not an HTTP response: "
                    + String(decoding: pending[pendingStart...].prefix(40), as: UTF8.self).debugDescription)
            }
            if let end = find(delimiter, from: pendingStart + searched) {
                defer { pendingStart = end }
                return Array(pending[pendingStart..<end])
            }
            guard pending.count - pendingStart <= limit else {
                throw TransportError.protocolViolation(endpoint: endpoint, detail: "\(what) longer than \(limit) bytes")
            }
            searched = max(0, pending.count - pendingStart - delimiter.count + 1)
            try fill(deadline: deadline, what: what)
        }
    }

    /// Bytes available without waiting are appended to the buffer; at least one byte is read.
    private func fill(deadline: Deadline, what: String) throws {
        if pendingStart > 0 { pending.removeFirst(pendingStart); pendingStart = 0 }
        let old = pending.count
        pending.append(contentsOf: repeatElement(0, count: 65536))
        let r = try pending.withUnsafeMutableBytes { try receive(into: UnsafeMutableRawBufferPointer(rebasing: $0[old...]), deadline: deadline, what: what) }
        pending.removeLast(65536 - r)
    }

    private func find(_ d: [UInt8], from: Int) -> Int? {
        guard pending.count - from >= d.count else { return nil }
        var i = from
        while i + d.count <= pending.count {
            if pending[i] == d[0] && pending[i..<i + d.count].elementsEqual(d) { return i + d.count }
            i += 1
        }
        return nil
    }

    private func receive(into buf: UnsafeMutableRawBufferPointer, deadline: Deadline, what: String) throws -> Int {
        while true {
            try waitFor(Int16(POLLIN), deadline: deadline, what: what)
            let r = recv(fd, buf.baseAddress, buf.count, 0)
            if r > 0 { return r }
            if r == 0 { throw TransportError.closed(endpoint: endpoint, code: nil, reason: "connection closed while waiting for \(what)") }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
            throw closedOrSocketError("recv", errno)
        }
    }

    private func waitFor(_ events: Int16, deadline: Deadline, what: String) throws {
        guard fd >= 0 else { throw TransportError.closed(endpoint: endpoint, code: nil, reason: "connection already closed") }
        while true {
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, deadline.remainingMilliseconds)
            if n > 0 { return }
            if n == 0 { throw TransportError.timeout(endpoint: endpoint, operation: what, seconds: deadline.seconds) }
            if errno != EINTR { throw TransportError.socket(endpoint: endpoint, operation: "poll", errno: errno) }
        }
    }

    private func closedOrSocketError(_ op: String, _ e: Int32) -> TransportError {
        if e == ECONNRESET || e == EPIPE {
            return .closed(endpoint: endpoint, code: nil, reason: "connection reset by peer during \(op)")
        }
        return .socket(endpoint: endpoint, operation: op, errno: e)
    }
}
