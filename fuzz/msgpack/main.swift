// Fuzz target for the msgpack and JSON decoders (libFuzzer; docs/fuzzing.md).
import FuzzDriver
import PolicyTransport

/// Decoding must either succeed or throw a `TransportError`; anything else (trap, overflow, overread) is a bug.
/// A successful decode must re-encode to a value that decodes to the same tree.
func exercise(_ bytes: [UInt8]) {
    if let v = try? MsgPackDecoder.decode(bytes, numpy: false) {
        let again = try! MsgPackDecoder.decode(MsgPackEncoder.encode(v), numpy: false)
        precondition(again == v || hasNaN(v), "msgpack re-encode changed the value")
    }
    if let v = try? MsgPackDecoder.decode(bytes), case .ndarray(let a) = v { _ = a.doubles() }
    _ = try? JSONCodec.decode(bytes, arrays: .jsonNumpy)
    _ = try? JSONCodec.decode(bytes, arrays: .roboTwin)
}

func hasNaN(_ v: WireValue) -> Bool {
    switch v {
    case .float(let f): return f.isNaN
    case .double(let d): return d.isNaN
    case .array(let a): return a.contains(where: hasNaN)
    case .map(let m): return m.entries.contains { hasNaN($0.key) || hasNaN($0.value) }
    default: return false
    }
}

FuzzDriver.run("msgpack-fuzz", exercise)
