import Foundation
import ImageIO
import VLMath

/// glTF 2.0 binary (`.glb`) reader for the SimplerEnv assets that come as GLB (the baked objects, the Google
/// robot's base and rear wheels, the cabinet's stone tabletop): triangle primitives with POSITION, NORMAL,
/// TEXCOORD_0, COLOR_0 and indices; the node hierarchy (matrix or TRS); materials' `baseColorFactor` and
/// `baseColorTexture` from embedded PNG/JPEG images. PBR extensions (transmission, IOR) are optional in these
/// files and ignored. Coordinates are taken as written, like SAPIEN's importer does (no y-up conversion).
public enum GLBLoader {
    public static func load(_ url: URL) throws -> [MeshFile.Group] {
        guard let data = try? Data(contentsOf: url) else { throw MeshFile.LoadError.unreadable(url.path) }
        func bad(_ why: String) -> MeshFile.LoadError { .malformed(path: url.path, reason: why) }
        let (json, bin) = try chunks(data, bad)
        let doc: Document
        do { doc = try JSONDecoder().decode(Document.self, from: json) } catch { throw bad("JSON chunk: \(error)") }
        let reader = Accessors(doc: doc, bin: bin, bad: bad)
        var textures: [Int: Texture] = [:]
        func texture(_ index: Int) throws -> Texture {
            if let t = textures[index] { return t }
            guard let src = doc.textures?[safe: index]?.source, let image = doc.images?[safe: src],
                  let view = image.bufferView else { throw bad("texture \(index) has no embedded image") }
            let bytes = try reader.view(view)
            let t: Texture
            do { t = MeshFile.texture(try ImageDecoder.decode(bytes).rgb) } catch { throw bad("image \(src): \(error)") }
            textures[index] = t
            return t
        }
        var groups: [MeshFile.Group] = []
        func visit(_ nodeIndex: Int, _ parent: Affine, depth: Int) throws {
            guard depth < 64, let node = doc.nodes?[safe: nodeIndex] else { throw bad("node \(nodeIndex) missing or nested too deep") }
            let world = parent * node.localMatrix
            if let m = node.mesh {
                guard let mesh = doc.meshes?[safe: m] else { throw bad("mesh \(m) missing") }
                for prim in mesh.primitives where (prim.mode ?? 4) == 4 {
                    var material = Material(rgb: 1, 1, 1)
                    if let mi = prim.material, let mat = doc.materials?[safe: mi] {
                        let pbr = mat.pbrMetallicRoughness
                        if let f = pbr?.baseColorFactor, f.count >= 3 { material.baseColor = Float3(Float(f[0]), Float(f[1]), Float(f[2])) }
                        if let t = pbr?.baseColorTexture?.index { material.texture = try texture(t) }
                        // Baked objects (trimesh exports of SimplerEnv's `baked_*`): black albedo, the look in the
                        // emissive texture, which SAPIEN adds unlit.
                        if material.texture == nil && material.baseColor == .zero, let e = mat.emissiveTexture?.index {
                            let f = mat.emissiveFactor ?? [1, 1, 1]
                            material = Material(baseColor: Float3(Float(f[0]), Float(f[1]), Float(f[2])), texture: try texture(e), unlit: true)
                        }
                    }
                    groups.append(MeshFile.Group(mesh: try reader.mesh(prim, transform: world), material: material))
                }
            }
            for c in node.children ?? [] { try visit(c, world, depth: depth + 1) }
        }
        let roots = doc.scenes?[safe: doc.scene ?? 0]?.nodes ?? Array(0..<(doc.nodes?.count ?? 0))
        for r in roots { try visit(r, .identity, depth: 0) }
        return groups
    }

    /// The JSON and BIN chunks of a GLB container.
    private static func chunks(_ data: Data, _ bad: (String) -> MeshFile.LoadError) throws -> (Data, Data) {
        let bytes = [UInt8](data)
        func u32(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24 }
        guard bytes.count >= 20, u32(0) == 0x4654_6C67 else { throw bad("not a GLB file (no 'glTF' magic)") }
        guard u32(4) == 2 else { throw bad("glTF version \(u32(4)), expected 2") }
        var json: Data?, bin = Data(), o = 12
        while o + 8 <= bytes.count {
            let length = u32(o), type = u32(o + 4)
            guard o + 8 + length <= bytes.count else { throw bad("chunk at byte \(o) runs past the end") }
            let body = data.subdata(in: (data.startIndex + o + 8)..<(data.startIndex + o + 8 + length))
            if type == 0x4E4F_534A { json = body } else if type == 0x004E_4942 { bin = body }
            o += 8 + length
        }
        guard let json else { throw bad("no JSON chunk") }
        return (json, bin)
    }

    // MARK: the subset of the glTF schema read here (unknown keys are the format's business, not errors)

    struct Document: Decodable {
        var scene: Int?
        var scenes: [Scene]?
        var nodes: [Node]?
        var meshes: [MeshDef]?
        var accessors: [Accessor]?
        var bufferViews: [BufferView]?
        var materials: [MaterialDef]?
        var textures: [TextureDef]?
        var images: [Image]?
    }
    struct Scene: Decodable { var nodes: [Int]? }
    struct Node: Decodable {
        var mesh: Int?
        var children: [Int]?
        var matrix: [Double]?
        var translation: [Double]?
        var rotation: [Double]?
        var scale: [Double]?

        /// Column-major `matrix`, or T·R·S.
        var localMatrix: Affine {
            if let m = matrix, m.count == 16 { return Affine(columnMajor: m) }
            var out = Affine.identity
            if let r = rotation, r.count == 4 {
                let rot = Mat3(Quat(w: r[3], x: r[0], y: r[1], z: r[2]))
                for i in 0..<3 { for j in 0..<3 { out.m[i][j] = rot[i, j] } }
            }
            if let s = scale, s.count == 3 { for i in 0..<3 { for j in 0..<3 { out.m[i][j] *= s[j] } } }
            if let t = translation, t.count == 3 { for i in 0..<3 { out.m[i][3] = t[i] } }
            return out
        }
    }
    struct MeshDef: Decodable { var primitives: [Primitive] }
    struct Primitive: Decodable {
        var attributes: [String: Int]
        var indices: Int?
        var material: Int?
        var mode: Int?
    }
    struct Accessor: Decodable {
        var bufferView: Int?
        var byteOffset: Int?
        var componentType: Int
        var normalized: Bool?
        var count: Int
        var type: String
    }
    struct BufferView: Decodable { var byteOffset: Int?; var byteLength: Int; var byteStride: Int? }
    struct MaterialDef: Decodable { var pbrMetallicRoughness: PBR?; var emissiveTexture: TextureRef?; var emissiveFactor: [Double]? }
    struct PBR: Decodable { var baseColorFactor: [Double]?; var baseColorTexture: TextureRef? }
    struct TextureRef: Decodable { var index: Int }
    struct TextureDef: Decodable { var source: Int? }
    struct Image: Decodable { var bufferView: Int?; var mimeType: String? }

    /// Reads typed accessor data out of the BIN chunk.
    struct Accessors {
        let doc: Document, bin: Data
        let bad: (String) -> MeshFile.LoadError

        func view(_ i: Int) throws -> Data {
            guard let v = doc.bufferViews?[safe: i] else { throw bad("bufferView \(i) missing") }
            let start = v.byteOffset ?? 0
            guard start >= 0, start + v.byteLength <= bin.count else { throw bad("bufferView \(i) outside the BIN chunk") }
            return bin.subdata(in: (bin.startIndex + start)..<(bin.startIndex + start + v.byteLength))
        }

        /// Accessor `i` as `count × width` floats (normalised integers scaled to 0…1, indices as plain values).
        func floats(_ i: Int, width: Int) throws -> [Float] {
            guard let a = doc.accessors?[safe: i] else { throw bad("accessor \(i) missing") }
            let comps = ["SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4][a.type] ?? 0
            guard comps >= width else { throw bad("accessor \(i) is \(a.type), expected \(width) components") }
            let size = [5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4][a.componentType] ?? 0
            guard size > 0 else { throw bad("accessor \(i) has component type \(a.componentType)") }
            guard let vi = a.bufferView else { return [Float](repeating: 0, count: a.count * width) }
            let data = try view(vi)
            let stride = doc.bufferViews?[vi].byteStride ?? comps * size, base = a.byteOffset ?? 0
            guard a.count == 0 || base + (a.count - 1) * stride + comps * size <= data.count else {
                throw bad("accessor \(i) runs past its bufferView")
            }
            let scale: Float = a.normalized == true ? [5121: 255, 5123: 65535, 5125: 4_294_967_295][a.componentType] ?? 1 : 1
            var out = [Float](repeating: 0, count: a.count * width)
            data.withUnsafeBytes { raw in
                for k in 0..<a.count {
                    for c in 0..<width {
                        let o = base + k * stride + c * size
                        let v: Float
                        switch a.componentType {
                        case 5126: v = Float(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)
                        case 5125: v = Float(raw.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)
                        case 5123: v = Float(raw.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian)
                        case 5122: v = Float(raw.loadUnaligned(fromByteOffset: o, as: Int16.self).littleEndian)
                        case 5121: v = Float(raw[o])
                        default: v = Float(Int8(bitPattern: raw[o]))
                        }
                        out[k * width + c] = v / scale
                    }
                }
            }
            return out
        }

        /// One triangle primitive in the frame `transform` maps it to.
        func mesh(_ p: Primitive, transform: Affine) throws -> Mesh {
            guard let pi = p.attributes["POSITION"] else { throw bad("a primitive has no POSITION") }
            let pos = try floats(pi, width: 3)
            let n = pos.count / 3
            let idx: [UInt32] = try p.indices.map { try floats($0, width: 1).map { UInt32($0) } } ?? (0..<UInt32(n)).map { $0 }
            guard idx.count % 3 == 0, idx.allSatisfy({ Int($0) < n }) else { throw bad("a primitive's indices are out of range") }
            let positions = (0..<n).map { Float3(pos[3 * $0], pos[3 * $0 + 1], pos[3 * $0 + 2]) }
            let normals = try p.attributes["NORMAL"].map { a -> [Float3] in
                let f = try floats(a, width: 3)
                return (0..<n).map { Float3(f[3 * $0], f[3 * $0 + 1], f[3 * $0 + 2]) }
            }
            // glTF puts the UV origin at the image's top-left; `Texture` samples with v up (OBJ), so flip v.
            let uvs = try p.attributes["TEXCOORD_0"].map { a -> [Float2] in
                let f = try floats(a, width: 2)
                return (0..<n).map { Float2(f[2 * $0], 1 - f[2 * $0 + 1]) }
            }
            let colors = try p.attributes["COLOR_0"].map { a -> [Float3] in
                let f = try floats(a, width: 3)
                return (0..<n).map { Float3(f[3 * $0], f[3 * $0 + 1], f[3 * $0 + 2]) }
            }
            let local = Mesh(positions: positions, normals: normals ?? MeshFile.vertexNormals(positions, idx), uvs: uvs,
                             colors: colors, indices: idx)
            return MeshFile.applying(transform, to: local)
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
