import Foundation

/// JSON ↔ `WireValue`, with the two ways policy servers put numpy arrays in JSON:
/// json_numpy (OpenVLA `/act`, engineering-notes.md §1b) and RoboTwin's model server (RoboTwin script/policy_model_server.py).
public enum JSONArrayConvention: Sendable {
    /// `{"__numpy__": base64, "dtype": descr, "shape": [...]}`; shape `[]` is a scalar.
    case jsonNumpy
    /// `{"__numpy_array__": true, "data": base64, "dtype": numpy name, "shape": [...]}`.
    case roboTwin
}

public enum JSONCodec {
    public static let maxDepth = 512

    /// UTF-8 JSON. Non-finite floats are written as Python's `json` writes them (`NaN`, `Infinity`).
    public static func encode(_ value: WireValue, arrays: JSONArrayConvention) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, arrays, &out)
        return out
    }

    private static func write(_ v: WireValue, _ c: JSONArrayConvention, _ out: inout [UInt8]) throws {
        switch v {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .uint(let u): out += Array(String(u).utf8)
        case .float(let f): number(Double(f), f.description, &out)
        case .double(let d): number(d, d.description, &out)
        case .string(let s): string(s, &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(e, c, &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let m):
            out.append(UInt8(ascii: "{"))
            for (i, e) in m.entries.enumerated() {
                guard case .string(let k) = e.key else { throw TransportError.malformed("JSON object key must be a string, got \(e.key.kind)") }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(k, &out); out.append(UInt8(ascii: ":"))
                try write(e.value, c, &out)
            }
            out.append(UInt8(ascii: "}"))
        case .ndarray(let a):
            let b64 = WireValue.string(Data(a.data).base64EncodedString())
            let shape = WireValue.array(a.shape.map { .int(Int64($0)) })
            switch c {
            case .jsonNumpy:
                try write(.map(["__numpy__": b64, "dtype": .string(a.dtype.descr), "shape": shape]), c, &out)
            case .roboTwin:
                try write(.map(["__numpy_array__": .bool(true), "data": b64, "dtype": .string(a.dtype.name), "shape": shape]), c, &out)
            }
        case .binary, .ext: throw TransportError.malformed("\(v.kind) has no JSON form")
        }
    }

    private static func number(_ d: Double, _ text: String, _ out: inout [UInt8]) {
        if d.isNaN { out += Array("NaN".utf8) } else if d.isInfinite { out += Array((d < 0 ? "-Infinity" : "Infinity").utf8) }
        else { out += Array(text.utf8) }
    }

    private static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [0x5c, 0x22]
            case UInt8(ascii: "\\"): out += [0x5c, 0x5c]
            case 0x0a: out += [0x5c, UInt8(ascii: "n")]
            case 0x0d: out += [0x5c, UInt8(ascii: "r")]
            case 0x09: out += [0x5c, UInt8(ascii: "t")]
            case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Parses one JSON document (RFC 8259 plus Python's `NaN`/`Infinity`), turning array objects of the given
    /// convention into `.ndarray`.
    public static func decode(_ bytes: [UInt8], arrays: JSONArrayConvention) throws -> WireValue {
        var p = JSONParser(b: bytes, pos: 0, arrays: arrays)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.pos == bytes.count else { throw p.fail("trailing characters after the JSON value") }
        return v
    }
}

struct JSONParser {
    let b: [UInt8]
    var pos: Int
    let arrays: JSONArrayConvention

    func fail(_ what: String) -> TransportError { .malformed("JSON at byte \(pos): \(what)") }

    mutating func skipSpace() {
        while pos < b.count, b[pos] == 0x20 || b[pos] == 0x0a || b[pos] == 0x0d || b[pos] == 0x09 { pos += 1 }
    }
    mutating func literal(_ word: String, _ v: WireValue) throws -> WireValue {
        let w = Array(word.utf8)
        guard b.count - pos >= w.count, b[pos..<pos + w.count].elementsEqual(w) else { throw fail("unexpected character") }
        pos += w.count
        return v
    }

    mutating func value(depth: Int) throws -> WireValue {
        guard depth < JSONCodec.maxDepth else { throw fail("nesting deeper than \(JSONCodec.maxDepth)") }
        guard pos < b.count else { throw fail("unexpected end of input") }
        switch b[pos] {
        case UInt8(ascii: "{"): return try object(depth)
        case UInt8(ascii: "["):
            pos += 1; skipSpace()
            var a: [WireValue] = []
            if pos < b.count, b[pos] == UInt8(ascii: "]") { pos += 1; return .array(a) }
            while true {
                skipSpace(); a.append(try value(depth: depth + 1)); skipSpace()
                guard pos < b.count else { throw fail("unterminated array") }
                if b[pos] == UInt8(ascii: ",") { pos += 1; continue }
                guard b[pos] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                pos += 1
                return .array(a)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
        case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
        default: return try number()
        }
    }

    mutating func object(_ depth: Int) throws -> WireValue {
        pos += 1; skipSpace()
        var m = WireMap()
        if pos < b.count, b[pos] == UInt8(ascii: "}") { pos += 1 } else {
            while true {
                skipSpace()
                guard pos < b.count, b[pos] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let k = try string()
                skipSpace()
                guard pos < b.count, b[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                pos += 1; skipSpace()
                m.entries.append((key: .string(k), value: try value(depth: depth + 1)))
                skipSpace()
                guard pos < b.count else { throw fail("unterminated object") }
                if b[pos] == UInt8(ascii: ",") { pos += 1; continue }
                guard b[pos] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                pos += 1
                break
            }
        }
        return try numpy(m) ?? .map(m)
    }

    /// The object hook: an array object of the configured convention becomes an ndarray (or a scalar).
    func numpy(_ m: WireMap) throws -> WireValue? {
        let dataKey: String, dtypeText: String?
        switch arrays {
        case .jsonNumpy:
            guard m["__numpy__"] != nil else { return nil }
            dataKey = "__numpy__"; dtypeText = m["dtype"]?.string
        case .roboTwin:
            guard m["__numpy_array__"] == .bool(true) else { return nil }
            dataKey = "data"; dtypeText = m["dtype"]?.string
        }
        guard let text = dtypeText, let dt = NDArray.DType(numpy: text) else {
            throw fail("numpy array with missing or unsupported dtype '\(dtypeText ?? "nil")'")
        }
        guard let b64 = m[dataKey]?.string, let data = Data(base64Encoded: b64) else { throw fail("numpy array '\(dataKey)' is not base64") }
        guard let dims = m["shape"]?.array else { throw fail("numpy array without 'shape'") }
        let shape = try dims.map { d -> Int in
            guard case .int(let i) = d, i >= 0, i <= Int64(Int32.max) else { throw fail("numpy shape entry \(d.kind) is not a non-negative int") }
            return Int(i)
        }
        let a: NDArray
        do { a = try NDArray(dtype: dt, shape: shape, data: [UInt8](data)[...]) } catch let TransportError.malformed(d) { throw fail(d) }
        if arrays == .jsonNumpy && shape.isEmpty {  // json_numpy: shape [] → numpy scalar
            let x = a.doubles()[0]
            switch dt {
            case .float32: return .float(Float(x))
            case .float16, .float64: return .double(x)
            case .bool: return .bool(x != 0)
            default: return .int(Int64(x))
            }
        }
        return .ndarray(a)
    }

    mutating func string() throws -> String {
        pos += 1
        let start = pos
        while pos < b.count, b[pos] != UInt8(ascii: "\""), b[pos] != UInt8(ascii: "\\"), b[pos] >= 0x20 { pos += 1 }
        guard pos < b.count else { throw fail("unterminated string") }
        if b[pos] == UInt8(ascii: "\"") {
            pos += 1
            guard let s = String(validating: b[start..<pos - 1], as: UTF8.self) else { throw fail("string is not valid UTF-8") }
            return s
        }
        var bytes = Array(b[start..<pos])
        while true {
            guard pos < b.count else { throw fail("unterminated string") }
            let c = b[pos]; pos += 1
            if c == UInt8(ascii: "\"") { break }
            guard c >= 0x20 else { throw fail("control character in string") }
            guard c == UInt8(ascii: "\\") else { bytes.append(c); continue }
            guard pos < b.count else { throw fail("unterminated escape") }
            let e = b[pos]; pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0c)
            case UInt8(ascii: "n"): bytes.append(0x0a)
            case UInt8(ascii: "r"): bytes.append(0x0d)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), b.count - pos >= 6, b[pos] == 0x5c, b[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                bytes += Array(String(Character(u)).utf8)
            default: throw fail("invalid escape")
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return s
    }

    mutating func hex4() throws -> UInt32 {
        guard b.count - pos >= 4, let v = UInt32(String(decoding: b[pos..<pos + 4], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        pos += 4
        return v
    }

    mutating func number() throws -> WireValue {
        let start = pos
        if pos < b.count, b[pos] == UInt8(ascii: "-") {
            pos += 1
            if pos < b.count, b[pos] == UInt8(ascii: "I") { return try literal("Infinity", .double(-.infinity)) }
        }
        var integral = true
        while pos < b.count {
            let c = b[pos]
            if c >= 0x30 && c <= 0x39 { pos += 1 } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { integral = false; pos += 1 } else { break }
        }
        let text = String(decoding: b[start..<pos], as: UTF8.self)
        if integral, let i = Int64(text) { return .int(i) }
        guard pos > start, let d = Double(text), text.first != "+", text.first != "." else {
            pos = start
            throw fail("unexpected character")
        }
        return .double(d)
    }
}
