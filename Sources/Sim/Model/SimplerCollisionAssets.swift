import Foundation
import Physics
import VLMath

/// SimplerEnv's collision meshes and model database, read from a copy of the ManiSkill2_real2sim repository layout
/// (`<root>/data/custom/models/<model id>/collision.obj`, `<root>/data/custom/info_*.json`). SimplerEnv loads
/// `collision.obj` as convex hulls ("multiple collisions from file": one per connected piece of each `o` block) and
/// weighs the object as density × hull volume × scale³ (simplerenv-tasks.md §1.1, §2.4). The assets are never part of the repository:
/// users fetch them, and without them the simulator falls back to the primitives in `scenes/objects/`.
public final class SimplerCollisionAssets: @unchecked Sendable {
    public let root: URL
    /// The model database: model id → density (kg/m³) and scale, merged over every `info_*.json`.
    let info: [String: ModelInfo]
    private var hulls: [String: [ConvexHull]] = [:]
    private let lock = NSLock()

    struct ModelInfo: Decodable, Equatable {
        var density: Double?
        var scales: [Double]?
    }

    /// The default density when a model's entry gives none ([R2S] `base_env.py` `_build_actor_helper`, §1.1).
    static let defaultDensity = 1000.0

    /// The asset copy under `root` (`SimplerAssetRoot.resolve` by default: `--assets DIR`, `$VLASER_ASSETS_DIR`, the
    /// cache), read once per process and root; nil when that directory holds no model folders.
    public static func locate(_ root: SimplerAssetRoot? = nil) throws -> SimplerCollisionAssets? {
        let root = try root ?? SimplerAssetRoot.resolve(explicit: nil)
        guard FileManager.default.fileExists(atPath: root.url.appendingPathComponent("data/custom/models").path) else { return nil }
        let key = root.url.standardizedFileURL.path
        cacheLock.lock(); defer { cacheLock.unlock() }
        if let a = cache[key] { return a }
        let a = try SimplerCollisionAssets(root: root.url)
        cache[key] = a
        return a
    }
    nonisolated(unsafe) private static var cache: [String: SimplerCollisionAssets] = [:]
    private static let cacheLock = NSLock()

    /// Reads the model database under `root` (a model listed twice with different values is an error).
    public init(root: URL) throws {
        self.root = root
        let dir = root.appendingPathComponent("data/custom")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasPrefix("info_") && $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else {
            throw DataFileError(file: dir.path, field: "", message: "no info_*.json model database (not a ManiSkill2_real2sim asset copy)")
        }
        var merged: [String: ModelInfo] = [:]
        for f in files {
            let url = dir.appendingPathComponent(f)
            for (id, entry) in try DataFile.loadForeign([String: ModelInfo].self, from: url) {
                if let seen = merged[id], seen != entry {
                    throw DataFileError(file: url.path, field: id, message: "differs from the entry of another info_*.json")
                }
                merged[id] = entry
            }
        }
        info = merged
    }

    /// Density and scale SimplerEnv gives `model` (scale: the first of `scales`, which every shipped model has as 1.0).
    func densityAndScale(_ model: String) -> (density: Double, scale: Double) {
        let e = info[model]
        return (e?.density ?? Self.defaultDensity, e?.scales?.first ?? 1)
    }

    /// The convex pieces of `model`'s `collision.obj` (see `readBlocks`), scaled (computed once, thread-safe).
    public func pieces(_ model: String) throws -> [ConvexHull] {
        lock.lock(); defer { lock.unlock() }
        if let h = hulls[model] { return h }
        let url = root.appendingPathComponent("\(SimplerAssetRoot.modelFolder(model))/collision.obj")
        let scale = densityAndScale(model).scale
        let h = try Self.readBlocks(url).enumerated().map { k, points in
            do { return try ConvexHull(points: points.map { $0 * scale }) } catch {
                throw DataFileError(file: url.path, field: "piece \(k + 1)", message: "\(error)")
            }
        }
        hulls[model] = h
        return h
    }

    /// The convex pieces' points: per `o` block, one group per connected set of faces (faces sharing a vertex
    /// position are connected). SAPIEN 2.2.2's `add_multiple_collisions_from_file` makes one convex shape per such
    /// component, not per block: the spoon's single block is 4 shapes weighing 43 g, not one hull of 80 g
    /// (measured with `sapien==2.2.2`, docs/collision.md). OBJ indices are 1-based, negative = relative to the end.
    static func readBlocks(_ url: URL) throws -> [[Vec3]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw DataFileError(file: url.path, field: "", message: "cannot read the collision mesh")
        }
        var vertices: [Vec3] = [], blocks: [[[Int]]] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let tok = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            func bad() -> DataFileError { DataFileError(file: url.path, field: "line \(n + 1)", message: "cannot parse \"\(raw)\"") }
            switch tok.first {
            case "o": blocks.append([])
            case "v":
                let c = tok.dropFirst().prefix(3).compactMap { Double($0) }
                guard c.count == 3 else { throw bad() }
                vertices.append(Vec3(c[0], c[1], c[2]))
            case "f":
                if blocks.isEmpty { blocks.append([]) }
                let face = try tok.dropFirst().map { corner -> Int in
                    guard let i = corner.split(separator: "/", omittingEmptySubsequences: false).first.flatMap({ Int($0) }),
                          i != 0, abs(i) <= vertices.count else { throw bad() }
                    return i > 0 ? i - 1 : vertices.count + i
                }
                guard face.count >= 3 else { throw bad() }
                blocks[blocks.count - 1].append(face)
            default: continue
            }
        }
        let pieces = blocks.flatMap { components($0, vertices) }
        guard !pieces.isEmpty else { throw DataFileError(file: url.path, field: "", message: "has no faces") }
        return pieces
    }

    /// Splits one block's faces into connected components (union-find over vertex positions), each as the sorted
    /// set of its vertices' positions, in order of first vertex.
    static func components(_ faces: [[Int]], _ vertices: [Vec3]) -> [[Vec3]] {
        var id: [Vec3: Int] = [:]
        var parent: [Int] = []
        func key(_ v: Int) -> Int {
            if let k = id[vertices[v]] { return k }
            id[vertices[v]] = parent.count; parent.append(parent.count); return parent.count - 1
        }
        func find(_ a: Int) -> Int {
            var a = a
            while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }
            return a
        }
        for f in faces {
            let first = key(f[0])
            for v in f.dropFirst() { let a = find(first), b = find(key(v)); if a != b { parent[b] = a } }
        }
        var groups: [Int: Set<Int>] = [:], order: [Int] = []
        for f in faces {
            let r = find(key(f[0]))
            if groups[r] == nil { order.append(r) }
            groups[r, default: []].formUnion(f)
        }
        return order.map { groups[$0]!.sorted().map { vertices[$0] } }
    }
}
