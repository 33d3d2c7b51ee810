import Foundation
import Testing
import TestSupport
@testable import Reasoning

/// RoboPoint boxes are scored without expanding them (fuzz/answers found replies of 2^20 box points costing
/// seconds each): every metric must give what the same pixels listed one by one give.
struct BoxScoringTests {
    func sample(_ truth: Truth) -> Sample { Sample(id: "s", fields: [:], images: [], group: "", truth: truth, size: (100, 80)) }

    /// The reply's boxes written out as one `(x, y)` pixel tuple per point, row by row.
    func expanded(_ boxes: [(Int, Int, Int, Int)]) -> String {
        boxes.map { b in (b.1..<b.3).flatMap { y in (b.0..<b.2).map { "(\($0), \(y))" } }.joined(separator: " ") }.joined(separator: " ")
    }

    func boxes(_ b: [(Int, Int, Int, Int)]) -> String { b.map { "(\($0.0), \($0.1), \($0.2), \($0.3))" }.joined(separator: " ") }

    func expectSameTerms(_ b: [(Int, Int, Int, Int)], _ s: Sample, _ metric: String) throws {
        let asBoxes = try Scoring.score(boxes(b), sample: s, parser: "robopoint_tuples", metric: metric)
        let asPoints = try Scoring.score(expanded(b), sample: s, parser: "robopoint_tuples", metric: metric)
        #expect(asBoxes.terms == asPoints.terms, "\(metric) \(b)")
        #expect(asBoxes.unparsed == asPoints.unparsed)
    }

    @Test func boxesScoreAsTheirPixels() throws {
        let d = try MetricTests.masks()
        // Inside, straddling the mask's edge (x = 48), and partly outside the 100×80 image.
        let cases: [[(Int, Int, Int, Int)]] = [[(2, 3, 6, 5)], [(40, 70, 60, 90)], [(95, -2, 105, 3), (10, 10, 12, 11)], [(-5, -5, 0, 0)]]
        for c in cases {
            try expectSameTerms(c, sample(.mask(.file(d.appendingPathComponent("left.png")), .fraction255)), "mask_fraction")
            try expectSameTerms(c, sample(.mask(.file(d.appendingPathComponent("half.png")), .fraction255)), "mask_fraction")
            try expectSameTerms(c, sample(.polygons([[[0, 0, 30, 0, 30, 20, 0, 20]]])), "micro_precision")
            let square = ImageSource.file(d.appendingPathComponent("square.png"))
            try expectSameTerms(c, sample(.pointMask(square, count: nil)), "point_success")
            let n = c.reduce(0) { $0 + max(0, $1.2 - $1.0) * max(0, $1.3 - $1.1) }
            try expectSameTerms(c, sample(.pointMask(square, count: n)), "point_success")
            try expectSameTerms(c, sample(.points1000([[4, 4], [50, 75], [97, 0]])), "precision_at_radius")
        }
        // A box inside the 40×40 square counts as all its pixels inside; one pixel out makes it wrong.
        let square = sample(.pointMask(.file(d.appendingPathComponent("square.png")), count: 12))
        #expect(try Scoring.score("(30, 30, 34, 33)", sample: square, parser: "robopoint_tuples", metric: "point_success").terms["correct"] == 1)
        #expect(try Scoring.score("(37, 30, 41, 33)", sample: square, parser: "robopoint_tuples", metric: "point_success").terms["correct"] == 0)
    }

    /// A box of 2^20 points near two Pixmo reference points: the hits are those of the brute-force count, and the
    /// record keeps the box, not a million pairs.
    @Test func millionPointBoxAgainstBruteForce() throws {
        let gt: [[Double]] = [[500, 500], [10, 990], [515, 505]]
        let s = sample(.points1000(gt))
        let scored = try Scoring.score("(0, 0, 1024, 1024)", sample: s, parser: "robopoint_tuples", metric: "precision_at_radius")
        var hits = 0
        for y in 0..<1024 { for x in 0..<1024 where gt.contains(where: { hypot(Double(x) - $0[0], Double(y) - $0[1]) <= Scoring.pixmoRadius }) { hits += 1 } }
        #expect(hits > 2000)
        #expect(scored.terms == ["hits": Double(hits), "points": Double(1 << 20)])
        let parsed = try #require(scored.parsed as? [[String: [Int]]])
        #expect(parsed == [["box": [0, 0, 1024, 1024]]])
    }
}
