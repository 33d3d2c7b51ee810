import Foundation
import ResultsSchema
import XCTest
@testable import Scoreboard
import TestSupport

/// `merge` carries each kept episode's per-episode files (actions, videos, frames, logs) from the shard whose record
/// it kept, sums the shards' timing, and leaves out files of episodes no shard record names.
final class MergeArtifactsTests: XCTestCase {
    func testPerEpisodeFilesFollowTheirRecords() throws {
        let root = try TestSupport.makeTempDir("merge-artifacts")
        defer { try? FileManager.default.removeItem(at: root) }
        let all = RunFixtures.episodes("widowx_stack_cube", count: 4, successes: 2)
        let stem = { (e: FixtureEpisode) in RunArtifacts.stem(episodeID: e.id(suite: "widowx")) }
        // Videos are named with their outcome (`…__success.mp4`): they follow their record too.
        let video = { (e: FixtureEpisode) in RunArtifacts.outcomeStem(episodeID: e.id(suite: "widowx"), success: e.success) + ".mp4" }
        func write(_ dir: URL, _ path: String, _ text: String) throws {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        var shards: [URL] = []
        for i in 0..<2 {
            let mine = all.enumerated().filter { $0.offset % 2 == i }.map(\.element)
            let dir = root.appendingPathComponent("shard\(i)")
            try RunFixtures.writeSimRun(at: dir, suite: "widowx", policy: "scripted", episodes: all,
                                        shard: Shard(index: i, count: 2), shardEpisodes: mine)
            for e in mine {
                try write(dir, "actions/widowx_stack_cube/\(stem(e)).jsonl", "actions of \(e.index)\n")
                try write(dir, "videos/widowx_stack_cube/\(video(e))", "video of \(e.index)")
                try write(dir, "frames/widowx_stack_cube/\(stem(e))/step_0000.png", "frame of \(e.index)")
                try write(dir, "logs/widowx_stack_cube/\(stem(e)).jsonl", "log of \(e.index)\n")
            }
            // A file of an episode this shard did not record (a crashed earlier attempt) stays behind.
            try write(dir, "actions/widowx_stack_cube/\(stem(all[(i + 1) % 2])).jsonl", "stale")
            shards.append(dir)
        }
        let out = root.appendingPathComponent("merged")
        let report = try SimMerge.merge(runDirectories: shards, into: out)
        XCTAssertEqual(report.artifacts, 16)
        for e in all {
            for (path, text) in [("actions/widowx_stack_cube/\(stem(e)).jsonl", "actions of \(e.index)\n"),
                                 ("videos/widowx_stack_cube/\(video(e))", "video of \(e.index)"),
                                 ("frames/widowx_stack_cube/\(stem(e))/step_0000.png", "frame of \(e.index)"),
                                 ("logs/widowx_stack_cube/\(stem(e)).jsonl", "log of \(e.index)\n")] {
                XCTAssertEqual(try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8), text, path)
            }
        }
        let timing = try JSONDecoder().decode(TimingSummary.self, from: Data(contentsOf: out.appendingPathComponent(TimingSummary.fileName)))
        XCTAssertEqual(timing.run.episodes, 0, "fixture lines carry no timing object")
        XCTAssertEqual(timing.tasks.map(\.task), ["widowx_stack_cube"])
    }
}
