import Foundation
import Testing
import TestSupport
@testable import Reasoning

/// The CLI conventions of `reason`: comma lists, `--config FILE`, `--name`, `--limit` (partial), `list`.
@Suite struct ReasonCLITests {
    @Test func configCommaListNameAndLimit() throws {
        let w = try FixtureWorld()
        let config = w.dir.appendingPathComponent("smoke.yaml")
        try "model: chance\nno-cache: true\nlimit: 1\nname: smoke\nbench: [where2place]\n".write(to: config, atomically: true, encoding: .utf8)
        let out = w.dir.appendingPathComponent("o")
        // The command line's comma list replaces the file's list.
        let r = try w.cli(["reason", "--config", config.path, "--bench", "erqa,mmsi", "--data", w.data.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try FixtureWorld.results(out)
        let benches = doc["benchmarks"] as! [[String: Any]]
        #expect(benches.map { $0["id"] as! String } == ["erqa", "mmsi"] && benches.allSatisfy { $0["n"] as? Int == 1 }, "\(benches)")
        let manifest = doc["manifest"] as! [String: Any]
        #expect(manifest["name"] as? String == "smoke" && manifest["limit"] as? Int == 1)

        try "model: chance\nbenches: [erqa]\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try w.cli(["reason", "--config", config.path, "--data", w.data.path, "--out", out.path])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: \(config.path): key 'benches': unknown"), "\(bad.stderr)")
    }

    @Test func listCountsTheSamplesUnderData() throws {
        let w = try FixtureWorld()
        let r = try w.cli(["reason", "list", "--data", w.data.path])
        #expect(r.status == 0, "\(r.stderr)")
        let defs = try BenchmarkCatalog.loadAll(from: BenchmarkCatalog.locateDirectory())
        #expect(defs.count == 12)
        for d in defs {
            let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("  \(d.id) ") }
            let n = d.importOnly ? "imported" : "\(try Loaders.load(d, dataDir: w.data).count)"
            #expect(line?.contains("  \(n)  ") == true, "\(d.id): \(line ?? "absent")")
        }
        let plain = try w.cli(["list", "benchmarks"])
        #expect(plain.status == 0 && plain.stdout.contains("HF RunsenXu/MMSI-Bench"), "\(plain.stderr)")
    }

    /// Without `--data`, `reason` runs on the bundled synthetic samples (benchmarks/reasoning/samples), and says so.
    @Test func bundledSamplesRunOutOfTheBox() throws {
        let out = try TestSupport.makeTempDir("reason-samples")
        let r = try TestSupport.cli(["reason", "--all", "--model", "chance", "--no-cache", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("using the bundled synthetic samples"), "\(r.stderr)")
        let doc = try FixtureWorld.results(out)
        let scored = (doc["benchmarks"] as! [[String: Any]]).filter { ($0["n"] as? Int ?? 0) > 0 }.map { $0["id"] as! String }
        #expect(Set(scored) == Set(FixtureWorld.expectedScores.keys), "\(scored)")
        #expect(doc["missing"] as? [String] == ["eb_alfred", "eb_habitat"])
    }
}
