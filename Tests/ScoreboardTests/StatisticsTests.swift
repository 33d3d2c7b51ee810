import Foundation
import ResultsSchema
import XCTest
@testable import Scoreboard
import TestSupport

final class StatisticsTests: XCTestCase {
    /// All-success: the lower bound is n/(n+z²) exactly (centre − half-width collapses to 1/(1+z²/n)).
    func testWilsonAllSuccessHandComputed() throws {
        let ci = try XCTUnwrap(Statistics.wilson(successes: 24, n: 24))
        XCTAssertEqual(ci.low, 24 / (24 + 1.96 * 1.96), accuracy: 1e-12)
        XCTAssertEqual(ci.high, 1, accuracy: 1e-12)
        XCTAssertNil(Statistics.wilson(successes: 0, n: 0))
    }

    /// The resolution figures of vlaser-reference-results.md §11.
    func testWilsonReproducesSpecResolutionTable() throws {
        let cases: [(Double, Int, Double, Double)] = [(0.5, 50, 36.6, 63.4), (0.9, 50, 78.6, 95.7), (0.1, 50, 4.3, 21.4),
                                                      (0.5, 100, 40.4, 59.6)]
        for (p, n, lo, hi) in cases {
            let ci = try XCTUnwrap(Statistics.wilson(rate: p, n: n))
            XCTAssertEqual((ci.low * 1000).rounded() / 10, lo, "p=\(p) n=\(n)")
            XCTAssertEqual((ci.high * 1000).rounded() / 10, hi, "p=\(p) n=\(n)")
        }
    }

    /// Against scipy's Wilson interval (binomtest(...).proportion_ci(method='wilson')) with scipy's own z.
    func testWilsonAgainstScipy() throws {
        let cases = [(0, 10), (1, 10), (5, 10), (24, 24), (7, 240), (131, 240), (299, 300), (3, 50)]
        let code = """
        import json, sys
        from scipy.stats import binomtest, norm
        out = {"z": float(norm.ppf(0.975)), "ci": []}
        for k, n in json.loads(sys.argv[1]):
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            out["ci"].append([ci.low, ci.high])
        print(json.dumps(out))
        """
        let arg = "[" + cases.map { "[\($0.0),\($0.1)]" }.joined(separator: ",") + "]"
        let out = try JSONSerialization.jsonObject(with: Data(TestSupport.python(code, args: [arg]).utf8)) as! [String: Any]
        let z = out["z"] as! Double
        for (c, ref) in zip(cases, out["ci"] as! [[Double]]) {
            let ci = try XCTUnwrap(Statistics.wilson(successes: c.0, n: c.1, z: z))
            XCTAssertEqual(ci.low, ref[0], accuracy: 1e-12, "\(c)")
            XCTAssertEqual(ci.high, ref[1], accuracy: 1e-12, "\(c)")
        }
    }

    /// Pearson, Spearman (with ties) and the Fisher-z interval against scipy.stats on seeded samples.
    func testCorrelationsAgainstScipy() throws {
        var state: UInt64 = 0x5eed
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        var samples: [([Double], [Double])] = []
        for n in [4, 5, 8, 13, 30] {
            let x = (0..<n).map { _ in (next() * 100).rounded() / 2 }     // coarse values → ties
            let y = x.map { $0 * 0.6 + next() * 40 }
            samples.append((x, y))
        }
        let code = """
        import json, sys
        from scipy.stats import pearsonr, spearmanr, norm
        out = {"z": float(norm.ppf(0.975)), "r": []}
        for x, y in json.loads(sys.argv[1]):
            p = pearsonr(x, y)
            ci = p.confidence_interval(0.95)
            out["r"].append([float(p.statistic), float(spearmanr(x, y).statistic), ci.low, ci.high])
        print(json.dumps(out))
        """
        let arg = String(decoding: try JSONSerialization.data(withJSONObject: samples.map { [$0.0, $0.1] }), as: UTF8.self)
        let out = try JSONSerialization.jsonObject(with: Data(TestSupport.python(code, args: [arg]).utf8)) as! [String: Any]
        let z = out["z"] as! Double
        for ((x, y), ref) in zip(samples, out["r"] as! [[Double]]) {
            let r = try XCTUnwrap(Statistics.pearson(x, y))
            XCTAssertEqual(r, ref[0], accuracy: 1e-10)
            XCTAssertEqual(try XCTUnwrap(Statistics.spearman(x, y)), ref[1], accuracy: 1e-10)
            let ci = try XCTUnwrap(Statistics.fisherInterval(r: r, n: x.count, z: z))
            XCTAssertEqual(ci.low, ref[2], accuracy: 1e-10)
            XCTAssertEqual(ci.high, ref[3], accuracy: 1e-10)
        }
    }

    /// Spearman interval: Fisher z with the Bonett–Wright standard error, worked by hand for ρ = 0.5, n = 10.
    func testSpearmanIntervalHandComputed() throws {
        let se = ((1 + 0.25 / 2) / 7).squareRoot()            // sqrt(1.125/7) = 0.400892
        let z = atanh(0.5)                                     // 0.549306
        let ci = try XCTUnwrap(Statistics.spearmanInterval(rho: 0.5, n: 10))
        XCTAssertEqual(ci.low, tanh(z - 1.96 * se), accuracy: 1e-12)
        XCTAssertEqual(ci.low, -0.2321, accuracy: 1e-4)
        XCTAssertEqual(ci.high, 0.8705, accuracy: 1e-4)
        XCTAssertNil(Statistics.spearmanInterval(rho: 0.5, n: 3))
        XCTAssertNil(Statistics.pearson([1, 2], [3, 4]), "two points have no correlation")
        XCTAssertNil(Statistics.pearson([1, 1, 1], [3, 4, 5]), "a constant axis has no correlation")
    }

    func testRanksAverageTies() {
        XCTAssertEqual(Statistics.ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])
    }

    /// MMRV by hand, including the tie rule: sim tie (0.5 = 0.5) with a strict real order counts as a violation.
    func testMMRVHandComputedWithTie() {
        // i=1 vs j=0: (0.5 > 0.5) = false, (0.6 > 0.3) = true → violation |0.6 − 0.3| = 0.3; no other pair violates.
        XCTAssertEqual(SimToReal.mmrv(sim: [0.5, 0.5, 0.2], real: [0.3, 0.6, 0.1]), 0.1, accuracy: 1e-15)
        // Fully reversed order of 3: each policy's worst violation is its distance to the farthest.
        XCTAssertEqual(SimToReal.mmrv(sim: [0.1, 0.2, 0.3], real: [0.9, 0.5, 0.0]), (0.9 + 0.5 + 0.9) / 3, accuracy: 1e-15)
        XCTAssertEqual(SimToReal.mmrv(sim: [0.1, 0.2, 0.3], real: [0.2, 0.4, 0.8]), 0)
    }

    func testSimplerPearsonConventions() {
        XCTAssertEqual(SimToReal.pearson(sim: [1, 2, 6], real: [4, 5, 9]), 1, "identical centred vectors")
        XCTAssertEqual(SimToReal.pearson(sim: [0, 0, 0], real: [0, 0, 0]), 1)
        XCTAssertEqual(SimToReal.pearson(sim: [0, 0, 0], real: [0.1, 0.2, 0.3]), 0)
        // Hand-computed: centred sim (−1, 0, 1), real (−2, 1, 1) → Σ = 3, / (sqrt(2·6) + 1e-8).
        XCTAssertEqual(SimToReal.pearson(sim: [1, 2, 3], real: [0, 3, 3]), 3 / (12.0.squareRoot() + 1e-8), accuracy: 1e-15)
    }
}
