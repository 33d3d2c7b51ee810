/// msgpack decoder. `bin` and ndarray payloads are slices of the input (no copy). Hostile input fails with
/// `TransportError.malformed` naming the offset — never a trap: counts are checked against the bytes left and
/// nesting is bounded (the fuzz target in fuzz/msgpack exercises this).
public enum MsgPackDecoder {
    /// Nesting bound: deeper input is rejected instead of exhausting the stack.
    public static let maxDepth = 512

    /// Decodes exactly one value filling `bytes`. With `numpy` (openpi's msgpack-numpy object hook), maps holding
    /// the bin key `__ndarray__` become `.ndarray` and `__npgeneric__` maps become scalars.
    public static func decode(_ bytes: [UInt8], numpy: Bool = true) throws -> WireValue {
        var r = Reader(bytes: bytes, pos: 0, numpy: numpy)
        let v = try r.value(depth: 0)
        guard r.pos == bytes.count else { throw r.fail("\(bytes.count - r.pos) extra byte(s) after the value") }
        return v
    }

    struct Reader {
        let bytes: [UInt8]
        var pos: Int
        let numpy: Bool

        func fail(_ what: String) -> TransportError { .malformed("msgpack at byte \(pos): \(what)") }

        mutating func take(_ n: Int) throws -> Bytes {
            guard n >= 0, n <= bytes.count - pos else { throw fail("needs \(n) byte(s), \(bytes.count - pos) left") }
            defer { pos += n }
            return bytes[pos..<pos + n]
        }
        mutating func byte() throws -> UInt8 {
            guard pos < bytes.count else { throw fail("truncated") }
            defer { pos += 1 }
            return bytes[pos]
        }
        mutating func be<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let size = MemoryLayout<T>.size
            guard size <= bytes.count - pos else { throw fail("truncated \(size)-byte integer") }
            var v: T = 0
            for i in 0..<size { v = v << 8 | T(truncatingIfNeeded: bytes[pos + i]) }
            pos += size
            return v
        }

        mutating func value(depth: Int) throws -> WireValue {
            guard depth < MsgPackDecoder.maxDepth else { throw fail("nesting deeper than \(MsgPackDecoder.maxDepth)") }
            let t = try byte()
            switch t {
            case 0x00...0x7f: return .int(Int64(t))
            case 0x80...0x8f: return try map(Int(t & 0x0f), depth)
            case 0x90...0x9f: return try array(Int(t & 0x0f), depth)
            case 0xa0...0xbf: return try str(Int(t & 0x1f))
            case 0xc0: return .null
            case 0xc2: return .bool(false)
            case 0xc3: return .bool(true)
            case 0xc4: return .binary(try take(Int(try be(UInt8.self))))
            case 0xc5: return .binary(try take(Int(try be(UInt16.self))))
            case 0xc6: return .binary(try take(Int(try be(UInt32.self))))
            case 0xc7: return try ext(Int(try be(UInt8.self)))
            case 0xc8: return try ext(Int(try be(UInt16.self)))
            case 0xc9: return try ext(Int(try be(UInt32.self)))
            case 0xca: return .float(Float(bitPattern: try be(UInt32.self)))
            case 0xcb: return .double(Double(bitPattern: try be(UInt64.self)))
            case 0xcc: return .int(Int64(try be(UInt8.self)))
            case 0xcd: return .int(Int64(try be(UInt16.self)))
            case 0xce: return .int(Int64(try be(UInt32.self)))
            case 0xcf:
                let u = try be(UInt64.self)
                return u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u)
            case 0xd0: return .int(Int64(try be(Int8.self)))
            case 0xd1: return .int(Int64(try be(Int16.self)))
            case 0xd2: return .int(Int64(try be(Int32.self)))
            case 0xd3: return .int(try be(Int64.self))
            case 0xd4: return try ext(1)
            case 0xd5: return try ext(2)
            case 0xd6: return try ext(4)
            case 0xd7: return try ext(8)
            case 0xd8: return try ext(16)
            case 0xd9: return try str(Int(try be(UInt8.self)))
            case 0xda: return try str(Int(try be(UInt16.self)))
            case 0xdb: return try str(Int(try be(UInt32.self)))
            case 0xdc: return try array(Int(try be(UInt16.self)), depth)
            case 0xdd: return try array(Int(try be(UInt32.self)), depth)
            case 0xde: return try map(Int(try be(UInt16.self)), depth)
            case 0xdf: return try map(Int(try be(UInt32.self)), depth)
            case 0xe0...0xff: return .int(Int64(Int8(bitPattern: t)))
            default:
                pos -= 1
                throw fail("type byte 0xc1 is never used")
            }
        }

        mutating func str(_ n: Int) throws -> WireValue {
            let start = pos
            let b = try take(n)
            guard let s = String(validating: b, as: UTF8.self) else {
                pos = start
                throw fail("str of \(n) bytes is not valid UTF-8")
            }
            return .string(s)
        }
        mutating func ext(_ n: Int) throws -> WireValue {
            let t = Int8(bitPattern: try byte())
            return .ext(type: t, data: try take(n))
        }
        mutating func array(_ n: Int, _ depth: Int) throws -> WireValue {
            guard n <= bytes.count - pos else { throw fail("array of \(n) elements, \(bytes.count - pos) byte(s) left") }
            var a: [WireValue] = []
            a.reserveCapacity(n)
            for _ in 0..<n { a.append(try value(depth: depth + 1)) }
            return .array(a)
        }
        mutating func map(_ n: Int, _ depth: Int) throws -> WireValue {
            guard n <= (bytes.count - pos) / 2 else { throw fail("map of \(n) entries, \(bytes.count - pos) byte(s) left") }
            var entries: [(key: WireValue, value: WireValue)] = []
            entries.reserveCapacity(n)
            let start = pos
            for _ in 0..<n {
                let k = try value(depth: depth + 1)
                entries.append((key: k, value: try value(depth: depth + 1)))
            }
            let m = WireMap(entries)
            guard numpy else { return .map(m) }
            do { return try MsgPackNumpy.fromMap(m) ?? .map(m) } catch let TransportError.malformed(d) {
                throw TransportError.malformed("msgpack map at byte \(start): \(d)")
            }
        }
    }
}

/// openpi's msgpack-numpy object hook (engineering-notes.md §1a): only **bin** keys mark an array; the same map
/// with str keys stays an ordinary map, exactly as in Python.
enum MsgPackNumpy {
    /// The value under a **bin** key (a str key with the same text does not count).
    static func bin(_ m: WireMap, _ key: [UInt8]) -> WireValue? {
        m.entries.first { e in
            if case .binary(let b) = e.key { return b.elementsEqual(key) }
            return false
        }?.value
    }

    static func fromMap(_ m: WireMap) throws -> WireValue? {
        guard m.count >= 3, m.count <= 4 else { return nil }
        if bin(m, MsgPackEncoder.ndarrayKey) != nil {
            guard case .binary(let bytes)? = bin(m, MsgPackEncoder.dataKey) else { throw TransportError.malformed("ndarray without bin 'data'") }
            let dt = try dtypeOf(m)
            guard case .array(let dims)? = bin(m, MsgPackEncoder.shapeKey) else { throw TransportError.malformed("ndarray without array 'shape'") }
            let shape = try dims.map { d -> Int in
                guard case .int(let i) = d, i >= 0, i <= Int64(Int32.max) else {
                    throw TransportError.malformed("ndarray shape entry \(d.kind) is not a non-negative int")
                }
                return Int(i)
            }
            return .ndarray(try NDArray(dtype: dt, shape: shape, data: bytes))
        }
        if bin(m, MsgPackEncoder.npgenericKey) != nil {
            let dt = try dtypeOf(m)
            guard let item = bin(m, MsgPackEncoder.dataKey) else { throw TransportError.malformed("npgeneric without 'data'") }
            switch (dt, item) {
            case (.float32, _): return item.number.map { .float(Float($0)) }
            case (.float16, _), (.float64, _): return item.number.map { .double($0) }
            case (.bool, .bool): return item
            default: return item  // integer scalars arrive as msgpack ints already
            }
        }
        return nil
    }

    static func dtypeOf(_ m: WireMap) throws -> NDArray.DType {
        guard case .string(let s)? = bin(m, MsgPackEncoder.dtypeKey) else { throw TransportError.malformed("numpy value without str 'dtype'") }
        guard let dt = NDArray.DType(numpy: s) else { throw TransportError.malformed("unsupported numpy dtype '\(s)'") }
        return dt
    }
}
