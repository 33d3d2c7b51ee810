// Bracketed scalar root finding for the planner's one-parameter profile families.

enum RootFinding {
    /// A root of `f` in [a, b] given f(a)·f(b) ≤ 0: Brent's method (inverse quadratic/secant steps guarded by
    /// bisection), converging to the bracket's floating-point resolution.
    static func brent(_ a0: Double, _ b0: Double, fa fa0: Double, fb fb0: Double,
                      _ f: (Double) -> Double) -> Double {
        var a = a0, b = b0, fa = fa0, fb = fb0
        if fa == 0 { return a }
        if fb == 0 { return b }
        var c = a, fc = fa, d = b - a, e = d
        for _ in 0..<200 {
            if (fb > 0) == (fc > 0) { c = a; fc = fa; d = b - a; e = d }
            if abs(fc) < abs(fb) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa }
            let tol = 2 * Double.ulpOfOne * abs(b) + 1e-300
            let m = (c - b) / 2
            if abs(m) <= tol || fb == 0 { return b }
            if abs(e) >= tol && abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * m * s; q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)) {
                    e = d; d = p / q
                } else {
                    d = m; e = m
                }
            } else {
                d = m; e = m
            }
            a = b; fa = fb
            b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
            fb = f(b)
        }
        return b
    }

    /// Every sign change of `f` across the sorted `grid` (exact zeros at grid points included), each refined
    /// with `brent`. Roots of even multiplicity between grid points are not seen; callers choose grids fine
    /// enough for their piecewise-smooth functions.
    static func roots(on grid: [Double], _ f: (Double) -> Double) -> [Double] {
        var out: [Double] = []
        guard var x0 = grid.first else { return out }
        var f0 = f(x0)
        if f0 == 0 { out.append(x0) }
        for x1 in grid.dropFirst() where x1 > x0 {
            let f1 = f(x1)
            if f1 == 0 {
                out.append(x1)
            } else if f0 != 0 && (f0 < 0) != (f1 < 0) {
                out.append(brent(x0, x1, fa: f0, fb: f1, f))
            }
            x0 = x1; f0 = f1
        }
        return out
    }

    /// The sorted grid made of `points` clipped to [lo, hi] plus `subdivisions` equal steps between neighbours.
    static func grid(from lo: Double, to hi: Double, through points: [Double], subdivisions: Int) -> [Double] {
        var knots = [lo, hi]
        knots.reserveCapacity(points.count + 2)
        for p in points where p > lo && p < hi { knots.append(p) }
        knots.sort()
        var out: [Double] = []
        out.reserveCapacity((knots.count - 1) * subdivisions + 1)
        out.append(knots[0])
        for i in 1..<knots.count where knots[i] > knots[i - 1] {
            let a = knots[i - 1], b = knots[i]
            for k in 1..<subdivisions { out.append(a + (b - a) * Double(k) / Double(subdivisions)) }
            out.append(b)
        }
        return out
    }
}
