/// Bytes that may share storage with a larger received buffer: decoding a `bin` or an ndarray payload slices the
/// message instead of copying it.
public typealias Bytes = ArraySlice<UInt8>

/// The protocol-neutral value tree every wire format (msgpack, json_numpy JSON, RoboTwin JSON) maps to and from.
/// Numpy arrays are first-class (`.ndarray`) so each format can spell them its own way.
public indirect enum WireValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Only for unsigned values above `Int64.max` (msgpack uint 64); everything smaller decodes as `.int`.
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary(Bytes)
    case array([WireValue])
    case map(WireMap)
    /// msgpack extension type (including the timestamp type −1, kept opaque).
    case ext(type: Int8, data: Bytes)
    case ndarray(NDArray)

    /// The value as a Double when it is any numeric scalar (what JSON and numpy scalars both collapse to).
    public var number: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .uint(let v): return Double(v)
        case .float(let v): return Double(v)
        case .double(let v): return v
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var map: WireMap? { if case .map(let m) = self { return m }; return nil }
    public var ndarray: NDArray? { if case .ndarray(let a) = self { return a }; return nil }
    public var array: [WireValue]? { if case .array(let a) = self { return a }; return nil }

    /// A short description for error messages (never the payload of a large array).
    public var kind: String {
        switch self {
        case .null: return "nil"
        case .bool: return "bool"
        case .int, .uint: return "int"
        case .float, .double: return "float"
        case .string: return "str"
        case .binary(let b): return "bin(\(b.count) bytes)"
        case .array(let a): return "array(\(a.count))"
        case .map(let m): return "map(\(m.count))"
        case .ext(let t, _): return "ext(\(t))"
        case .ndarray(let a): return "ndarray(\(a.dtype.descr) \(a.shape))"
        }
    }
}

/// An ordered map (msgpack and JSON objects keep their wire order; lookups are by key). Keys are values because
/// msgpack allows any key — openpi relies on `bin` keys for its ndarray convention.
public struct WireMap: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    public var entries: [(key: WireValue, value: WireValue)]

    public init(_ entries: [(key: WireValue, value: WireValue)] = []) { self.entries = entries }
    public init(dictionaryLiteral elements: (String, WireValue)...) {
        entries = elements.map { (key: .string($0.0), value: $0.1) }
    }

    public var count: Int { entries.count }

    /// Lookup by str key (the common case); setting replaces in place or appends.
    public subscript(key: String) -> WireValue? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }
    public subscript(key: WireValue) -> WireValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            let i = entries.firstIndex { $0.key == key }
            switch (i, newValue) {
            case (let i?, let v?): entries[i].value = v
            case (let i?, nil): entries.remove(at: i)
            case (nil, let v?): entries.append((key: key, value: v))
            case (nil, nil): break
            }
        }
    }
    /// The str keys, in wire order.
    public var stringKeys: [String] { entries.compactMap { $0.key.string } }

    public static func == (a: WireMap, b: WireMap) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
