// Interval estimates and correlation measures shown on the scoreboard.
import Foundation

/// A closed interval [low, high].
public struct Interval: Codable, Equatable, Sendable {
    public var low: Double
    public var high: Double
    public init(_ low: Double, _ high: Double) { self.low = low; self.high = high }
    public func scaled(_ f: Double) -> Interval { Interval(low * f, high * f) }
}

public enum Statistics {
    /// z for a two-sided 95 % interval; vlaser-reference-results.md §11 states the Wilson interval with z = 1.96.
    public static let z95 = 1.96

    /// 95 % Wilson score interval for `successes` out of `n` (vlaser-reference-results.md §11):
    /// centre = (p̂ + z²/2n)/(1 + z²/n), half-width = z·sqrt(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n).
    /// Takes a rate rather than a count so it also serves printed reference rates; nil when n = 0.
    public static func wilson(rate p: Double, n: Int, z: Double = z95) -> Interval? {
        guard n > 0 else { return nil }
        let nn = Double(n), z2 = z * z
        let denom = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denom
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / denom
        return Interval(max(0, centre - half), min(1, centre + half))
    }

    public static func wilson(successes: Int, n: Int, z: Double = z95) -> Interval? {
        guard n > 0 else { return nil }
        return wilson(rate: Double(successes) / Double(n), n: n, z: z)
    }

    public static func mean(_ xs: [Double]) -> Double? {
        xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
    }

    /// Centred cross- and self-products (Σx̂ŷ, Σx̂², Σŷ²) of two equal-length samples.
    public static func centredSums(_ x: [Double], _ y: [Double]) -> (xy: Double, xx: Double, yy: Double) {
        let mx = mean(x) ?? 0, my = mean(y) ?? 0
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            let dx = a - mx, dy = b - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        return (sxy, sxx, syy)
    }

    /// Ordinary Pearson r; nil with fewer than 3 points or when either sample is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "pearson: samples differ in length")
        guard x.count >= 3 else { return nil }
        let s = centredSums(x, y)
        guard s.xx > 0, s.yy > 0 else { return nil }
        return s.xy / (s.xx * s.yy).squareRoot()
    }

    /// Ranks 1…n, ties sharing the mean of the ranks they span (the usual Spearman convention).
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let avg = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = avg }
            i = j + 1
        }
        return r
    }

    /// Spearman's ρ = Pearson r of the (tie-averaged) ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        pearson(ranks(x), ranks(y))
    }

    /// 95 % interval for Pearson r by the Fisher z transform: atanh(r) ± z/sqrt(n−3). Needs n ≥ 4.
    public static func fisherInterval(r: Double, n: Int, z: Double = z95) -> Interval? {
        guard n >= 4 else { return nil }
        return fisherInterval(r: r, standardError: 1 / Double(n - 3).squareRoot(), z: z)
    }

    /// 95 % interval for Spearman ρ: Fisher z with the Bonett & Wright (2000) standard error
    /// sqrt((1 + ρ²/2)/(n − 3)), which accounts for the larger variance of a rank correlation. Needs n ≥ 4.
    public static func spearmanInterval(rho: Double, n: Int, z: Double = z95) -> Interval? {
        guard n >= 4 else { return nil }
        return fisherInterval(r: rho, standardError: ((1 + rho * rho / 2) / Double(n - 3)).squareRoot(), z: z)
    }

    public static func fisherInterval(r: Double, standardError se: Double, z: Double) -> Interval {
        // |r| = 1 has an infinite Fisher z; clamp so the interval degenerates to the point instead of NaN.
        let rc = max(-0.999_999_999, min(0.999_999_999, r))
        let zr = atanh(rc)
        return Interval(tanh(zr - z * se), tanh(zr + z * se))
    }
}
