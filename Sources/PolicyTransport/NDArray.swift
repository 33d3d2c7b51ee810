/// A numpy array as it travels on the wire: a dtype, a shape and the raw little-endian C-order bytes
/// (engineering-notes.md §1a: openpi sends `tobytes()`; json_numpy and RoboTwin base64 the same bytes).
public struct NDArray: Equatable, Sendable {
    /// The numpy dtypes the three protocols carry. `descr` is numpy's `dtype.str` (openpi, json_numpy);
    /// `name` is numpy's `dtype.name` (RoboTwin, RoboTwin script/policy_model_server.py).
    public enum DType: String, CaseIterable, Sendable {
        case bool = "|b1", int8 = "|i1", uint8 = "|u1", int16 = "<i2", uint16 = "<u2", int32 = "<i4"
        case uint32 = "<u4", int64 = "<i8", uint64 = "<u8", float16 = "<f2", float32 = "<f4", float64 = "<f8"

        public var descr: String { rawValue }
        public var itemSize: Int {
            switch self {
            case .bool, .int8, .uint8: return 1
            case .int16, .uint16, .float16: return 2
            case .int32, .uint32, .float32: return 4
            case .int64, .uint64, .float64: return 8
            }
        }
        public var name: String {
            switch self {
            case .bool: return "bool"
            case .int8: return "int8"
            case .uint8: return "uint8"
            case .int16: return "int16"
            case .uint16: return "uint16"
            case .int32: return "int32"
            case .uint32: return "uint32"
            case .int64: return "int64"
            case .uint64: return "uint64"
            case .float16: return "float16"
            case .float32: return "float32"
            case .float64: return "float64"
            }
        }
        /// Parses either spelling; `=` (native order) is little-endian on every host this runs on.
        public init?(numpy text: String) {
            if let d = DType(rawValue: text) { self = d; return }
            if let d = DType.allCases.first(where: { $0.name == text }) { self = d; return }
            guard text.first == "=" || text.first == "<" else { return nil }
            let body = text.dropFirst()
            if let d = DType(rawValue: "<" + body) ?? DType(rawValue: "|" + body) { self = d; return }
            return nil
        }
    }

    public let dtype: DType
    public let shape: [Int]
    /// Exactly `count × dtype.itemSize` bytes, little-endian, C order.
    public let data: Bytes

    public var count: Int { shape.reduce(1, *) }

    /// Validates that the byte count matches the shape (the check that keeps hostile input from reading past the
    /// payload).
    public init(dtype: DType, shape: [Int], data: Bytes) throws {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw TransportError.malformed("ndarray shape \(shape) has a negative dimension") }
            let (p, o) = n.multipliedReportingOverflow(by: d)
            guard !o else { throw TransportError.malformed("ndarray shape \(shape) overflows") }
            n = p
        }
        let (bytes, o) = n.multipliedReportingOverflow(by: dtype.itemSize)
        guard !o, bytes == data.count else {
            throw TransportError.malformed("ndarray \(dtype.descr) shape \(shape) needs \(o ? "too many" : String(bytes)) bytes, got \(data.count)")
        }
        self.dtype = dtype; self.shape = shape; self.data = data
    }

    public init(float32 values: [Float], shape: [Int]? = nil) {
        var bytes = [UInt8](repeating: 0, count: values.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        }
        try! self.init(dtype: .float32, shape: shape ?? [values.count], data: bytes[...])
    }
    public init(float64 values: [Double], shape: [Int]? = nil) {
        var bytes = [UInt8](repeating: 0, count: values.count * 8)
        bytes.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
        }
        try! self.init(dtype: .float64, shape: shape ?? [values.count], data: bytes[...])
    }
    /// An 8-bit image or mask; the bytes are used as they are (no copy beyond the array's own storage).
    public init(uint8 values: [UInt8], shape: [Int]) throws {
        try self.init(dtype: .uint8, shape: shape, data: values[...])
    }

    /// Any dtype from Doubles (integers truncate toward zero; bool is `!= 0`), e.g. a state vector as `<f4`.
    public init(converting values: [Double], to dtype: DType, shape: [Int]? = nil) throws {
        let size = dtype.itemSize
        var bytes = [UInt8](repeating: 0, count: values.count * size)
        bytes.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                let o = i * size
                switch dtype {
                case .bool: raw[o] = v != 0 ? 1 : 0
                case .int8: raw[o] = UInt8(bitPattern: Int8(v))
                case .uint8: raw[o] = UInt8(v)
                case .int16: raw.storeBytes(of: Int16(v).littleEndian, toByteOffset: o, as: Int16.self)
                case .uint16: raw.storeBytes(of: UInt16(v).littleEndian, toByteOffset: o, as: UInt16.self)
                case .int32: raw.storeBytes(of: Int32(v).littleEndian, toByteOffset: o, as: Int32.self)
                case .uint32: raw.storeBytes(of: UInt32(v).littleEndian, toByteOffset: o, as: UInt32.self)
                case .int64: raw.storeBytes(of: Int64(v).littleEndian, toByteOffset: o, as: Int64.self)
                case .uint64: raw.storeBytes(of: UInt64(v).littleEndian, toByteOffset: o, as: UInt64.self)
                case .float16: raw.storeBytes(of: Self.halfBits(v).littleEndian, toByteOffset: o, as: UInt16.self)
                case .float32: raw.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: o, as: UInt32.self)
                case .float64: raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: o, as: UInt64.self)
                }
            }
        }
        try self.init(dtype: dtype, shape: shape ?? [values.count], data: bytes[...])
    }

    /// Every element converted to Double, whatever the dtype (actions arrive as `<f4` or `<f8`).
    public func doubles() -> [Double] {
        let n = count
        return data.withUnsafeBytes { raw in
            (0..<n).map { i in element(raw, i) }
        }
    }
    /// Every element as Float (the openpi wire type for actions and state).
    public func floats() -> [Float] { doubles().map(Float.init) }

    /// The first `limit` rows of a 2-D array ([H, D] action chunks); a 1-D array is one row. Only those rows are
    /// converted: a policy executes a few actions of a chunk, however long the chunk the server sent.
    public func rows(limit: Int = .max) throws -> [[Double]] {
        switch shape.count {
        case 1: return [doubles()]
        case 2:
            let n = min(shape[0], max(0, limit)), d = shape[1]
            guard d > 0 else { return Array(repeating: [], count: n) }
            return data.withUnsafeBytes { raw in (0..<n).map { r in (0..<d).map { element(raw, r * d + $0) } } }
        default: throw TransportError.malformed("expected a 1-D or 2-D array, got shape \(shape)")
        }
    }

    private func element(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Double {
        let o = i * dtype.itemSize
        switch dtype {
        case .bool: return raw[o] != 0 ? 1 : 0
        case .int8: return Double(Int8(bitPattern: raw[o]))
        case .uint8: return Double(raw[o])
        case .int16: return Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int16.self)))
        case .uint16: return Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
        case .int32: return Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
        case .uint32: return Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
        case .int64: return Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
        case .uint64: return Double(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        case .float16: return Self.half(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
        case .float32: return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self))))
        case .float64: return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        }
    }

    /// Double → IEEE binary16, round to nearest even (normal and subnormal range; overflow → ±inf).
    static func halfBits(_ d: Double) -> UInt16 {
        let sign: UInt16 = d.sign == .minus ? 0x8000 : 0
        let a = abs(d)
        if a.isNaN { return 0x7e00 }
        if a >= 65520 { return sign | 0x7c00 }
        if a < 0x1p-14 { return sign | UInt16((a * 0x1p24).rounded(.toNearestOrEven)) }
        let e = Int(a.exponent)
        let m = (a / Double(sign: .plus, exponent: e, significand: 1) - 1) * 1024
        let r = Int(m.rounded(.toNearestOrEven))
        return sign | UInt16((e + 15) << 10 + r)  // r == 1024 carries into the exponent, as it should
    }

    /// IEEE binary16 → Double, written out because `Float16` is not available on every host.
    static func half(_ h: UInt16) -> Double {
        let sign: Double = h & 0x8000 != 0 ? -1 : 1
        let exp = Int((h >> 10) & 0x1f), frac = Double(h & 0x3ff)
        switch exp {
        case 0: return sign * frac * 0x1p-24
        case 31: return frac == 0 ? sign * .infinity : .nan
        default: return sign * (1 + frac / 1024) * Double(sign: .plus, exponent: exp - 15, significand: 1)
        }
    }
}
