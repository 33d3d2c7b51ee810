import Foundation
import VLMath

/// The convex hull of a point set, as outward-facing triangles, with the solid's exact volume, centroid and inertia.
/// SimplerEnv (through SAPIEN/PhysX) collides every `o` block of a `collision.obj` as the convex hull of its vertices
/// and derives mass from density × hull volume (simplerenv-tasks.md §1.1, §2.4); this is that hull.
///
/// Quickhull (Barber, Dobkin & Huhdanpaa 1996): start from a tetrahedron of extreme points, then repeatedly add the
/// point farthest outside a face, replacing the faces it sees by a fan to their horizon. Points within `tolerance`
/// of a face count as inside, so coplanar mesh vertices never create sliver faces.
public struct ConvexHull: Equatable, Sendable {
    /// The hull's corner points (a subset of the input).
    public let vertices: [Vec3]
    /// Triangles as indices into `vertices`, counter-clockwise seen from outside.
    public let triangles: [[Int]]
    /// Each triangle's outward unit normal n and offset d (the hull is n·x ≤ d for all of them).
    public let planes: [Plane]

    public struct Plane: Equatable, Sendable {
        public var normal: Vec3
        public var offset: Double
    }

    public enum HullError: Error, CustomStringConvertible, Equatable {
        case degenerate(String)
        public var description: String { if case .degenerate(let s) = self { return "convex hull: \(s)" }; return "" }
    }

    /// Relative distance below which a point counts as lying on a face (times the points' coordinate scale).
    static let relativeTolerance = 1e-9

    public init(points: [Vec3]) throws {
        guard points.count >= 4, points.allSatisfy(\.isFinite) else {
            throw HullError.degenerate("needs at least 4 finite points, got \(points.count)")
        }
        let scale = points.reduce(0.0) { max($0, abs($1.x), abs($1.y), abs($1.z)) }
        var builder = try Builder(points: points, tolerance: max(scale, 1e-300) * Self.relativeTolerance)
        builder.run()
        (vertices, triangles) = builder.compacted()
        planes = triangles.map { [vertices] t in
            let n = (vertices[t[1]] - vertices[t[0]]).cross(vertices[t[2]] - vertices[t[0]]).normalized
            return Plane(normal: n, offset: n.dot(vertices[t[0]]))
        }
    }

    /// Whether `p` projected onto triangle `face`'s plane falls inside that triangle.
    func faceContainsProjection(_ face: Int, of p: Vec3) -> Bool {
        let t = triangles[face], n = planes[face].normal
        for k in 0..<3 {
            let a = vertices[t[k]], b = vertices[t[(k + 1) % 3]]
            if (b - a).cross(p - a).dot(n) < 0 { return false }
        }
        return true
    }

    /// Axis-aligned bounds of the hull.
    public var bounds: (lo: Vec3, hi: Vec3) {
        vertices.dropFirst().reduce((vertices[0], vertices[0])) { b, v in
            (Vec3(min(b.0.x, v.x), min(b.0.y, v.y), min(b.0.z, v.z)), Vec3(max(b.1.x, v.x), max(b.1.y, v.y), max(b.1.z, v.z)))
        }
    }

    /// Volume (m³), centroid and the inertia tensor of the solid of unit density about its centroid, from the
    /// tetrahedra each face forms with an interior point (second moments of a tetrahedron: Tonon 2004).
    public var solid: (volume: Double, centroid: Vec3, unitInertia: Mat3) {
        let o = vertices.reduce(Vec3.zero, +) / Double(vertices.count)
        var volume = 0.0, first = Vec3.zero
        var second = [Double](repeating: 0, count: 9)  // ∫ r rᵀ dV about o
        for t in triangles {
            let a = vertices[t[0]] - o, b = vertices[t[1]] - o, c = vertices[t[2]] - o
            let v = a.dot(b.cross(c)) / 6
            volume += v
            first += (a + b + c) * (v / 4)
            let s = a + b + c
            for i in 0..<3 { for j in 0..<3 { second[3 * i + j] += v / 20 * (a[i] * a[j] + b[i] * b[j] + c[i] * c[j] + s[i] * s[j]) } }
        }
        let com = first / volume
        var cov = Mat3(rows: Vec3(second[0], second[1], second[2]), Vec3(second[3], second[4], second[5]),
                       Vec3(second[6], second[7], second[8]))
        cov = cov + Mat3(rows: com * com.x, com * com.y, com * com.z) * -volume
        let trace = cov[0, 0] + cov[1, 1] + cov[2, 2]
        return (volume, o + com, Mat3.identity * trace + cov * -1)
    }

    /// Whether the hull is an axis-aligned box (8 corners on the bounds): ODE then collides it as a box.
    public var isAxisAlignedBox: Bool {
        let (lo, hi) = bounds
        let tol = Self.relativeTolerance * max((hi - lo).norm, 1e-300) * 1e3
        guard vertices.count == 8 else { return false }
        return vertices.allSatisfy { v in
            (0..<3).allSatisfy { abs(v[$0] - lo[$0]) <= tol || abs(v[$0] - hi[$0]) <= tol }
        }
    }
}

/// The mutable quickhull state: faces with their outside points and a directed-edge map for adjacency.
private struct Builder {
    struct Face {
        var v: (Int, Int, Int)
        var normal: Vec3
        var offset: Double
        var outside: [Int] = []
        var alive = true
        func distance(_ p: Vec3) -> Double { normal.dot(p) - offset }
        var edges: [(Int, Int)] { [(v.0, v.1), (v.1, v.2), (v.2, v.0)] }
    }
    struct Edge: Hashable { let a: Int, b: Int }

    let p: [Vec3]
    let tol: Double
    var faces: [Face] = []
    var faceOfEdge: [Edge: Int] = [:]

    init(points: [Vec3], tolerance: Double) throws {
        p = points; tol = tolerance
        // Initial tetrahedron: the farthest pair among axis extremes, the farthest point from their line, then from
        // their plane.
        var ext: [Int] = []
        for axis in 0..<3 {
            ext.append(p.indices.min { p[$0][axis] < p[$1][axis] }!)
            ext.append(p.indices.max { p[$0][axis] < p[$1][axis] }!)
        }
        var (i0, i1) = (ext[0], ext[1])
        for a in ext { for b in ext where (p[a] - p[b]).norm > (p[i0] - p[i1]).norm { (i0, i1) = (a, b) } }
        let dir = (p[i1] - p[i0]).normalized
        let i2 = p.indices.max { (p[$0] - p[i0]).cross(dir).norm < (p[$1] - p[i0]).cross(dir).norm }!
        let n = (p[i1] - p[i0]).cross(p[i2] - p[i0]).normalized
        let i3 = p.indices.max { abs(n.dot(p[$0] - p[i0])) < abs(n.dot(p[$1] - p[i0])) }!
        guard (p[i1] - p[i0]).norm > tol, (p[i2] - p[i0]).cross(dir).norm > tol, abs(n.dot(p[i3] - p[i0])) > tol else {
            throw ConvexHull.HullError.degenerate("the \(p.count) points are coplanar or collinear (no volume)")
        }
        // Orient the base triangle away from the apex.
        let base = n.dot(p[i3] - p[i0]) > 0 ? (i0, i2, i1) : (i0, i1, i2)
        for f in [base, (base.1, base.0, i3), (base.2, base.1, i3), (base.0, base.2, i3)] { addFace(f) }
        let seed = Set([i0, i1, i2, i3])
        assign(p.indices.filter { !seed.contains($0) }, to: Array(faces.indices))
    }

    mutating func addFace(_ v: (Int, Int, Int)) {
        let n = (p[v.1] - p[v.0]).cross(p[v.2] - p[v.0]).normalized
        faces.append(Face(v: v, normal: n, offset: n.dot(p[v.0])))
        for (a, b) in faces[faces.count - 1].edges { faceOfEdge[Edge(a: a, b: b)] = faces.count - 1 }
    }

    /// Gives each point to the first of `candidates` it lies outside of; points inside all of them are dropped.
    mutating func assign(_ points: [Int], to candidates: [Int]) {
        for i in points {
            if let f = candidates.first(where: { faces[$0].distance(p[i]) > tol }) { faces[f].outside.append(i) }
        }
    }

    mutating func run() {
        var next = 0
        while next < faces.count {
            guard faces[next].alive, !faces[next].outside.isEmpty else { next += 1; continue }
            let eye = faces[next].outside.max { faces[next].distance(p[$0]) < faces[next].distance(p[$1]) }!
            // Faces the eye sees, grown from this one across shared edges.
            var visible: Set<Int> = [next], stack = [next]
            while let f = stack.popLast() {
                for (a, b) in faces[f].edges {
                    guard let g = faceOfEdge[Edge(a: b, b: a)], !visible.contains(g), faces[g].distance(p[eye]) > tol else { continue }
                    visible.insert(g); stack.append(g)
                }
            }
            var horizon: [(Int, Int)] = [], orphans: [Int] = []
            for f in visible.sorted() {
                for (a, b) in faces[f].edges where !visible.contains(faceOfEdge[Edge(a: b, b: a)] ?? f) { horizon.append((a, b)) }
                orphans += faces[f].outside
                faces[f].alive = false; faces[f].outside = []
            }
            for f in visible { for (a, b) in faces[f].edges where faceOfEdge[Edge(a: a, b: b)] == f { faceOfEdge[Edge(a: a, b: b)] = nil } }
            let first = faces.count
            for (a, b) in horizon { addFace((a, b, eye)) }
            assign(orphans.filter { $0 != eye }, to: Array(first..<faces.count))
        }
    }

    /// The live faces over only the points they use, renumbered in first-use order.
    func compacted() -> ([Vec3], [[Int]]) {
        var index: [Int: Int] = [:], verts: [Vec3] = [], tris: [[Int]] = []
        for f in faces where f.alive {
            tris.append([f.v.0, f.v.1, f.v.2].map { i in
                if let k = index[i] { return k }
                index[i] = verts.count; verts.append(p[i]); return verts.count - 1
            })
        }
        return (verts, tris)
    }
}
