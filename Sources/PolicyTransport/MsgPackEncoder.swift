/// msgpack encoder (github.com/msgpack/msgpack/blob/master/spec.md) writing into one buffer sized exactly in a
/// first pass, so a several-MB observation costs one allocation and one copy of each image.
/// `.ndarray` values are written in openpi's msgpack-numpy convention (engineering-notes.md §1a): a 4-entry map
/// whose keys `__ndarray__`, `data`, `dtype`, `shape` are **bin**, not str, in that order.
public enum MsgPackEncoder {
    static let ndarrayKey: [UInt8] = Array("__ndarray__".utf8)
    static let npgenericKey: [UInt8] = Array("__npgeneric__".utf8)
    static let dataKey: [UInt8] = Array("data".utf8)
    static let dtypeKey: [UInt8] = Array("dtype".utf8)
    static let shapeKey: [UInt8] = Array("shape".utf8)

    /// Encodes `value`, leaving `headroom` zero bytes in front (a websocket frame header goes there).
    public static func encode(_ value: WireValue, headroom: Int = 0) -> [UInt8] {
        let total = headroom + size(value)
        return [UInt8](unsafeUninitializedCapacity: total) { buf, initialized in
            let raw = UnsafeMutableRawBufferPointer(buf)
            raw.baseAddress!.initializeMemory(as: UInt8.self, repeating: 0, count: headroom)
            var w = Writer(raw: raw, pos: headroom)
            w.value(value)
            precondition(w.pos == total, "msgpack size pass and write pass disagree")
            initialized = total
        }
    }

    /// Exact encoded size of `value` in bytes.
    public static func size(_ value: WireValue) -> Int {
        switch value {
        case .null, .bool: return 1
        case .int(let v): return v >= 0 ? uintSize(UInt64(v)) : intSize(v)
        case .uint(let v): return uintSize(v)
        case .float: return 5
        case .double: return 9
        case .string(let s): return strHeader(s.utf8.count) + s.utf8.count
        case .binary(let b): return binHeader(b.count) + b.count
        case .array(let a): return containerHeader(a.count) + a.reduce(0) { $0 + size($1) }
        case .map(let m): return containerHeader(m.count) + m.entries.reduce(0) { $0 + size($1.key) + size($1.value) }
        case .ext(_, let d): return extHeader(d.count) + d.count
        case .ndarray(let a):
            let keys = [ndarrayKey, dataKey, dtypeKey, shapeKey].reduce(0) { $0 + binHeader($1.count) + $1.count }
            return 1 + keys + 1 + binHeader(a.data.count) + a.data.count
                + strHeader(a.dtype.descr.utf8.count) + a.dtype.descr.utf8.count
                + containerHeader(a.shape.count) + a.shape.reduce(0) { $0 + uintSize(UInt64($1)) }
        }
    }

    static func uintSize(_ v: UInt64) -> Int { v < 128 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 : v <= 0xffff_ffff ? 5 : 9 }
    static func intSize(_ v: Int64) -> Int { v >= -32 ? 1 : v >= -128 ? 2 : v >= -32768 ? 3 : v >= -2_147_483_648 ? 5 : 9 }
    static func strHeader(_ n: Int) -> Int { n < 32 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5 }
    static func binHeader(_ n: Int) -> Int { n <= 0xff ? 2 : n <= 0xffff ? 3 : 5 }
    static func containerHeader(_ n: Int) -> Int { n < 16 ? 1 : n <= 0xffff ? 3 : 5 }
    static func extHeader(_ n: Int) -> Int { [1, 2, 4, 8, 16].contains(n) ? 2 : n <= 0xff ? 3 : n <= 0xffff ? 4 : 6 }

    /// Writes into memory the size pass has already accounted for.
    struct Writer {
        let raw: UnsafeMutableRawBufferPointer
        var pos: Int

        mutating func byte(_ b: UInt8) { raw[pos] = b; pos += 1 }
        mutating func be<T: FixedWidthInteger>(_ v: T) {
            raw.storeBytes(of: v.bigEndian, toByteOffset: pos, as: T.self); pos += MemoryLayout<T>.size
        }
        mutating func bytes<C: Collection>(_ c: C) where C.Element == UInt8 {
            let n = c.count
            if n == 0 { return }
            if c.withContiguousStorageIfAvailable({ src in
                UnsafeMutableRawBufferPointer(rebasing: raw[pos..<pos + n]).copyMemory(from: UnsafeRawBufferPointer(src))
            }) == nil {
                for b in c { raw[pos] = b; pos += 1 }
                return
            }
            pos += n
        }

        mutating func value(_ v: WireValue) {
            switch v {
            case .null: byte(0xc0)
            case .bool(let b): byte(b ? 0xc3 : 0xc2)
            case .int(let i): if i >= 0 { uint(UInt64(i)) } else { int(i) }
            case .uint(let u): uint(u)
            case .float(let f): byte(0xca); be(f.bitPattern)
            case .double(let d): byte(0xcb); be(d.bitPattern)
            case .string(let s): str(s)
            case .binary(let b): bin(b)
            case .array(let a):
                container(a.count, fix: 0x90, b16: 0xdc, b32: 0xdd)
                for e in a { value(e) }
            case .map(let m):
                container(m.count, fix: 0x80, b16: 0xde, b32: 0xdf)
                for e in m.entries { value(e.key); value(e.value) }
            case .ext(let t, let d): ext(t, d)
            case .ndarray(let a):
                byte(0x84)
                bin(MsgPackEncoder.ndarrayKey[...]); byte(0xc3)
                bin(MsgPackEncoder.dataKey[...]); bin(a.data)
                bin(MsgPackEncoder.dtypeKey[...]); str(a.dtype.descr)
                bin(MsgPackEncoder.shapeKey[...])
                container(a.shape.count, fix: 0x90, b16: 0xdc, b32: 0xdd)
                for d in a.shape { uint(UInt64(d)) }
            }
        }

        mutating func uint(_ u: UInt64) {
            switch u {
            case ..<128: byte(UInt8(u))
            case ...0xff: byte(0xcc); byte(UInt8(u))
            case ...0xffff: byte(0xcd); be(UInt16(u))
            case ...0xffff_ffff: byte(0xce); be(UInt32(u))
            default: byte(0xcf); be(u)
            }
        }
        mutating func int(_ i: Int64) {
            switch i {
            case (-32)...: byte(UInt8(bitPattern: Int8(i)))
            case (-128)...: byte(0xd0); byte(UInt8(bitPattern: Int8(i)))
            case (-32768)...: byte(0xd1); be(Int16(i))
            case (-2_147_483_648)...: byte(0xd2); be(Int32(i))
            default: byte(0xd3); be(i)
            }
        }
        mutating func str(_ s: String) {
            let n = s.utf8.count
            if n < 32 { byte(0xa0 | UInt8(n)) } else if n <= 0xff { byte(0xd9); byte(UInt8(n)) }
            else if n <= 0xffff { byte(0xda); be(UInt16(n)) } else { byte(0xdb); be(UInt32(n)) }
            bytes(s.utf8)
        }
        mutating func bin(_ b: Bytes) {
            let n = b.count
            if n <= 0xff { byte(0xc4); byte(UInt8(n)) } else if n <= 0xffff { byte(0xc5); be(UInt16(n)) }
            else { byte(0xc6); be(UInt32(n)) }
            bytes(b)
        }
        mutating func container(_ n: Int, fix: UInt8, b16: UInt8, b32: UInt8) {
            if n < 16 { byte(fix | UInt8(n)) } else if n <= 0xffff { byte(b16); be(UInt16(n)) } else { byte(b32); be(UInt32(n)) }
        }
        mutating func ext(_ t: Int8, _ d: Bytes) {
            let fixed: [Int: UInt8] = [1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8]
            if let code = fixed[d.count] { byte(code) }
            else if d.count <= 0xff { byte(0xc7); byte(UInt8(d.count)) }
            else if d.count <= 0xffff { byte(0xc8); be(UInt16(d.count)) }
            else { byte(0xc9); be(UInt32(d.count)) }
            byte(UInt8(bitPattern: t))
            bytes(d)
        }
    }
}
