// Fuzz target for the msgpack and JSON decoders (libFuzzer). Build and run: docs/policy-servers.md § Fuzzing.
// SwiftPM links executables with their entry point renamed (`msgpack_fuzz_main`), so libFuzzer's own `main` is never
// used: with `-D FUZZING` our entry point hands control to `LLVMFuzzerRunDriver`; without it, a small driver replays
// inputs given as files, so the target builds in the ordinary `swift build` and reproduces a crash without the sanitizer.
import Foundation
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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    exercise(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main
enum FuzzDriver {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }
}
#else
@main
enum ReplayDriver {
    static func main() throws {
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: msgpack-fuzz FILE... (build with -D FUZZING for libFuzzer)\n".utf8))
            exit(2)
        }
        for f in files { exercise([UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))) }
        print("replayed \(files.count) input(s) without a crash")
    }
}
#endif
