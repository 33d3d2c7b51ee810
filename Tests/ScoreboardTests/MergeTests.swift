import Foundation
import ResultsSchema
import XCTest
@testable import Scoreboard
import TestSupport

final class MergeTests: XCTestCase {
    var root: URL!
    override func setUpWithError() throws { root = try TestSupport.makeTempDir("scoreboard-merge") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// A variant-aggregation run over two tasks, with an error episode, in canonical order.
    var episodes: [FixtureEpisode] {
        var e = RunFixtures.episodes("google_robot_move_near", count: 9, successes: 4, grasps: 6, variant: "base")
        e += RunFixtures.episodes("google_robot_move_near", count: 9, successes: 7, variant: "darker", firstIndex: 9)
        e += RunFixtures.episodes("google_robot_pick_coke_can", count: 7, successes: 3, variant: "base")
        e.append(FixtureEpisode(task: "google_robot_pick_coke_can", index: 7, success: false, grasped: false, error: "diverged"))
        return e
    }

    /// Shard i of n takes every n-th episode (round robin) and writes them in reverse (finish order differs).
    func writeShards(_ n: Int, hash: (Int) -> String = { _ in "cafe0001" }) throws -> [URL] {
        let all = episodes
        return try (0..<n).map { i in
            let mine = all.enumerated().filter { $0.offset % n == i }.map(\.element)
            let dir = root.appendingPathComponent("shard\(i)")
            try RunFixtures.writeSimRun(at: dir, suite: "google-robot", protocol: "variant-aggregation", policy: "ws://p",
                                        episodes: all, shard: Shard(index: i, count: n), shardEpisodes: mine.reversed(),
                                        hash: hash(i))
            return dir
        }
    }

    func testMergeOfShardsEqualsUnshardedRun() throws {
        let whole = root.appendingPathComponent("whole")
        try RunFixtures.writeSimRun(at: whole, suite: "google-robot", protocol: "variant-aggregation", policy: "ws://p", episodes: episodes)
        let shards = try writeShards(3)
        let out = root.appendingPathComponent("merged")
        let report = try SimMerge.merge(runDirectories: shards.reversed(), into: out)
        XCTAssertEqual(report.duplicates, [])
        XCTAssertEqual(report.missing, [])
        for file in ["summary.json", "episodes.jsonl", "manifest.json"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(file)),
                           try Data(contentsOf: whole.appendingPathComponent(file)), "\(file) differs from the unsharded run")
        }
        // The summary is not vacuous: it holds the expected per-task numbers.
        XCTAssertEqual(report.summary.tasks.map(\.n), [18, 7])
        XCTAssertEqual(report.summary.tasks[1].errors, 1)
    }

    func testRefusesDifferentConfigurations() throws {
        let shards = try writeShards(2, hash: { $0 == 0 ? "cafe0001" : "cafe9999" })
        XCTAssertThrowsError(try SimMerge.merge(runDirectories: shards, into: root.appendingPathComponent("m"))) { e in
            guard case MergeError.configMismatch(let field, _, _, _, let other) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(field, "config_hash")
            XCTAssertEqual(other, "cafe9999")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("m").path), "nothing written")
    }

    func testMissingShardIsAnErrorUnlessAllowed() throws {
        let shards = try writeShards(3)
        XCTAssertThrowsError(try SimMerge.merge(runDirectories: Array(shards.prefix(2)), into: root.appendingPathComponent("m"))) { e in
            guard case MergeError.missingEpisodes(let count, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(count, 8, "26 episodes, every third (offset 2) missing")
        }
        let report = try SimMerge.merge(runDirectories: Array(shards.prefix(2)), into: root.appendingPathComponent("m"), allowMissing: true)
        XCTAssertEqual(report.missing.count, 8)
        XCTAssertEqual(report.summary.nDone, 18)
        XCTAssertEqual(report.summary.nExpected, 26)
    }

    func testDuplicateEpisodesFlaggedAndFirstKept() throws {
        let shards = try writeShards(2)
        // Shard 1 also re-ran one of shard 0's episodes, with a different outcome.
        let first = episodes[0]
        var dup = first
        dup.success.toggle()
        let m1 = shards[1].appendingPathComponent("manifest.json")
        var manifest = try JSONDecoder().decode(SimManifest.self, from: Data(contentsOf: m1))
        manifest.episodeIds.append(first.id(suite: "google-robot"))
        try JSONCoding.encoder.encode(manifest).write(to: m1)
        let h = try FileHandle(forWritingTo: shards[1].appendingPathComponent("episodes.jsonl"))
        h.seekToEndOfFile(); h.write(Data((dup.line(suite: "google-robot", seed: 0) + "\n").utf8)); h.closeFile()

        let report = try SimMerge.merge(runDirectories: shards, into: root.appendingPathComponent("m"))
        XCTAssertEqual(report.duplicates, [first.id(suite: "google-robot")])
        XCTAssertEqual(report.conflictingDuplicates, [first.id(suite: "google-robot")])
        XCTAssertEqual(report.summary.tasks[0].successes, 11, "shard 0's copy (a success) kept")
    }

    func testEpisodeOutsideItsShardIsRefused() throws {
        let shards = try writeShards(2)
        let h = try FileHandle(forWritingTo: shards[1].appendingPathComponent("episodes.jsonl"))
        h.seekToEndOfFile(); h.write(Data((episodes[0].line(suite: "google-robot", seed: 0) + "\n").utf8)); h.closeFile()
        XCTAssertThrowsError(try SimMerge.merge(runDirectories: shards, into: root.appendingPathComponent("m"))) { e in
            guard case MergeError.unexpectedEpisodes = e else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try SimMerge.merge(runDirectories: shards, into: shards[0])) { e in
            XCTAssertEqual(e as? MergeError, .outputIsInput(shards[0].path))
        }
    }
}
