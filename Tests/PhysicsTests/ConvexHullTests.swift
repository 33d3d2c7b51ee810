import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics

/// The quickhull against Qhull (scipy.spatial.ConvexHull) and against closed-form solids.
@Suite struct ConvexHullTests {
    /// Deterministic clouds of the kinds collision meshes have: random points, points on a sphere, a cylinder's
    /// rings (many coplanar points on the caps), a grid box (coplanar points on every face) and duplicates.
    static func clouds() -> [String: [Vec3]] {
        var rng = SeededRandom(seed: 14)
        let random = (0..<400).map { _ in Vec3(rng.uniform(-0.05, 0.05), rng.uniform(-0.02, 0.03), rng.uniform(-0.01, 0.01)) }
        let sphere = (0..<300).map { _ -> Vec3 in
            let v = Vec3(rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)).normalized
            return v * 0.04 + Vec3(0.1, -0.2, 0.9)
        }
        let cylinder = (0..<24).flatMap { k -> [Vec3] in
            let a = Double(k) * 2 * .pi / 24
            return [-0.06, 0, 0.06].map { Vec3(0.033 * cos(a), $0, 0.033 * sin(a)) }
        } + [Vec3(0, -0.06, 0), Vec3(0, 0.06, 0)]
        let grid = (0..<5).flatMap { i in (0..<5).flatMap { j in (0..<5).map { k in
            Vec3(Double(i) * 0.0075 - 0.015, Double(j) * 0.0075 - 0.015, Double(k) * 0.0025 - 0.005) } } }
        return ["random": random, "sphere": sphere, "cylinder": cylinder, "grid": grid + grid.prefix(30)]
    }

    /// Volume, and the support function in 64 directions (which fixes the hull as a set), equal Qhull's.
    @Test func matchesQhull() throws {
        let clouds = Self.clouds()
        let dirs = (0..<64).map { k -> Vec3 in
            let z = 1 - 2 * (Double(k) + 0.5) / 64, r = (1 - z * z).squareRoot(), a = Double(k) * 2.399963
            return Vec3(r * cos(a), r * sin(a), z)
        }
        let request = clouds.keys.sorted().map { name in
            "\(name) " + clouds[name]!.map { "\($0.x),\($0.y),\($0.z)" }.joined(separator: ";")
        }.joined(separator: "\n")
        let out = try TestSupport.python("""
            import sys, numpy as np
            from scipy.spatial import ConvexHull
            dirs = np.array([[float(x) for x in d.split(',')] for d in sys.argv[1].split(';')])
            for line in sys.stdin.read().splitlines():
                name, pts = line.split(' ')
                p = np.array([[float(x) for x in q.split(',')] for q in pts.split(';')])
                h = ConvexHull(p)
                support = (p[h.vertices] @ dirs.T).max(axis=0)
                print(name, repr(h.volume), ' '.join(repr(s) for s in support))
            """, args: [dirs.map { "\($0.x),\($0.y),\($0.z)" }.joined(separator: ";")], stdin: Data(request.utf8))
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ")
            let name = String(f[0]), volume = Double(f[1])!, support = f[2...].map { Double($0)! }
            let hull = try ConvexHull(points: clouds[name]!)
            #expect(abs(hull.solid.volume - volume) <= 1e-12 + 1e-9 * volume, "\(name): volume \(hull.solid.volume) vs Qhull \(volume)")
            for (d, s) in zip(dirs, support) {
                let mine = hull.vertices.map { $0.dot(d) }.max()!
                #expect(abs(mine - s) < 1e-12, "\(name): support along \(d) \(mine) vs Qhull \(s)")
            }
        }
    }

    /// Every triangle faces outward with all hull points behind it, every edge is shared by exactly two triangles in
    /// opposite directions (a closed 2-manifold, what ODE's trimesh collider needs), and Euler's V − E + F = 2 holds.
    @Test(arguments: ["random", "sphere", "cylinder", "grid"])
    func closedOutwardSurface(cloud: String) throws {
        let points = Self.clouds()[cloud]!
        let hull = try ConvexHull(points: points)
        var edges: [String: Int] = [:]
        for t in hull.triangles {
            let a = hull.vertices[t[0]], b = hull.vertices[t[1]], c = hull.vertices[t[2]]
            let n = (b - a).cross(c - a).normalized
            #expect(points.allSatisfy { n.dot($0 - a) < 1e-9 }, "\(cloud): a point lies in front of a face")
            for (u, v) in [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])] { edges["\(u)>\(v)", default: 0] += 1 }
        }
        #expect(edges.allSatisfy { key, n in
            let uv = key.split(separator: ">"); return n == 1 && edges["\(uv[1])>\(uv[0])"] == 1
        })
        #expect(hull.vertices.count - edges.count / 2 + hull.triangles.count == 2)
    }

    /// Mass properties of solids with closed forms: a box 0.14 × 0.035 × 0.026 (volume and principal moments
    /// m(b² + c²)/12 …), and a regular 48-gon prism close to a cylinder (I_axis ≈ m r²/2 within the polygon's error).
    @Test func solidBoxAndPrism() throws {
        let s = Vec3(0.14, 0.035, 0.026), c = Vec3(0.01, -0.02, 0.9)
        let corners = (0..<8).map { k in c + Vec3(k & 1 == 0 ? -s.x / 2 : s.x / 2, k & 2 == 0 ? -s.y / 2 : s.y / 2, k & 4 == 0 ? -s.z / 2 : s.z / 2) }
        let box = try ConvexHull(points: corners)
        let solid = box.solid
        #expect(abs(solid.volume - s.x * s.y * s.z) < 1e-15)
        #expect((solid.centroid - c).norm < 1e-12)
        let expected = Mat3.diagonal(Vec3(s.y * s.y + s.z * s.z, s.x * s.x + s.z * s.z, s.x * s.x + s.y * s.y) * (s.x * s.y * s.z / 12))
        for i in 0..<3 { for j in 0..<3 { #expect(abs(solid.unitInertia[i, j] - expected[i, j]) < 1e-15) } }
        #expect(box.isAxisAlignedBox)

        let r = 0.033, l = 0.12, n = 48
        let prism = try ConvexHull(points: (0..<n).flatMap { k -> [Vec3] in
            let a = Double(k) * 2 * .pi / Double(n); return [Vec3(r * cos(a), r * sin(a), -l / 2), Vec3(r * cos(a), r * sin(a), l / 2)]
        })
        let area = 0.5 * Double(n) * r * r * sin(2 * .pi / Double(n))
        #expect(abs(prism.solid.volume - area * l) < 1e-15)
        let axial = prism.solid.unitInertia[2, 2] / prism.solid.volume
        #expect(abs(axial - r * r / 2) / (r * r / 2) < 0.01)
        #expect(!prism.isAxisAlignedBox)
    }

    @Test func flatOrTinyInputIsAnError() {
        let square = [Vec3(0, 0, 0), Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(1, 1, 0), Vec3(0.5, 0.5, 0)]
        #expect(throws: ConvexHull.HullError.self) { try ConvexHull(points: square) }
        #expect(throws: ConvexHull.HullError.self) { try ConvexHull(points: [Vec3(0, 0, 0), Vec3(1, 0, 0), Vec3(0, 1, 0)]) }
        #expect(throws: ConvexHull.HullError.self) { try ConvexHull(points: square.dropLast() + [Vec3(0, 0, .nan)]) }
    }
}
