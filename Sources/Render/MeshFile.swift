import Foundation
import ImageIO
import VLMath

/// Loads a visual mesh file by its extension — Wavefront OBJ (+MTL), glTF binary (`.glb`) or COLLADA (`.dae`), the
/// three formats SimplerEnv's robot and object visuals come in — and keeps each file and texture loaded once per
/// process (the Google robot's links share one 2048² texture; every look and object set builds its own renderer).
public enum MeshFile {
    public typealias Group = OBJLoader.Group

    /// The formats `load` reads, by lower-case extension.
    public static let extensions = ["obj", "dae", "glb"]

    /// Longest texture side kept: larger images are box-filtered down at load. A 640×480 camera never sees an
    /// object's texture at more than a few hundred texels across, and a 4096² image (the spoon's and the towel's)
    /// would take 190 MB as float texels.
    public static let maxTextureSide = 1024

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case unsupported(String)
        case malformed(path: String, reason: String)
        public var description: String {
            switch self {
            case let .unreadable(p): return "mesh: cannot read \(p)"
            case let .unsupported(p): return "mesh: \(p): unsupported format (expected \(MeshFile.extensions.joined(separator: ", ")))"
            case let .malformed(p, r): return "mesh: \(p): \(r)"
            }
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var meshes: [String: [Group]] = [:]
    nonisolated(unsafe) private static var textures: [String: Texture] = [:]

    /// The file's material groups in the file's own units and frame (cached by path, size and modification time).
    public static func load(_ url: URL) throws -> [Group] {
        let key = cacheKey(url)
        lock.lock()
        if let g = meshes[key] { lock.unlock(); return g }
        lock.unlock()
        let groups: [Group]
        switch url.pathExtension.lowercased() {
        case "obj": groups = try OBJLoader.load(url)
        case "glb": groups = try GLBLoader.load(url)
        case "dae": groups = try ColladaLoader.load(url)
        default: throw LoadError.unsupported(url.path)
        }
        lock.lock(); meshes[key] = groups; lock.unlock()
        return groups
    }

    /// A texture from an image file (cached like meshes), reduced to `maxTextureSide`.
    public static func texture(contentsOf url: URL) throws -> Texture {
        let key = cacheKey(url)
        lock.lock()
        if let t = textures[key] { lock.unlock(); return t }
        lock.unlock()
        let t = texture(try ImageDecoder.decode(contentsOf: url).rgb)
        lock.lock(); textures[key] = t; lock.unlock()
        return t
    }

    /// A file changed on disk is read again (tests and users edit assets in place).
    private static func cacheKey(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let a = try? FileManager.default.attributesOfItem(atPath: path)
        return "\(path)|\(a?[.size] ?? "")|\((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }

    /// A texture from a decoded image, box-filtered by the smallest integer factor that brings its longer side
    /// to `maxTextureSide` or less (one pass over the bytes: the 4096² images are decoded on every run).
    static func texture(_ image: RGBImage) -> Texture {
        let k = (max(image.width, image.height) + maxTextureSide - 1) / maxTextureSide
        let w = image.width / k, h = image.height / k
        var texels = [Float3](repeating: .zero, count: w * h)
        let norm = 1 / Float(255 * k * k), rowBytes = 3 * image.width
        image.pixels.withUnsafeBufferPointer { src in
            texels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        var r = 0, g = 0, b = 0
                        for sy in (y * k)..<(y * k + k) {
                            var o = sy * rowBytes + 3 * x * k
                            for _ in 0..<k { r += Int(src[o]); g += Int(src[o + 1]); b += Int(src[o + 2]); o += 3 }
                        }
                        dst[y * w + x] = Float3(Float(r) * norm, Float(g) * norm, Float(b) * norm)
                    }
                }
            }
        }
        return Texture(width: w, height: h, texels: texels)
    }

    /// Area-weighted smooth vertex normals, for files that store none.
    static func vertexNormals(_ p: [Float3], _ idx: [UInt32]) -> [Float3] {
        var n = [Float3](repeating: .zero, count: p.count)
        for t in stride(from: 0, to: idx.count - 2, by: 3) {
            let a = Int(idx[t]), b = Int(idx[t + 1]), c = Int(idx[t + 2])
            let f = cross(p[b] - p[a], p[c] - p[a])
            n[a] += f; n[b] += f; n[c] += f
        }
        return n.map { v in (v * v).sum() > 0 ? normalize(v) : Float3(0, 0, 1) }
    }

    /// The mesh with positions mapped through an affine transform and normals through its inverse transpose;
    /// a mirroring transform flips the winding so faces keep pointing outwards.
    static func applying(_ m: Affine, to mesh: Mesh) -> Mesh {
        if m == .identity { return mesh }
        let inv = m.linearInverseTranspose
        var idx = mesh.indices
        if m.determinant < 0 { for i in stride(from: 0, to: idx.count, by: 3) { idx.swapAt(i + 1, i + 2) } }
        return Mesh(positions: mesh.positions.map { m.apply($0) }, normals: mesh.normals.map { normalize(inv.applyLinear($0)) },
                    uvs: mesh.uvs, colors: mesh.colors, indices: idx, closed: mesh.closed)
    }
}

/// A 3×4 affine transform (row-major rows of [R|t]) in Double: node transforms of scene-graph formats.
struct Affine: Equatable {
    var m: [[Double]]

    static let identity = Affine(m: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])

    /// From 16 values in column-major order (glTF `matrix`).
    init(columnMajor v: [Double]) { m = (0..<3).map { r in (0..<4).map { c in v[c * 4 + r] } } }
    /// From 16 values in row-major order (COLLADA `<matrix>`).
    init(rowMajor v: [Double]) { m = (0..<3).map { r in (0..<4).map { c in v[r * 4 + c] } } }
    init(m: [[Double]]) { self.m = m }

    static func * (a: Affine, b: Affine) -> Affine {
        var out = Affine.identity
        for r in 0..<3 {
            for c in 0..<4 {
                var v: Double = c == 3 ? a.m[r][3] : 0
                for k in 0..<3 { v += a.m[r][k] * b.m[k][c] }
                out.m[r][c] = v
            }
        }
        return out
    }

    var determinant: Double {
        let a: Double = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        let b: Double = m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        let c: Double = m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        return a - b + c
    }

    /// (R⁻¹)ᵀ as an affine with zero translation (for normals).
    var linearInverseTranspose: Affine {
        let d = determinant == 0 ? 1 : determinant
        func c(_ r: Int, _ k: Int) -> Double {  // cofactor
            let rs = [0, 1, 2].filter { $0 != r }, ks = [0, 1, 2].filter { $0 != k }
            let minor = m[rs[0]][ks[0]] * m[rs[1]][ks[1]] - m[rs[0]][ks[1]] * m[rs[1]][ks[0]]
            return ((r + k) % 2 == 0 ? minor : -minor) / d
        }
        return Affine(m: (0..<3).map { r in (0..<3).map { k in c(r, k) } + [0] })
    }

    func apply(_ p: Float3) -> Float3 { applyLinear(p) + Float3(Float(m[0][3]), Float(m[1][3]), Float(m[2][3])) }
    func applyLinear(_ p: Float3) -> Float3 {
        let x = Double(p.x), y = Double(p.y), z = Double(p.z)
        func row(_ r: [Double]) -> Float { Float(r[0] * x + r[1] * y + r[2] * z) }
        return Float3(row(m[0]), row(m[1]), row(m[2]))
    }
}
