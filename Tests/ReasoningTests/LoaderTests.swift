import Foundation
import Testing
import TestSupport
@testable import Reasoning

/// Loader rules that the end-to-end fixtures do not reach.
struct LoaderTests {
    static let definitions = TestSupport.repoRoot.appendingPathComponent("benchmarks/reasoning")

    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// ERQA (§4.1): images go at visual_indices offsets; all-zero or mismatched lists put every image first.
    @Test func erqaInterleaving() throws {
        let data = try TestSupport.makeTempDir("reason-loaders")
        let dir = data.appendingPathComponent("erqa")
        for f in ["a.png", "b.png"] { try write("x", dir.appendingPathComponent(f)) }
        let rows = [
            #"{"id": "1", "question": "left right", "answer": "A", "question_type": ["T"], "image_files": ["a.png", "b.png"], "visual_indices": [5, 0]}"#,
            #"{"id": "2", "question": "q", "answer": "A", "question_type": ["T"], "image_files": ["a.png", "b.png"], "visual_indices": [0, 0]}"#,
            #"{"id": "3", "question": "q", "answer": "A", "question_type": ["T"], "image_files": ["a.png", "b.png"], "visual_indices": [1]}"#,
            #"{"id": "4", "question": "abc", "answer": "A", "question_type": ["T"], "image_files": ["a.png", "b.png"], "visual_indices": [2, 2]}"#,
        ]
        try write(rows.joined(separator: "\n"), dir.appendingPathComponent("erqa.jsonl"))
        let s = try Loaders.load(try BenchmarkCatalog.load("erqa", from: Self.definitions), dataDir: data)
        #expect(s.map { $0.fields["question"]! } == ["<|image:1|>left <|image:0|>right", "q", "q", "ab<|image:0|><|image:1|>c"])
        #expect(PromptBuilder.parts(s[0].fields["question"]!, imageCount: 2) == [.image(1), .text("left "), .image(0), .text("right")])
    }

    /// VLABench examples are ordered by number (example2 before example10), dimensions and tasks by name.
    @Test func vlaBenchExampleOrder() throws {
        let data = try TestSupport.makeTempDir("reason-loaders")
        for ex in ["example10", "example2"] {
            let base = data.appendingPathComponent("vlabench/Spatial/put_box/\(ex)")
            try write("x", base.appendingPathComponent("input/input.png"))
            try write("x", base.appendingPathComponent("input/input_mask.png"))
            try write("do it\n", base.appendingPathComponent("input/instruction.txt"))
            try write(#"{"skill_sequence": [{"name": "press", "params": {}}]}"#, base.appendingPathComponent("output/operation_sequence.json"))
        }
        let s = try Loaders.load(try BenchmarkCatalog.load("vlabench", from: Self.definitions), dataDir: data)
        #expect(s.map(\.id) == ["Spatial/put_box/example2", "Spatial/put_box/example10"])
        #expect(s[0].fields["instruction"] == "do it" && s[0].group == "Spatial")
    }

    @Test func everyDefinitionLoadsAndNamesKnownParsersAndMetrics() throws {
        let defs = try BenchmarkCatalog.loadAll(from: Self.definitions)
        #expect(defs.map(\.id) == BenchmarkCatalog.order)
        let parsers: Set<String> = ["mcq_priority", "mcq_egoplan", "mcq_mmsi", "vsi_answer", "vlaser_points", "loose_brackets",
                                    "robopoint_tuples", "json_pixel_points", "vlabench_json"]
        for d in defs where !d.importOnly {
            #expect(Set(d.prompts.keys) == ["vlaser", "official"], "\(d.id)")
            for p in d.prompts.values { #expect(parsers.contains(p.parser), "\(d.id): \(p.parser)") }
            #expect(Aggregate.score(metric: d.metric, samples: [SampleTerms(group: "g", terms: [:])]).score != nil, "\(d.id)")
        }
    }
}
