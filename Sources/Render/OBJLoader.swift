import Foundation
import ImageIO

/// Wavefront OBJ (+ MTL) reader for users' own assets (`--assets DIR`): `v`, `vt`, `vn`, polygonal `f` (fan
/// triangulated, negative indices allowed), `mtllib`, `usemtl`; MTL `newmtl`, `Kd`, `map_Kd` (PNG or JPEG
/// textures, told apart by their signature). One mesh per material used.
public enum OBJLoader {
    public struct Group {
        public var mesh: Mesh
        public var material: Material
        public init(mesh: Mesh, material: Material) { self.mesh = mesh; self.material = material }
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case syntax(path: String, line: Int, text: String)
        case texture(String)
        public var description: String {
            switch self {
            case let .unreadable(p): return "OBJ: cannot read \(p)"
            case let .syntax(p, l, t): return "OBJ: \(p):\(l): cannot parse \"\(t)\""
            case let .texture(m): return "OBJ: texture \(m)"
            }
        }
    }

    /// `materials: false` reads geometry only, in one group (collision meshes whose `mtllib` names a file that is
    /// not shipped beside them).
    public static func load(_ url: URL, materials useMaterials: Bool = true) throws -> [Group] {
        let text = try readText(url)
        var v: [Float3] = [], vt: [Float2] = [], vn: [Float3] = []
        var materials: [String: Material] = [:]
        var builders: [String: Builder] = [:], order: [String] = []
        var current = ""
        for (lineNo, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let tok = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let head = tok.first else { continue }
            let bad = LoadError.syntax(path: url.path, line: lineNo + 1, text: String(raw))
            func floats(_ n: Int) throws -> [Float] {
                let f = tok.dropFirst().prefix(n).compactMap { Float($0) }
                guard f.count == n else { throw bad }
                return f
            }
            switch head {
            case "v": let f = try floats(3); v.append(Float3(f[0], f[1], f[2]))
            case "vt": let f = try floats(2); vt.append(Float2(f[0], f[1]))
            case "vn": let f = try floats(3); vn.append(normalize(Float3(f[0], f[1], f[2])))
            case "mtllib" where useMaterials:
                for name in tok.dropFirst() {
                    try materials.merge(loadMTL(url.deletingLastPathComponent().appendingPathComponent(String(name)))) { $1 }
                }
            case "usemtl" where useMaterials: current = tok.count > 1 ? String(tok[1]) : ""
            case "f":
                guard tok.count >= 4 else { throw bad }
                if builders[current] == nil { builders[current] = Builder(); order.append(current) }
                let corners = try tok.dropFirst().map { try corner($0, v.count, vt.count, vn.count) ?? { throw bad }() }
                builders[current]!.addPolygon(corners, v: v, vt: vt, vn: vn)
            default: continue  // o, g, s, l, … carry no geometry we draw
            }
        }
        return order.map { name in
            let mesh = builders[name]!.mesh()
            var material = materials[name] ?? Material(rgb: 0.7, 0.7, 0.7)
            // A texture on a mesh without `vt` (the WidowX links' `interbotix_black.png`): SAPIEN samples it at one
            // coordinate for every vertex, so the surface takes the texture's one colour (its mean here).
            if mesh.uvs == nil, let t = material.texture { material.baseColor = t.mean; material.texture = nil }
            return Group(mesh: mesh, material: material)
        }
    }

    /// A regular file's text (`mtllib .` names a directory: one clear error instead of Foundation's). An empty file
    /// is not read: Foundation's reader leaks its 4 KB buffer on one (LeakSanitizer in fuzz/meshes).
    private static func readText(_ url: URL) throws -> String {
        guard isFile(url) else { throw LoadError.unreadable(url.path) }
        if (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) == 0 { return "" }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw LoadError.unreadable(url.path) }
        return text
    }

    private static func isFile(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && !directory.boolValue
    }

    /// Parses `v`, `v/vt`, `v//vn` or `v/vt/vn` into zero-based indices.
    private static func corner(_ s: Substring, _ nv: Int, _ nt: Int, _ nn: Int) -> (Int, Int?, Int?)? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        func idx(_ k: Int, _ n: Int) -> Int?? {
            guard k < parts.count, !parts[k].isEmpty else { return .some(nil) }
            guard let i = Int(parts[k]) else { return nil }
            let z = i > 0 ? i - 1 : n + i
            return (0..<n).contains(z) ? .some(z) : nil
        }
        guard let p = idx(0, nv), let p = p, let t = idx(1, nt), let n = idx(2, nn) else { return nil }
        return (p, t, n)
    }

    private static func loadMTL(_ url: URL) throws -> [String: Material] {
        let text = try readText(url)
        var out: [String: Material] = [:], name = ""
        for raw in text.split(separator: "\n") {
            let tok = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let head = tok.first else { continue }
            switch head {
            case "newmtl": name = tok.count > 1 ? String(tok[1]) : ""; out[name] = Material(rgb: 1, 1, 1)
            case "Kd":
                let f = tok.dropFirst().prefix(3).compactMap { Float($0) }
                if f.count == 3 { out[name]?.baseColor = Float3(f[0], f[1], f[2]) }
            case "map_Kd":
                guard let file = tok.last, tok.count > 1 else { continue }
                let tex = url.deletingLastPathComponent().appendingPathComponent(String(file))
                guard isFile(tex) else { throw LoadError.texture("\(tex.path): not a file") }
                do { out[name]?.texture = try MeshFile.texture(contentsOf: tex) } catch {
                    throw LoadError.texture("\(error)")
                }
            default: continue
            }
        }
        return out
    }

    /// Collects unique (position, uv, normal) corners of one material.
    private struct Builder {
        var pos: [Float3] = [], nrm: [Float3] = [], uv: [Float2] = [], idx: [UInt32] = []
        var seen: [[Int]: UInt32] = [:]
        var allUV = true

        mutating func addPolygon(_ c: [(Int, Int?, Int?)], v: [Float3], vt: [Float2], vn: [Float3]) {
            let faceN = normalize(cross(v[c[1].0] - v[c[0].0], v[c[2].0] - v[c[0].0]))
            var ids: [UInt32] = []
            for (p, t, n) in c {
                // Corners without a normal get the flat face normal, so they are not shared across faces.
                let key = n == nil ? [p, t ?? -1, -1, idx.count] : [p, t ?? -1, n!]
                if let i = seen[key] { ids.append(i); continue }
                let i = UInt32(pos.count)
                pos.append(v[p]); nrm.append(n.map { vn[$0] } ?? faceN); uv.append(t.map { vt[$0] } ?? .zero)
                if t == nil { allUV = false }
                seen[key] = i; ids.append(i)
            }
            for k in 1..<(ids.count - 1) { idx += [ids[0], ids[k], ids[k + 1]] }
        }

        func mesh() -> Mesh { Mesh(positions: pos, normals: nrm, uvs: allUV ? uv : nil, indices: idx) }
    }
}
