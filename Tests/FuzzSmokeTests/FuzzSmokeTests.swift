import Foundation
import Testing
import TestSupport

/// The CI fuzz smoke run (docs/fuzzing.md): each fuzz target, built by the ordinary `swift build`, replays its seed
/// corpus (fuzz/<target>/corpus) and a fixed number of deterministic mutations of it. Seconds, not the ≥ 1 M-input
/// libFuzzer campaign, which needs the sanitizer build.
@Suite struct FuzzSmokeTests {
    /// (executable, corpus folder under fuzz/, mutations): about a CPU-second or two each in a debug build; fewer
    /// for the targets whose inputs cost milliseconds (an episode's physics world, a loopback connection).
    @Test(arguments: [("msgpack-fuzz", "msgpack", 5000), ("answer-fuzz", "answers", 2000), ("urdf-fuzz", "urdf", 1000),
                      ("mesh-fuzz", "meshes", 1000), ("scene-fuzz", "scenes", 1000), ("framing-fuzz", "framing", 50)])
    func targetSurvivesItsCorpusAndMutations(executable: String, corpus: String, mutations: Int) throws {
        let binary = URL(fileURLWithPath: TestSupport.cliExecutable).deletingLastPathComponent().appendingPathComponent(executable)
        let seeds = TestSupport.repoRoot.appendingPathComponent("fuzz/\(corpus)/corpus")
        let count = try FileManager.default.contentsOfDirectory(atPath: seeds.path).count
        #expect(count >= 2, "fuzz/\(corpus)/corpus holds \(count) seed(s)")
        let r = try TestSupport.run(binary.path, ["--mutate", "\(mutations)", seeds.path], environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(r.status == 0, "\(executable) crashed: \(r.stderr.suffix(2000))")
        #expect(r.stdout.contains("replayed \(count) input(s) and \(mutations) mutation(s) without a crash"), "\(r.stdout)")
    }
}
