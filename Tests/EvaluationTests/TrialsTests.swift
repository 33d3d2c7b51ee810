import Engine
import Evaluation
import Foundation
import Testing
import TestSupport

/// `--trials N` (Vlaser Table 2/8: 24 Bridge configurations × 10 trials = 240 episodes per WidowX task): each trial is
/// its own episode id with its own seed, and the seed and trial reach a remote policy in `__harness__`.
@Suite(.serialized) struct TrialsTests {
    @Test func tenTrialsPlan240DistinctSeedsPerWidowXTask() throws {
        var o = SimRunOptions(suite: "widowx", out: try TestSupport.makeTempDir())
        o.policy = "zero"
        o.trials = 10
        let run = try SimRun(o)
        #expect(run.protocolName == "visual-matching" && run.protocolIsSuiteDefault)
        let keys = run.manifest.episodeIds.compactMap(EpisodeKey.init(id:))
        #expect(keys.count == 4 * 240)
        for (task, ks) in Dictionary(grouping: keys, by: \.task) {
            #expect(ks.count == 240 && Set(ks.map { $0.seed(base: 0) }).count == 240, "\(task)")
            #expect(Set(ks.map(\.repeatIndex)) == Set(0..<10) && Set(ks.map(\.index)) == Set(0..<24))
        }
    }

    @Test func seedsAndTrialsReachTheServer() throws {
        let dir = try TestSupport.makeTempDir()
        let log = dir.appendingPathComponent("requests.jsonl")
        let server = try Peer("log", "openpi", log.path)
        let preset = dir.appendingPathComponent("p.json")
        try Data(#"{"prompt_key": "prompt", "harness_key": true, "execute": 4}"#.utf8).write(to: preset)
        let out = dir.appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--task", "widowx_carrot_on_plate", "--episodes", "0..1", "--trials", "3",
                                     "--policy", "ws://127.0.0.1:\(server.port)", "--policy-preset", preset.path,
                                     "--wait-for-server", "30", "--workers", "2", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try SimCommandTests.records(out)
        #expect(records.count == 6 && Set(records.compactMap { $0["repeat"] as? Int }) == [0, 1, 2])
        let recordSeeds = Set(records.compactMap { $0["seed"] as? UInt64 })
        let first = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["__harness__"] as? [String: Any]
        }.filter { $0["step"] as? Int == 0 }
        #expect(first.count == 6 && recordSeeds.count == 6 && Set(first.compactMap { $0["seed"] as? UInt64 }) == recordSeeds)
        #expect(Set(first.compactMap { $0["episode_id"] as? String }).count == 6)
    }
}
