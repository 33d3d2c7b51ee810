import Foundation
import Testing
import TestSupport
@testable import Reasoning

/// `vlaser-eval reason` end to end: the built CLI against a real Flask chat server on synthetic data laid out
/// like each published benchmark.
@Suite(.serialized) struct EndToEndTests {
    @Test func fullRunScoresCacheAndDeterminism() throws {
        let w = try FixtureWorld()
        try w.start()
        defer { w.stop() }
        let out1 = w.dir.appendingPathComponent("run1")
        let r = try w.reason(["--all", "--concurrency", "4"], out: out1)
        #expect(r.status == 0, "\(r.stderr)")
        let scores1 = try FixtureWorld.scores(out1)
        #expect(FixtureWorld.close(scores1, FixtureWorld.expectedScores), "\(scores1)")
        let doc = try FixtureWorld.results(out1)
        #expect(abs((doc["average"] as! Double) - FixtureWorld.expectedScores.values.reduce(0, +) / 10) < 1e-9)
        #expect(doc["missing"] as? [String] == ["eb_alfred", "eb_habitat"])
        #expect(doc["schema_version"] as? Int == 1 && doc["kind"] as? String == "reason")
        for e in doc["benchmarks"] as! [[String: Any]] { #expect(e["n_errors"] as? Int == 0, "\(e["id"]!)") }
        // 429 and 500 were retried once each; images and generation parameters reached the server.
        #expect(w.requestCount("Q-erqa-2 ") == 2 && w.requestCount("Q-w2p-0 ") == 2)
        let reqs = w.requests()
        let first = { (m: String) in reqs.first { $0["match"] as? String == m }! }
        #expect(first("Q-erqa-1 ")["images"] as? Int == 2 && first("Q-ego-0 ")["images"] as? Int == 2)
        #expect(first("Q-vsi-0 ")["images"] as? Int == 3 && first("Q-mmsi-0 ")["images"] as? Int == 2)
        #expect(first("Q-w2p-1 ")["max_tokens"] as? Int == 128 && first("Q-w2p-1 ")["temperature"] as? Double == 0)
        #expect(r.stdout.contains("average (plain mean of 10 of 12): 57.7"))

        // Re-run into a fresh folder with the same cache: zero requests, same predictions.
        let sent = reqs.count
        let out2 = w.dir.appendingPathComponent("run2")
        let r2 = try w.reason(["--all", "--concurrency", "3"], out: out2)
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(w.requests().count == sent)
        for b in FixtureWorld.expectedScores.keys {
            #expect(try FixtureWorld.stablePredictions(out1, b) == FixtureWorld.stablePredictions(out2, b), "\(b)")
        }
        var d1 = try FixtureWorld.results(out1), d2 = try FixtureWorld.results(out2)
        d1["created_at"] = nil; d2["created_at"] = nil
        #expect(NSDictionary(dictionary: d1).isEqual(to: d2))
    }

    @Test func interruptedRunResumesWithoutDuplicatesOrLosses() throws {
        let w = try FixtureWorld()
        try w.start()
        defer { w.stop() }
        let out = w.dir.appendingPathComponent("run")
        let benches = ["--bench", "egoplan2", "where2place"]
        // The slow reply (1.2 s) times out: recorded as that sample's error, the run still finishes (exit 3: resumable).
        let r = try w.reason(benches + ["--timeout", "0.6", "--retries", "1"], out: out, cache: false)
        #expect(r.status == 3 && r.stderr.contains("1 samples ended in error"), "\(r.stderr)")
        let ego = (try FixtureWorld.results(out)["benchmarks"] as! [[String: Any]]).first { $0["id"] as? String == "egoplan2" }!
        #expect(ego["n_errors"] as? Int == 1 && ego["n"] as? Int == 2, "\(ego)")
        let errors = try String(contentsOf: out.appendingPathComponent("egoplan2/predictions.jsonl"), encoding: .utf8)
        #expect(errors.contains("timed out"))
        let failed = errors.split(separator: "\n").first { $0.contains("timed out") }
            .flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(failed?["attempts"] as? Int == 2, "a failed sample records the requests it took")
        // Simulate a kill: drop one finished line and leave a torn last line.
        let url = out.appendingPathComponent("where2place/predictions.jsonl")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.remove(at: 1)
        try (lines.joined(separator: "\n") + "\n{\"sample_id\": \"2\", \"resp").write(to: url, atomically: true, encoding: .utf8)
        // Without --resume the folder is protected.
        let refused = try w.reason(benches, out: out, cache: false)
        #expect(refused.status == 2 && refused.stderr.contains("--resume"))

        let before = w.requests().count
        let resumed = try w.reason(benches + ["--resume", "--timeout", "10"], out: out, cache: false)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let sent = w.requests().dropFirst(before).compactMap { $0["match"] as? String }.sorted()
        #expect(sent == ["Q-ego-1 ", "Q-w2p-1 "], "\(sent)")   // the timed-out sample and the lost line only
        for (bench, ids) in [("egoplan2", ["vid0_0", "vid1_1", "vid2_2"]), ("where2place", ["0", "1", "2"])] {
            let text = try String(contentsOf: out.appendingPathComponent("\(bench)/predictions.jsonl"), encoding: .utf8)
            let got = text.split(separator: "\n").map { (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["sample_id"] as! String }
            #expect(got == ids, "\(bench): \(got)")
        }
        let scores = try FixtureWorld.scores(out)
        #expect(abs(scores["egoplan2"]! - 200.0 / 3) < 1e-9 && scores["where2place"] == 50)
    }

    /// A real kill: SIGKILL while the slow reply is in flight, then `--resume` asks only for what was not done.
    @Test func killedRunResumes() throws {
        let w = try FixtureWorld()
        try w.start()
        defer { w.stop() }
        let out = w.dir.appendingPathComponent("killed")
        let p = try w.launchReason(["--bench", "egoplan2", "--concurrency", "1"], out: out)
        let predictions = out.appendingPathComponent("egoplan2/predictions.jsonl")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && w.requestCount("Q-ego-1 ") == 0 { Thread.sleep(forTimeInterval: 0.02) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let done = (try? String(contentsOf: predictions, encoding: .utf8))?.split(separator: "\n").count ?? 0
        #expect(done == 1, "expected only the first sample finished, found \(done)")
        let before = w.requests().count
        let r = try w.reason(["--bench", "egoplan2", "--resume"], out: out, cache: false)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(w.requests().dropFirst(before).compactMap { $0["match"] as? String }.sorted() == ["Q-ego-1 ", "Q-ego-2 "])
        #expect(abs(try FixtureWorld.scores(out)["egoplan2"]! - 200.0 / 3) < 1e-9)
        #expect(try String(contentsOf: predictions, encoding: .utf8).split(separator: "\n").count == 3)
    }

    @Test func shardsMergeIntoTheFullResult() throws {
        let w = try FixtureWorld()
        try w.start()
        defer { w.stop() }
        let benches = ["--bench", "where2place", "vsi_bench", "refspatial", "vlabench"]
        let s0 = w.dir.appendingPathComponent("s0"), s1 = w.dir.appendingPathComponent("s1")
        #expect(try w.reason(benches + ["--shard", "0/2"], out: s0).status == 0)
        #expect(try w.reason(benches + ["--shard", "1/2"], out: s1).status == 0)
        let merged = w.dir.appendingPathComponent("merged")
        _ = try ReasonMerge.merge(runDirectories: [s0, s1], into: merged)
        let want = FixtureWorld.expectedScores.filter { ["where2place", "vsi_bench", "refspatial", "vlabench"].contains($0.key) }
        #expect(FixtureWorld.close(try FixtureWorld.scores(merged), want))
        let manifest = try FixtureWorld.results(merged)["manifest"] as! [String: Any]
        #expect((manifest["merge_report"] as! [String: Any]).isEmpty)

        // One shard alone: the other half is flagged missing.
        let half = w.dir.appendingPathComponent("half")
        _ = try ReasonMerge.merge(runDirectories: [s0], into: half)
        let report = (try FixtureWorld.results(half)["manifest"] as! [String: Any])["merge_report"] as! [String: Any]
        #expect((report["vsi_bench"] as? [String: Any])?["missing"] as? [String] == ["1", "3"])
        // The same shard twice: duplicates flagged.
        let twice = w.dir.appendingPathComponent("twice")
        _ = try ReasonMerge.merge(runDirectories: [s0, s0], into: twice)
        let dup = (try FixtureWorld.results(twice)["manifest"] as! [String: Any])["merge_report"] as! [String: Any]
        #expect(((dup["where2place"] as? [String: Any])?["duplicates"] as? [String])?.isEmpty == false)
        // A run with another configuration is refused.
        let other = w.dir.appendingPathComponent("other")
        #expect(try w.reason(benches + ["--shard", "1/2", "--limit", "2"], out: other).status == 0)
        #expect(throws: ReasonError.self) { try ReasonMerge.merge(runDirectories: [s0, other], into: w.dir.appendingPathComponent("bad")) }
    }

    @Test func chanceBaselineImportAndMissingData() throws {
        let w = try FixtureWorld()
        try FileManager.default.removeItem(at: w.data.appendingPathComponent("vlabench"))
        let out = w.dir.appendingPathComponent("chance")
        let args = ["reason", "--all", "--model", "chance", "--data", w.data.path, "--no-cache"]
        let r = try w.cli(args + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("vlabench: no data"))
        let doc = try FixtureWorld.results(out)
        #expect(doc["missing"] as? [String] == ["vlabench", "eb_alfred", "eb_habitat"])
        #expect(Set(try FixtureWorld.scores(out).keys) == Set(FixtureWorld.expectedScores.keys).subtracting(["vlabench"]))
        // Deterministic: a second chance run gives the same predictions.
        let again = w.dir.appendingPathComponent("chance2")
        #expect(try w.cli(args + ["--out", again.path]).status == 0)
        #expect(try FixtureWorld.stablePredictions(out, "where2place") == FixtureWorld.stablePredictions(again, "where2place"))

        // The official prompt variants render and parse too (chance answers in each official format).
        let official = w.dir.appendingPathComponent("official")
        let o = try w.cli(args + ["--out", official.path, "--prompt", "official"])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(try FixtureWorld.scores(official).count == 9)
        let pa = try String(contentsOf: official.appendingPathComponent("pointarena/predictions.jsonl"), encoding: .utf8)
        #expect(pa.contains("width=100 px, height=80 px") && pa.contains("[{\\\"point\\\": <point>}]"))
        let ref = try String(contentsOf: official.appendingPathComponent("refspatial/predictions.jsonl"), encoding: .utf8)
        #expect(ref.contains("the box left of the cup (x, y) in [0, 1]."))

        // EmbodiedBench import: base 2/3, spatial 1/1 -> mean of subsets 83.33.
        let eb = w.dir.appendingPathComponent("eb")
        for (subset, outcomes) in [("base", [true, false, true]), ("spatial", [true])] {
            let results = eb.appendingPathComponent("\(subset)/results")
            try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
            for (k, ok) in outcomes.enumerated() {
                try Data("{\"task_success\": \(ok ? 1 : 0), \"task_progress\": 0.5}".utf8)
                    .write(to: results.appendingPathComponent("episode_\(k + 1)_final_res.json"))
            }
        }
        let imp = try w.cli(["reason", "import", "--bench", "eb_alfred", "--from", eb.path, "--out", out.path])
        #expect(imp.status == 0, "\(imp.stderr)")
        let after = try FixtureWorld.results(out)
        #expect(abs(try FixtureWorld.scores(out)["eb_alfred"]! - 250.0 / 3) < 1e-9)
        #expect(after["missing"] as? [String] == ["vlabench", "eb_habitat"])
        // A resumed run keeps the imported closed-loop score and asks nothing again.
        let resumed = try w.cli(args + ["--out", out.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try FixtureWorld.scores(out)["eb_alfred"] != nil)
        let bad = try w.cli(["reason", "import", "--bench", "eb_alfred", "--from", w.dir.path, "--out", out.path])
        #expect(bad.status == 2)
    }

    @Test func badInputsGiveOneClearErrorAndExitTwo() throws {
        let w = try FixtureWorld()
        let base = ["reason", "--model", "chance", "--data", w.data.path, "--no-cache", "--out", w.dir.appendingPathComponent("o").path]
        func expectError(_ args: [String], _ text: String) throws {
            let r = try w.cli(args)
            #expect(r.status == 2, "\(args): status \(r.status)")
            #expect(r.stderr.contains(text), "\(args): \(r.stderr)")
        }
        try expectError(base, "either --all or --bench")
        try expectError(base + ["--bench", "nope"], "unknown benchmark \"nope\"")
        try expectError(base + ["--bench", "erqa", "--shard", "2/2"], "--shard")
        try expectError(["reason", "--bench", "erqa", "--model", "m", "--data", w.data.path], "--endpoint is required")
        try expectError(base + ["--bench", "erqa", "--prompt", "fancy"], "--prompt")
        // A data file that points outside the data folder.
        let jsonl = w.data.appendingPathComponent("where2place/point_questions.jsonl")
        let original = try String(contentsOf: jsonl, encoding: .utf8)
        try original.replacingOccurrences(of: "\"image\": \"1.png\"", with: "\"image\": \"../../../etc/passwd\"")
            .write(to: jsonl, atomically: true, encoding: .utf8)
        try expectError(base + ["--bench", "where2place"], "leaves the data folder")
        // A malformed line is named by file and line number.
        try (original + "{not json\n").write(to: jsonl, atomically: true, encoding: .utf8)
        try expectError(base + ["--bench", "where2place"], "point_questions.jsonl:4")
        // A refused run writes nothing, not even the benchmarks before the bad one.
        try expectError(base + ["--bench", "erqa", "where2place"], "point_questions.jsonl:4")
        #expect(!FileManager.default.fileExists(atPath: w.dir.appendingPathComponent("o/erqa").path), "a refused run wrote files")
        // An empty annotation file is an error, not a null score.
        try "".write(to: jsonl, atomically: true, encoding: .utf8)
        try expectError(base + ["--bench", "where2place"], "where2place: the data under")
        // A missing mask file names the file.
        try original.write(to: jsonl, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: w.data.appendingPathComponent("where2place/masks/02.jpg"))
        try expectError(base + ["--bench", "where2place"], "masks/02.jpg")
    }

    /// `reason prepare --bench erqa` reads a TFRecord of tf.train.Example records (encoded here by hand in Python).
    @Test func prepareERQAFromTFRecord() throws {
        let dir = try TestSupport.makeTempDir("reason-prepare")
        let record = dir.appendingPathComponent("erqa.tfrecord")
        _ = try TestSupport.python("""
        import io, struct, sys
        from PIL import Image
        def varint(n):
            out = b''
            while True:
                b = n & 0x7f; n >>= 7
                out += bytes([b | (0x80 if n else 0)])
                if not n: return out
        def field(num, payload): return varint(num << 3 | 2) + varint(len(payload)) + payload
        def feature_bytes(vals): return field(1, b''.join(field(1, v) for v in vals))
        def feature_ints(vals): return field(3, field(1, b''.join(varint(v) for v in vals)))
        def example(feats):
            entries = b''.join(field(1, field(1, k.encode()) + field(2, v)) for k, v in feats.items())
            return field(1, entries)
        png = io.BytesIO(); Image.new('RGB', (4, 4), (9, 9, 9)).save(png, format='PNG')
        recs = [example({'question': feature_bytes([b'Q0 look: Choices: A. a B. b']), 'answer': feature_bytes([b'B']),
                         'image/encoded': feature_bytes([png.getvalue(), png.getvalue()]), 'question_type': feature_bytes([b'Pointing']),
                         'visual_indices': feature_ints([0, 8])}),
                example({'question': feature_bytes([b'Q1']), 'answer': feature_bytes([b'A']),
                         'image/encoded': feature_bytes([png.getvalue()]), 'question_type': feature_bytes([b'Other']),
                         'visual_indices': feature_ints([0])})]
        with open(sys.argv[1], 'wb') as f:
            for r in recs:
                f.write(struct.pack('<Q', len(r)) + b'\\0' * 4 + r + b'\\0' * 4)
        """, args: [record.path])
        let data = dir.appendingPathComponent("data")
        let w = try FixtureWorld()
        let r = try w.cli(["reason", "prepare", "--bench", "erqa", "--from", record.path, "--data", data.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("read 2 records") && r.stdout.contains("3 images"))
        let rows = try JSONLines.read(data.appendingPathComponent("erqa/erqa.jsonl"))
        #expect(rows.count == 2 && rows[0]["answer"] as? String == "B" && rows[0]["visual_indices"] as? [Int] == [0, 8])
        #expect((rows[0]["image_files"] as? [String])?.count == 2 && rows[1]["question_type"] as? [String] == ["Other"])
        // The prepared folder loads: the second image lands at character 8 of the question.
        let def = try BenchmarkCatalog.load("erqa", from: TestSupport.repoRoot.appendingPathComponent("benchmarks/reasoning"))
        let samples = try Loaders.load(def, dataDir: data)
        #expect(samples[0].fields["question"] == "<|image:0|>Q0 look:<|image:1|> Choices: A. a B. b")
    }
}
