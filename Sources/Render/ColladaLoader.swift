import Foundation
import Kinematics

/// COLLADA 1.4 (`.dae`) reader for the visuals of SimplerEnv's Bridge and Google objects (Blender exports):
/// `<triangles>` and `<polylist>` with VERTEX/NORMAL/TEXCOORD inputs, the visual scene's node hierarchy
/// (`matrix`, `translate`, `rotate`, `scale`), materials bound through `instance_material`, effects' diffuse colour
/// or diffuse texture (`newparam` sampler → surface → image → file beside the DAE), and `<unit meter>`.
/// `up_axis` is not applied: every SimplerEnv DAE is `Z_UP`, which is already the world's up here.
public enum ColladaLoader {
    public static func load(_ url: URL) throws -> [MeshFile.Group] {
        guard let data = try? Data(contentsOf: url) else { throw MeshFile.LoadError.unreadable(url.path) }
        let root: XMLElementNode
        do { root = try XMLElementNode.parse(data, source: url.path) } catch {
            throw MeshFile.LoadError.malformed(path: url.path, reason: "\(error)")
        }
        return try Document(root: root, url: url).groups()
    }

    private struct Document {
        let url: URL
        let root: XMLElementNode
        /// Every element with an `id`, and every `newparam` by `sid`.
        var byID: [String: XMLElementNode] = [:], params: [String: XMLElementNode] = [:]

        init(root: XMLElementNode, url: URL) {
            self.root = root; self.url = url
            var stack = [root]
            while let e = stack.popLast() {
                if let id = e.attributes["id"] { byID[id] = e }
                if e.name == "newparam", let sid = e.attributes["sid"] { params[sid] = e }
                stack += e.children
            }
        }

        func bad(_ why: String) -> MeshFile.LoadError { .malformed(path: url.path, reason: why) }

        func ref(_ s: String?) -> XMLElementNode? {
            guard let s else { return nil }
            return byID[s.hasPrefix("#") ? String(s.dropFirst()) : s]
        }

        func groups() throws -> [MeshFile.Group] {
            let meter = root.child("asset")?.child("unit")?.attributes["meter"].flatMap(Double.init) ?? 1
            let unit = Affine(m: [[meter, 0, 0, 0], [0, meter, 0, 0], [0, 0, meter, 0]])
            guard let scene = ref(root.child("scene")?.child("instance_visual_scene")?.attributes["url"])
                ?? root.child("library_visual_scenes")?.children("visual_scene").first else { throw bad("no visual scene") }
            var out: [MeshFile.Group] = []
            for node in scene.children("node") { try visit(node, unit, depth: 0, into: &out) }
            return out
        }

        private func visit(_ node: XMLElementNode, _ parent: Affine, depth: Int, into out: inout [MeshFile.Group]) throws {
            guard depth < 64 else { throw bad("nodes nested too deep") }
            var t = parent
            for e in node.children {
                let v = numbers(e.text)
                switch e.name {
                case "matrix" where v.count == 16: t = t * Affine(rowMajor: v)
                case "translate" where v.count == 3: t = t * Affine(m: [[1, 0, 0, v[0]], [0, 1, 0, v[1]], [0, 0, 1, v[2]]])
                case "scale" where v.count == 3: t = t * Affine(m: [[v[0], 0, 0, 0], [0, v[1], 0, 0], [0, 0, v[2], 0]])
                case "rotate" where v.count == 4: t = t * ColladaLoader.rotation(axis: (v[0], v[1], v[2]), degrees: v[3])
                default: break
                }
            }
            for inst in node.children("instance_geometry") {
                guard let geometry = ref(inst.attributes["url"]) else { throw bad("instance_geometry \(inst.attributes["url"] ?? "") not found") }
                var bound: [String: String] = [:]
                for m in inst.child("bind_material")?.child("technique_common")?.children("instance_material") ?? [] {
                    if let s = m.attributes["symbol"], let target = m.attributes["target"] { bound[s] = target }
                }
                for (symbol, mesh) in try meshes(geometry) {
                    out.append(MeshFile.Group(mesh: MeshFile.applying(t, to: mesh), material: try material(bound[symbol] ?? symbol)))
                }
            }
            for child in node.children("node") { try visit(child, t, depth: depth + 1, into: &out) }
            for inst in node.children("instance_node") {
                guard let n = ref(inst.attributes["url"]) else { throw bad("instance_node \(inst.attributes["url"] ?? "") not found") }
                try visit(n, t, depth: depth + 1, into: &out)
            }
        }

        /// The material's diffuse colour or texture (white when it has neither).
        private func material(_ id: String) throws -> Material {
            var m = Material(rgb: 1, 1, 1)
            guard let effect = ref(ref(id)?.child("instance_effect")?.attributes["url"]),
                  let profile = effect.child("profile_COMMON"), let technique = profile.child("technique"),
                  let shading = technique.children.first(where: { ["lambert", "phong", "blinn", "constant"].contains($0.name) })
            else { return m }
            // Baked materials (SimplerEnv's `baked_*` cubes): black diffuse, the look in the emission, drawn unlit.
            var channel = shading.child("diffuse")
            if let d = channel, d.child("texture") == nil, numbers(d.child("color")?.text ?? "").prefix(3).allSatisfy({ $0 == 0 }),
               let e = shading.child("emission"), e.child("texture") != nil || numbers(e.child("color")?.text ?? "").prefix(3).contains(where: { $0 > 0 }) {
                channel = e
                m.unlit = true
            }
            if let c = channel?.child("color") {
                let v = numbers(c.text)
                if v.count >= 3 { m.baseColor = Float3(Float(v[0]), Float(v[1]), Float(v[2])) }
            }
            if let sampler = channel?.child("texture")?.attributes["texture"] {
                // sampler newparam → surface newparam → image (some exporters name the image directly).
                var imageID = sampler
                if let s = params[sampler]?.child("sampler2D")?.child("source")?.text.trimmingCharacters(in: .whitespacesAndNewlines),
                   let surface = params[s]?.child("surface")?.child("init_from")?.text {
                    imageID = surface.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                guard let file = byID[imageID]?.child("init_from")?.text.trimmingCharacters(in: .whitespacesAndNewlines) else {
                    throw bad("texture '\(sampler)' names no image")
                }
                let name = (file.hasPrefix("file://") ? String(file.dropFirst(7)) : file).removingPercentEncoding ?? file
                let texURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : url.deletingLastPathComponent().appendingPathComponent(name)
                do { m.texture = try MeshFile.texture(contentsOf: texURL) } catch {
                    throw bad("texture \(texURL.path): \(error)")
                }
            }
            return m
        }

        /// The geometry's primitives, one mesh per material symbol.
        private func meshes(_ geometry: XMLElementNode) throws -> [(String, Mesh)] {
            guard let mesh = geometry.child("mesh") else { return [] }
            var sources: [String: (values: [Double], stride: Int)] = [:]
            for s in mesh.children("source") {
                guard let id = s.attributes["id"], let arr = s.child("float_array") else { continue }
                let stride = s.child("technique_common")?.child("accessor")?.attributes["stride"].flatMap(Int.init) ?? 1
                sources[id] = (numbers(arr.text), max(1, stride))
            }
            func source(_ ref: String?) -> (values: [Double], stride: Int)? {
                guard let ref else { return nil }
                let id = ref.hasPrefix("#") ? String(ref.dropFirst()) : ref
                if let s = sources[id] { return s }
                // A `<vertices>` element forwards to its POSITION source.
                let v = mesh.children("vertices").first { $0.attributes["id"] == id }
                return v?.children("input").first { $0.attributes["semantic"] == "POSITION" }.flatMap { sources[String(($0.attributes["source"] ?? "").dropFirst())] }
            }
            var out: [(String, Mesh)] = []
            for prim in mesh.children where prim.name == "triangles" || prim.name == "polylist" {
                let inputs = prim.children("input")
                let stride = (inputs.compactMap { $0.attributes["offset"].flatMap(Int.init) }.max() ?? 0) + 1
                func input(_ semantic: String) -> (Int, (values: [Double], stride: Int))? {
                    guard let i = inputs.first(where: { $0.attributes["semantic"] == semantic }),
                          let s = source(i.attributes["source"]) else { return nil }
                    return (Int(i.attributes["offset"] ?? "0") ?? 0, s)
                }
                guard let position = input("VERTEX") else { throw bad("a <\(prim.name)> has no VERTEX input") }
                let normal = input("NORMAL"), texcoord = input("TEXCOORD")
                let p = numbers(prim.child("p")?.text ?? "").map { Int($0) }
                let counts = prim.name == "polylist" ? numbers(prim.child("vcount")?.text ?? "").map { Int($0) }
                    : Array(repeating: 3, count: p.count / stride / 3)
                var builder = CornerBuilder()
                var at = 0
                for n in counts {
                    guard n >= 3, (at + n) * stride <= p.count else { throw bad("<\(prim.name)> index list too short") }
                    var ids: [UInt32] = []
                    for k in 0..<n {
                        let c = (at + k) * stride
                        ids.append(try builder.corner(p[c + position.0], position.1,
                                                      normal.map { (p[c + $0.0], $0.1) }, texcoord.map { (p[c + $0.0], $0.1) }, bad))
                    }
                    for k in 1..<(n - 1) { builder.indices += [ids[0], ids[k], ids[k + 1]] }
                    at += n
                }
                out.append((prim.attributes["material"] ?? "", builder.mesh()))
            }
            return out
        }

        /// Whitespace-separated numbers (strtod over the C string: the coke can's arrays hold 300k values).
        private func numbers(_ text: String) -> [Double] {
            var out: [Double] = []
            text.withCString { start in
                var p = UnsafeMutablePointer(mutating: start)
                while true {
                    var end: UnsafeMutablePointer<CChar>?
                    let v = strtod(p, &end)
                    guard let e = end, e != p else { break }
                    out.append(v)
                    p = e
                }
            }
            return out
        }
    }

    /// Vertices deduplicated by their (position, normal, uv) index triple.
    private struct CornerBuilder {
        var positions: [Float3] = [], normals: [Float3] = [], uvs: [Float2] = [], indices: [UInt32] = []
        var seen: [SIMD3<Int32>: UInt32] = [:]
        var hasNormals = true, hasUVs = true

        mutating func corner(_ p: Int, _ ps: (values: [Double], stride: Int), _ n: (Int, (values: [Double], stride: Int))?,
                             _ t: (Int, (values: [Double], stride: Int))?, _ bad: (String) -> MeshFile.LoadError) throws -> UInt32 {
            let key = SIMD3<Int32>(Int32(p), Int32(n?.0 ?? -1), Int32(t?.0 ?? -1))
            if let i = seen[key] { return i }
            func vec(_ i: Int, _ s: (values: [Double], stride: Int), _ w: Int) throws -> [Float] {
                guard i >= 0, i * s.stride + w <= s.values.count else { throw bad("index \(i) out of range") }
                return (0..<w).map { Float(s.values[i * s.stride + $0]) }
            }
            let v = try vec(p, ps, 3)
            positions.append(Float3(v[0], v[1], v[2]))
            if let n { let f = try vec(n.0, n.1, 3); normals.append(normalize(Float3(f[0], f[1], f[2]))) } else { hasNormals = false; normals.append(.zero) }
            if let t { let f = try vec(t.0, t.1, 2); uvs.append(Float2(f[0], f[1])) } else { hasUVs = false; uvs.append(.zero) }
            let i = UInt32(positions.count - 1)
            seen[key] = i
            return i
        }

        func mesh() -> Mesh {
            Mesh(positions: positions, normals: hasNormals ? normals : MeshFile.vertexNormals(positions, indices),
                 uvs: hasUVs ? uvs : nil, indices: indices)
        }
    }

    /// Rotation by `degrees` about a (not necessarily unit) axis, Rodrigues' formula.
    static func rotation(axis: (Double, Double, Double), degrees: Double) -> Affine {
        let n = (axis.0 * axis.0 + axis.1 * axis.1 + axis.2 * axis.2).squareRoot()
        guard n > 0 else { return .identity }
        let x = axis.0 / n, y = axis.1 / n, z = axis.2 / n, a = degrees * .pi / 180, c = cos(a), s = sin(a), k = 1 - c
        return Affine(m: [[c + x * x * k, x * y * k - z * s, x * z * k + y * s, 0],
                          [y * x * k + z * s, c + y * y * k, y * z * k - x * s, 0],
                          [z * x * k - y * s, z * y * k + x * s, c + z * z * k, 0]])
    }
}
