// The entry point every fuzz target shares (docs/fuzzing.md). SwiftPM links executables with their entry point
// renamed, so libFuzzer's own `main` is never used: with `-D FUZZING` the target's entry point hands control to
// `LLVMFuzzerRunDriver` (libFuzzer's documented driver API); without it, a small driver replays inputs given as
// files or directories and, with `--mutate N`, tries N deterministic mutations of them — so every target builds in
// the ordinary `swift build`, reproduces a crash file without the sanitizer, and gives CI a seconds-long smoke run.
import Foundation
import VLMath

/// The function under test; set once by `FuzzDriver.run` before any input arrives.
nonisolated(unsafe) private var exercise: ([UInt8]) -> Void = { _ in }

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
#endif

public enum FuzzDriver {
    /// Runs `body` on every input: under libFuzzer with `-D FUZZING`, else replays the command line's files.
    /// `body` must return normally for any input — a trap, overflow or overread is the bug being looked for.
    public static func run(_ name: String, _ body: @escaping ([UInt8]) -> Void) -> Never {
        exercise = body
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
        #else
        var args = Array(CommandLine.arguments.dropFirst())
        var mutations = 0
        if let i = args.firstIndex(of: "--mutate"), i + 1 < args.count, let n = Int(args[i + 1]), n >= 0 {
            mutations = n
            args.removeSubrange(i...i + 1)
        }
        guard !args.isEmpty else {
            FileHandle.standardError.write(Data(("usage: \(name) [--mutate N] FILE_OR_DIR... (build with -D FUZZING for libFuzzer; "
                + "each mutation is saved to $TMPDIR/\(name)-last-mutation before it runs)\n").utf8))
            exit(2)
        }
        let inputs = args.flatMap(files).map { (try? Data(contentsOf: $0)).map { [UInt8]($0) } ?? [] }
        for input in inputs { body(input) }
        var mutator = Mutator(seed: 0x19)
        // Each mutation is saved before it runs, so a crash leaves its input behind to replay.
        let last = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-last-mutation")
        for _ in 0..<mutations {
            let input = mutator.mutate(inputs.isEmpty ? [] : inputs[mutator.below(inputs.count)], donor: inputs)
            try? Data(input).write(to: last)
            body(input)
        }
        print("\(name): replayed \(inputs.count) input(s) and \(mutations) mutation(s) without a crash")
        exit(0)
        #endif
    }

    /// A file, or the regular files of a directory (sorted, so runs are reproducible).
    static func files(_ path: String) -> [URL] {
        let url = URL(fileURLWithPath: path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [url] }
        return names.sorted().filter { !$0.hasPrefix(".") }.map { url.appendingPathComponent($0) }
    }
}

/// libFuzzer's simplest mutations (bit flips, interesting bytes, insertions, deletions, splices from another
/// input), driven by a seeded generator so a smoke run is the same every time.
struct Mutator {
    var random: SeededRandom
    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }

    static let interesting: [UInt8] = [0, 1, 0x7f, 0x80, 0xff, 0x22, 0x2c, 0x3a, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x30, 0x2d, 0x0a]

    mutating func mutate(_ input: [UInt8], donor: [[UInt8]]) -> [UInt8] {
        var b = input
        for _ in 0...below(4) {
            switch below(6) {
            case 0 where !b.isEmpty: b[below(b.count)] ^= UInt8(1) << UInt8(below(8))
            case 1 where !b.isEmpty: b[below(b.count)] = Self.interesting[below(Self.interesting.count)]
            case 2: b.insert(Self.interesting[below(Self.interesting.count)], at: below(b.count + 1))
            case 3 where !b.isEmpty:
                let at = below(b.count)
                b.removeSubrange(at..<min(b.count, at + 1 + below(8)))
            case 4 where !donor.isEmpty:
                let d = donor[below(donor.count)]
                guard !d.isEmpty else { continue }
                let start = below(d.count)
                b.insert(contentsOf: d[start..<min(d.count, start + 1 + below(32))], at: below(b.count + 1))
            case 5 where !b.isEmpty:
                let at = below(b.count)
                b.insert(contentsOf: b[at..<min(b.count, at + 1 + below(16))], at: below(b.count + 1))
            default: continue
            }
        }
        return b
    }
}
