import Foundation
import ResultsSchema
import XCTest
@testable import Scoreboard
import TestSupport

/// The `scoreboard` and `merge` subcommands, run as the built executable.
final class CommandTests: XCTestCase {
    var root: URL!
    override func setUpWithError() throws { root = try TestSupport.makeTempDir("scoreboard-cli") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    static var executable: String { TestSupport.cliExecutable }

    func cli(_ args: [String], cwd: URL? = nil) throws -> TestSupport.ProcessResult {
        try TestSupport.run(Self.executable, args, cwd: cwd ?? root)
    }

    func writeRuns() throws -> URL {
        let runs = root.appendingPathComponent("runs")
        try RunFixtures.writeSimRun(at: runs.appendingPathComponent("wx"), suite: "widowx", policy: "ws://my-policy",
                                    episodes: RunFixtures.episodes("widowx_carrot_on_plate", count: 24, successes: 13)
                                        + RunFixtures.episodes("widowx_stack_cube", count: 24, successes: 2))
        try RunFixtures.writeReasonRun(at: runs.appendingPathComponent("reason"), model: "my-vlm", scores: ["erqa": 33.3])
        return runs
    }

    func testScoreboardWritesThreeDeterministicFiles() throws {
        let runs = try writeRuns()
        for out in ["out1", "out2"] {
            let r = try cli(["scoreboard", runs.path, "--out", root.appendingPathComponent(out).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        for file in Scoreboard.outputFiles {
            let a = try Data(contentsOf: root.appendingPathComponent("out1/\(file)"))
            XCTAssertEqual(a, try Data(contentsOf: root.appendingPathComponent("out2/\(file)")), "\(file) not deterministic")
        }
        let html = try String(contentsOf: root.appendingPathComponent("out1/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("ws://my-policy"))
        XCTAssertNil(html.range(of: "(src|href)=\"(https?:)?//|url\\(|@import", options: .regularExpression),
                     "self-contained: nothing loaded from elsewhere")
        let md = try String(contentsOf: root.appendingPathComponent("out1/scoreboard.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("| **ws://my-policy**<br><sub>visual-matching</sub> | 54.2<br><sub>13/24 [35.1, 72.1]</sub> |"), md)
        let json = try JSONDecoder().decode(ScoreboardDocument.self, from: Data(contentsOf: root.appendingPathComponent("out1/scoreboard.json")))
        XCTAssertEqual(json.runs.count, 2)
    }

    func testPrintWritesNothingAndDefaultsToRunsDirectory() throws {
        _ = try writeRuns()
        let r = try cli(["scoreboard", "--print"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("== Table 2"))
        XCTAssertTrue(r.stdout.contains("* ws://my-policy"))
        XCTAssertTrue(r.stdout.contains("[35.1, 72.1]"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("scoreboard").path),
                       "--print without --out writes no files")
    }

    func testBadInputsReportedAndOutputIntoRunRefused() throws {
        let runs = try writeRuns()
        let broken = runs.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("{\"schema_version\": 1, \"kind\": \"reason\", \"model\": ".utf8).write(to: broken.appendingPathComponent("reason_results.json"))
        let ok = try cli(["scoreboard", runs.path, "--out", root.appendingPathComponent("o").path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stderr.contains("skipped \(broken.appendingPathComponent("reason_results.json").path)"), ok.stderr)

        let into = try cli(["scoreboard", runs.path, "--out", runs.appendingPathComponent("wx").path])
        XCTAssertEqual(into.status, 2)
        XCTAssertTrue(into.stderr.contains("inside the run directory"), into.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: runs.appendingPathComponent("wx/index.html").path))

        let badLink = try cli(["scoreboard", runs.path, "--link", "nonsense"])
        XCTAssertEqual(badLink.status, 2)
        XCTAssertTrue(badLink.stderr.contains("--link 'nonsense'"), badLink.stderr)
    }

    func testMergeCommand() throws {
        let eps = RunFixtures.episodes("widowx_spoon_on_towel", count: 6, successes: 3)
        var dirs: [String] = []
        for i in 0..<2 {
            let d = root.appendingPathComponent("s\(i)")
            try RunFixtures.writeSimRun(at: d, suite: "widowx", policy: "p", episodes: eps, shard: Shard(index: i, count: 2),
                                        shardEpisodes: eps.enumerated().filter { $0.offset % 2 == i }.map(\.element), hash: "h")
            dirs.append(d.path)
        }
        let ok = try cli(["merge"] + dirs + ["--out", root.appendingPathComponent("m").path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("6/6 episodes"), ok.stdout)

        let other = root.appendingPathComponent("s9")
        try RunFixtures.writeSimRun(at: other, suite: "widowx", policy: "p", episodes: eps, shard: Shard(index: 1, count: 2),
                                    shardEpisodes: [], hash: "different")
        let bad = try cli(["merge", dirs[0], other.path, "--out", root.appendingPathComponent("m2").path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("config_hash"), bad.stderr)

        // Merging again into the earlier merge (after a shard was resumed) is fine; over another run it is refused,
        // and that run is left as it was.
        let again = try cli(["merge"] + dirs + ["--out", root.appendingPathComponent("m").path])
        XCTAssertEqual(again.status, 0, again.stderr)
        let unrelated = root.appendingPathComponent("unrelated")
        try RunFixtures.writeSimRun(at: unrelated, suite: "widowx", policy: "q", episodes: eps, hash: "other")
        try FileManager.default.createDirectory(at: unrelated.appendingPathComponent("actions"), withIntermediateDirectories: true)
        let before = try Data(contentsOf: unrelated.appendingPathComponent("episodes.jsonl"))
        let refused = try cli(["merge"] + dirs + ["--out", unrelated.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("already holds files (actions, episodes.jsonl, manifest.json)"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: unrelated.appendingPathComponent("episodes.jsonl")), before)
        let file = root.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let onFile = try cli(["merge"] + dirs + ["--out", file.path])
        XCTAssertEqual(onFile.status, 2)
        XCTAssertEqual(onFile.stderr, "error: merge: --out \(file.path) is a file, not a directory\n")
    }
}
