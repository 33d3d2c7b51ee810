import Foundation
import Testing
import TestSupport

/// Reasoning benchmarks on a real single-node SLURM cluster (docs/cluster.md): a 4-task array against the fixture
/// chat server plus an `afterok` merge gives the unsharded run's scores and per-sample predictions.
@Suite(.serialized) struct SlurmReasonTests {
    @Test func reasonArrayMergesIntoTheUnshardedRun() throws {
        let w = try FixtureWorld()
        try w.start()
        defer { w.stop() }
        let slurm = try LocalSlurm()
        let benches = ["where2place", "vsi_bench"]
        let args = ["reason", "--data", w.data.path, "--endpoint", w.endpoint, "--model", "fixture-model", "--no-cache",
                    "--retry-delay", "0.05", "--bench"] + benches
        let run = w.dir.appendingPathComponent("cluster")
        let jobs = try slurm.submit(["--shards", "4", run.path] + args,
                                    environment: ["VLASER_BENCHMARKS_DIR": TestSupport.repoRoot.appendingPathComponent("benchmarks/reasoning").path])
        let whole = w.dir.appendingPathComponent("whole")
        let reference = try w.cli(args + ["--out", whole.path])
        #expect(reference.status == 0, "\(reference.stderr)")

        #expect(try slurm.wait(for: jobs[0], timeout: 300) == Array(repeating: "COMPLETED", count: 4))
        #expect(try slurm.wait(for: jobs[1], timeout: 120) == ["COMPLETED"],
                "\((try? String(contentsOf: run.appendingPathComponent("slurm/merge.log"), encoding: .utf8)) ?? "")")
        for i in 0..<4 {
            let shard = (try FixtureWorld.results(run.appendingPathComponent("shards/shard-\(i)"))["shard"]) as? [String: Int]
            #expect(shard == ["index": i, "count": 4])
        }
        let merged = try FixtureWorld.results(run), unsharded = try FixtureWorld.results(whole)
        #expect(NSArray(array: merged["benchmarks"] as! [Any]).isEqual(to: unsharded["benchmarks"] as! [Any]))
        #expect(merged["average"] as? Double == unsharded["average"] as? Double)
        for b in benches { #expect(try FixtureWorld.stablePredictions(run, b) == FixtureWorld.stablePredictions(whole, b), "\(b)") }
        #expect(slurm.stop().isEmpty, "daemons survived stop")
    }
}
