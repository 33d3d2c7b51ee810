import Foundation
import Testing
import TestSupport
@testable import Reasoning

/// Per-benchmark metrics on constructed cases with hand-computed values (reasoning-benchmarks.md §4, §6).
struct MetricTests {
    /// Writes 100×80 masks with Pillow: `left` = grayscale, white where x < 48; `square` = RGB (200,0,0) for
    /// x, y < 40; `half` = grayscale 128 everywhere (a non-binary JPEG-style value).
    static func masks() throws -> URL {
        let dir = try TestSupport.makeTempDir("reason-masks")
        _ = try TestSupport.python("""
        import sys
        from PIL import Image
        d = sys.argv[1]
        m = Image.new('L', (100, 80), 0); m.paste(255, (0, 0, 48, 80)); m.save(d + '/left.png'); m.save(d + '/left.jpg', quality=100)
        s = Image.new('RGB', (100, 80), (0, 0, 0)); s.paste((200, 0, 0), (0, 0, 40, 40)); s.save(d + '/square.png')
        Image.new('L', (100, 80), 128).save(d + '/half.png')
        """, args: [dir.path])
        return dir
    }

    func sample(_ truth: Truth, group: String = "", fields: [String: String] = [:]) -> Sample {
        Sample(id: "s", fields: fields, images: [], group: group, truth: truth, size: (100, 80))
    }

    func score(_ reply: String, _ s: Sample, _ parser: String, _ metric: String) throws -> ScoredAnswer {
        try Scoring.score(reply, sample: s, parser: parser, metric: metric)
    }

    @Test func where2placeMaskFraction() throws {
        let d = try Self.masks()
        let s = sample(.mask(.file(d.appendingPathComponent("left.jpg")), .fraction255))
        // (20,40) inside, (80,40) outside -> 0.5
        #expect(try score("<point>[[200, 500], [800, 500]]</point>", s, "vlaser_points", "mask_fraction").terms["value"] == 0.5)
        // out-of-image point counts 0 in the denominator
        #expect(try score("[(10, 10), (500, 10)]", s, "robopoint_tuples", "mask_fraction").terms["value"] == 0.5)
        // no point -> 0 and unparsed
        let none = try score("no idea", s, "vlaser_points", "mask_fraction")
        #expect(none.terms["value"] == 0 && none.unparsed)
        // not binarised: a 128 mask gives 128/255
        let half = sample(.mask(.file(d.appendingPathComponent("half.png")), .fraction255))
        let v = try score("[(0.5, 0.5)]", half, "robopoint_tuples", "mask_fraction").terms["value"]!
        #expect(abs(v - 128.0 / 255) < 1e-6)
        let agg = Aggregate.score(metric: "mask_fraction", samples: [SampleTerms(group: "seen", terms: ["value": 0.5]),
                                                                       SampleTerms(group: "unseen", terms: ["value": 1])])
        #expect(agg.score == 75 && agg.subscores == ["seen": 50, "unseen": 100])
    }

    @Test func pointBenchFirstPointOnlyExceptCounting() throws {
        let d = try Self.masks()
        let mask = ImageSource.file(d.appendingPathComponent("square.png"))
        let plain = sample(.pointMask(mask, count: nil))
        #expect(try score("<point>[[100, 100], [900, 900]]</point>", plain, "vlaser_points", "point_success").terms["correct"] == 1)
        #expect(try score("<point>[[900, 900], [100, 100]]</point>", plain, "vlaser_points", "point_success").terms["correct"] == 0)
        #expect(try score("", plain, "vlaser_points", "point_success").terms["correct"] == 0)
        let counting = sample(.pointMask(mask, count: 2))
        #expect(try score("<point>[[100, 100], [200, 200]]</point>", counting, "vlaser_points", "point_success").terms["correct"] == 1)
        #expect(try score("<point>[[100, 100]]</point>", counting, "vlaser_points", "point_success").terms["correct"] == 0)
        #expect(try score("<point>[[100, 100], [900, 900]]</point>", counting, "vlaser_points", "point_success").terms["correct"] == 0)
        #expect(try score(#"[{"point": [5, 5]}]"#, plain, "json_pixel_points", "point_success").terms["correct"] == 1)
    }

    @Test func pacoMicroPrecisionOverPoints() throws {
        let square: [[[Double]]] = [[[10, 10, 50, 10, 50, 50, 10, 50]]]
        let s = sample(.polygons(square))
        let a = try score("[[300, 375], [900, 900]]", s, "loose_brackets", "micro_precision").terms
        #expect(a == ["hits": 1, "points": 2])
        let b = try score("nothing", s, "loose_brackets", "micro_precision").terms
        #expect(b == ["hits": 0, "points": 1])   // an empty answer still adds one miss
        // Outline pixels count (x = 50 is on the polygon edge): 500/1000·100 = 50.
        #expect(try score("[[500, 500]]", s, "loose_brackets", "micro_precision").terms["hits"] == 1)
        let micro = Aggregate.score(metric: "micro_precision", samples: [SampleTerms(group: "", terms: ["hits": 3, "points": 3]),
                                                                          SampleTerms(group: "", terms: ["hits": 0, "points": 1])])
        #expect(micro.score == 75)   // per-item mean would be 50
    }

    @Test func pixmoPrecisionWithin25Units() throws {
        let s = sample(.points1000([[200, 200]]))
        #expect(try score("[[210, 215], [100, 100]]", s, "loose_brackets", "precision_at_radius").terms == ["hits": 1, "points": 2])
        #expect(try score("[[225, 200]]", s, "loose_brackets", "precision_at_radius").terms["hits"] == 1)   // exactly 25: hit
        #expect(try score("[[226, 200]]", s, "loose_brackets", "precision_at_radius").terms["hits"] == 0)
        #expect(try score("none", s, "loose_brackets", "precision_at_radius").terms == ["hits": 0, "points": 1])
    }

    @Test func vsiMRAAndEightTaskMean() throws {
        #expect(Scoring.mraThresholds.count == 10)
        #expect(Scoring.mra(prediction: 2.3, truth: 2.0) == 0.8)
        #expect(Scoring.mra(prediction: 4, truth: 4) == 1)
        #expect(Scoring.mra(prediction: 10, truth: 4) == 0)
        #expect(Scoring.mra(prediction: 3, truth: 2) == 0.1)   // rel 0.5 ≤ 1 − 0.5 only
        let na = sample(.vsi(answer: "3", numeric: true))
        #expect(try score("three", na, "vsi_answer", "vsi").terms["value"] == 0)
        let mcq = sample(.vsi(answer: "B", numeric: false))
        #expect(try score("b. right", mcq, "vsi_answer", "vsi").terms["value"] == 1)
        let t = { (g: String, v: Double) in SampleTerms(group: g, terms: ["value": v]) }
        let agg = Aggregate.score(metric: "vsi", samples: [t("object_counting", 1), t("object_counting", 0),
                                                           t("object_rel_direction_easy", 1), t("object_rel_direction_hard", 0),
                                                           t("object_rel_direction_hard", 0), t("route_planning", 1)])
        // tasks: counting 50, rel_direction mean(100, 0) = 50 (not sample-weighted 33.3), route 100 -> 66.67
        #expect(agg.subscores["object_rel_direction"] == 50)
        #expect(abs(agg.score! - 200.0 / 3) < 1e-9)
    }

    /// The MRA thresholds equal numpy.linspace(0.5, 0.95, 10) bit for bit.
    @Test func mraThresholdsMatchNumpy() throws {
        let out = try TestSupport.python("import numpy as np; print(' '.join(repr(float(x)) for x in np.linspace(0.5, 0.95, 10)))")
        let numpy = out.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        #expect(numpy == Scoring.mraThresholds)
    }

    @Test func refSpatialIsMeanOfLocationAndPlacement() throws {
        let d = try Self.masks()
        let s = sample(.mask(.file(d.appendingPathComponent("left.png")), .firstChannelPositive))
        #expect(try score("<point>[[100, 500]]</point>", s, "vlaser_points", "mask_fraction_split_mean").terms["value"] == 1)
        #expect(try score("(0.9, 0.5)", s, "robopoint_tuples", "mask_fraction_split_mean").terms["value"] == 0)
        let none = try score("<point></point>", s, "vlaser_points", "mask_fraction_split_mean")
        #expect(none.unparsed && none.terms["value"] == 0)
        let t = { (g: String, v: Double) in SampleTerms(group: g, terms: ["value": v]) }
        let agg = Aggregate.score(metric: "mask_fraction_split_mean", samples: [t("Location", 1), t("Location", 0), t("Placement", 1)])
        #expect(agg.score == 75)   // pooled would be 66.7
    }

    @Test func mcqAccuracyPerBenchmarkRule() throws {
        let s = sample(.letter("C"), fields: ["question": "A. x\nB. y\nC. z\nD. w"])
        #expect(try score("<think>A?</think>C", s, "mcq_priority", "accuracy").terms["correct"] == 1)
        #expect(try score("The answer is C", s, "mcq_egoplan", "accuracy").terms["correct"] == 1)
        #expect(try score("Clearly it is C", s, "mcq_egoplan", "accuracy").terms["correct"] == 1)   // "Clearly" -> C
        #expect(try score("``B``", s, "mcq_mmsi", "accuracy").terms["correct"] == 0)
        let none = try score("hmm", s, "mcq_mmsi", "accuracy")
        #expect(none.unparsed && none.terms["correct"] == 0)
    }

    @Test func vlaBenchScores() {
        let sk = { (n: String, e: String?, c: String?) in VLABenchScore.Skill(name: n, entity: e, container: c) }
        let gt = [sk("pick", "3", nil), sk("place", "3", "4"), sk("press", "5", nil)]
        let t = VLABenchScore.terms(gt: gt, pred: [sk("pick", "3", nil), sk("place", "3", "9")], task: "put_box")
        #expect(abs(t["skill_match"]! - 200.0 / 3) < 1e-9)
        #expect(t["entity_match"] == 50)
        #expect(abs(t["skill_with_entity"]! - 100.0 / 3) < 1e-9)
        #expect(abs(t["total_score"]! - (0.4 * 200 / 3 + 0.4 * 50)) < 1e-9)
        #expect(t["exact_match"] == 0)   // node (pick,place,3,9) differs; press node missing
        let perfect = VLABenchScore.terms(gt: gt, pred: gt, task: "put_box")
        #expect(perfect["total_score"] == 80 && perfect["exact_match"] == 100)   // max total is 80 (weights bug kept)
        #expect(VLABenchScore.terms(gt: gt, pred: nil, task: "x")["total_score"] == 0)
        // Seq-independent task: order of sub-tasks does not matter; chain tasks need the same order.
        let two = [sk("press", "1", nil), sk("press", "2", nil)]
        let swapped = [sk("press", "2", nil), sk("press", "1", nil)]
        #expect(VLABenchScore.terms(gt: two, pred: swapped, task: "cook_dishes")["exact_match"] == 100)
        #expect(VLABenchScore.terms(gt: two, pred: swapped, task: "put_box")["exact_match"] == 0)
    }

    @Test func embodiedBenchIsMeanOfSubsets() {
        let t = { (g: String, v: Double) in SampleTerms(group: g, terms: ["correct": v]) }
        let agg = Aggregate.score(metric: "task_success", samples: [t("base", 1), t("base", 0), t("spatial", 1)])
        #expect(agg.score == 75 && agg.subscores == ["base": 50, "spatial": 100])
    }
}
