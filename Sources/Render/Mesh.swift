import Foundation
import VLMath

public typealias Float3 = SIMD3<Float>
public typealias Float2 = SIMD2<Float>

/// An indexed triangle mesh in its own frame. Float storage: the rasterizer's inner loops run in Float.
/// A class so many instances (and the physics-driven poses) share one copy of the vertex data.
public final class Mesh: @unchecked Sendable {
    public let positions: [Float3]
    public let normals: [Float3]
    /// Texture coordinates (u right, v up, as in OBJ), or nil for untextured meshes.
    public let uvs: [Float2]?
    /// Per-vertex albedo multiplying the material's base colour (multi-coloured procedural objects), or nil.
    public let colors: [Float3]?
    /// Three vertex indices per triangle, counter-clockwise seen from outside.
    public let indices: [UInt32]
    /// A closed (watertight) surface: the rasterizer may skip triangles facing away from the camera.
    public let closed: Bool

    public init(positions: [Float3], normals: [Float3], uvs: [Float2]? = nil, colors: [Float3]? = nil, indices: [UInt32],
                closed: Bool = false) {
        precondition(normals.count == positions.count, "Mesh: \(normals.count) normals for \(positions.count) positions")
        precondition(uvs == nil || uvs!.count == positions.count, "Mesh: uv count differs from position count")
        precondition(colors == nil || colors!.count == positions.count, "Mesh: colour count differs from position count")
        precondition(indices.count % 3 == 0 && indices.allSatisfy { Int($0) < positions.count }, "Mesh: bad index list")
        self.positions = positions; self.normals = normals; self.uvs = uvs; self.colors = colors; self.indices = indices
        self.closed = closed
    }

    public var triangleCount: Int { indices.count / 3 }

    /// Axis-aligned bounds (min, max) of the vertices.
    public var bounds: (min: Float3, max: Float3) {
        var lo = Float3(repeating: .infinity), hi = Float3(repeating: -.infinity)
        for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        return (lo, hi)
    }

    /// The mesh with every vertex mapped through `pose` after per-axis `scale` (normals transformed correctly).
    public func transformed(pose: Pose = .identity, scale: Float3 = Float3(1, 1, 1)) -> Mesh {
        let r = Mat3(pose.q), t = Float3(pose.p)
        let rf = (0..<3).map { Float3(Float(r[$0, 0]), Float(r[$0, 1]), Float(r[$0, 2])) }
        func rot(_ v: Float3) -> Float3 { Float3((rf[0] * v).sum(), (rf[1] * v).sum(), (rf[2] * v).sum()) }
        let mirrored = scale.x * scale.y * scale.z < 0
        var idx = indices
        if mirrored { for i in stride(from: 0, to: idx.count, by: 3) { idx.swapAt(i + 1, i + 2) } }
        return Mesh(positions: positions.map { rot($0 * scale) + t },
                    normals: normals.map { normalize(rot($0 / scale)) },
                    uvs: uvs, colors: colors, indices: idx, closed: closed)
    }

    /// Scales and recentres the mesh so its bounding box is exactly `size` (full extents), centred at the origin.
    public func fitted(to size: Float3) -> Mesh {
        let (lo, hi) = bounds
        let extent = pointwiseMax(hi - lo, Float3(repeating: 1e-9))
        let centred = Mesh(positions: positions.map { $0 - (lo + hi) / 2 }, normals: normals, uvs: uvs, colors: colors,
                           indices: indices, closed: closed)
        return centred.transformed(scale: size / extent)
    }

    /// Concatenates meshes (closed if every part is); per-vertex colours are kept (white where a part had none), UVs only if all have them.
    public static func merged(_ parts: [Mesh]) -> Mesh {
        var pos: [Float3] = [], nrm: [Float3] = [], col: [Float3] = [], uv: [Float2] = [], idx: [UInt32] = []
        let anyColor = parts.contains { $0.colors != nil }, allUV = parts.allSatisfy { $0.uvs != nil }
        for m in parts {
            let base = UInt32(pos.count)
            pos += m.positions; nrm += m.normals
            if anyColor { col += m.colors ?? Array(repeating: Float3(1, 1, 1), count: m.positions.count) }
            if allUV { uv += m.uvs! }
            idx += m.indices.map { $0 + base }
        }
        return Mesh(positions: pos, normals: nrm, uvs: allUV ? uv : nil, colors: anyColor ? col : nil, indices: idx,
                    closed: parts.allSatisfy(\.closed))
    }

    /// UVs projected onto the plane across each vertex's dominant normal axis, one unit per `tile` metres, so a
    /// texture repeats at the same physical size on every face however large the surface (walls, floors).
    public func planarUVs(tile: Float) -> Mesh {
        let uv = zip(positions, normals).map { p, n -> Float2 in
            let a = Float3(abs(n.x), abs(n.y), abs(n.z))
            if a.x >= a.y && a.x >= a.z { return Float2(p.y, p.z) / tile }
            return a.y >= a.z ? Float2(p.x, p.z) / tile : Float2(p.x, p.y) / tile
        }
        return Mesh(positions: positions, normals: normals, uvs: uv, colors: colors, indices: indices, closed: closed)
    }

    /// The same geometry with one albedo on every vertex.
    public func colored(_ c: Float3) -> Mesh {
        Mesh(positions: positions, normals: normals, uvs: uvs, colors: Array(repeating: c, count: positions.count),
             indices: indices, closed: closed)
    }
}

public extension SIMD3 where Scalar == Float {
    init(_ v: Vec3) { self.init(Float(v.x), Float(v.y), Float(v.z)) }
}

@inline(__always) func normalize(_ v: Float3) -> Float3 {
    let n = (v * v).sum().squareRoot()
    return n > 0 ? v / n : v
}

@inline(__always) func cross(_ a: Float3, _ b: Float3) -> Float3 {
    Float3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
