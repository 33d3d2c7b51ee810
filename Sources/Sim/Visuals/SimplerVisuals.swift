import Foundation
import Kinematics
import Render
import VLMath

/// `scenes/simpler-visuals.json`: which SimplerEnv files stand for our robots, objects and stage parts.
public struct SimplerVisualMap: Codable, Sendable {
    public struct StageModel: Codable, Sendable {
        public var model: String
        /// Our stage parts of this name are drawn as the model instead.
        public var replaces: String
        public var pose: Pose
    }
    /// Our URDF (scenes-relative) → the original URDF (repository path).
    public var robots: [String: String]
    /// Our model id → SimplerEnv's, where they differ.
    public var objects: [String: String]
    /// Stage name → SimplerEnv actors our stage builds from parts.
    public var stageModels: [String: [StageModel]]

    enum CodingKeys: String, CodingKey { case robots, objects, stageModels = "stage_models" }
    static let file = "simpler-visuals.json"

    /// SimplerEnv's id for our model id.
    public func simplerID(_ id: String) -> String { objects[id] ?? id }

    /// Loads the map (strict: unknown keys are errors, so a typo cannot silently drop a mesh). A scenes directory
    /// without one (a robot of our own) maps nothing: every visual is procedural.
    public static func load(scenes: URL) throws -> SimplerVisualMap {
        let url = scenes.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            return SimplerVisualMap(robots: [:], objects: [:], stageModels: [:])
        }
        return try DataFile.load(SimplerVisualMap.self, from: url)
    }
}

/// SimplerEnv's own visuals under an asset root: an object's visual by SimplerEnv's model-id rule (falling back to
/// its collision mesh in a flat colour when the visual blob is absent, as SimplerEnv's reference renders did), a
/// robot's link visuals from the original URDF (the look's `robot_colour` picks the `urdf_version` variant, whose
/// meshes carry SimplerEnv's recolour textures), and what each was drawn from, for the run manifest.
public struct SimplerVisuals {
    public let root: SimplerAssetRoot
    public let map: SimplerVisualMap

    /// What a visual is drawn from, as the manifest's `visual_assets` records it.
    public enum Source: Equatable, Sendable, CustomStringConvertible {
        case mesh(String), collision(String), procedural
        public var description: String {
            switch self {
            case .mesh(let p): return p
            case .collision(let p): return "collision-mesh:\(p)"
            case .procedural: return "procedural"
            }
        }
    }

    public init(root: SimplerAssetRoot, scenes: URL) throws {
        self.root = root
        map = try SimplerVisualMap.load(scenes: scenes)
    }

    /// SimplerEnv's id for our model id.
    public func simplerID(_ id: String) -> String { map.simplerID(id) }

    public func objectSource(_ id: String) -> Source {
        let sid = simplerID(id)
        if let v = root.objectVisual(sid) { return .mesh(v) }
        let c = "\(SimplerAssetRoot.modelFolder(sid))/collision.obj"
        return root.file(c) != nil ? .collision(c) : .procedural
    }

    /// The object's SimplerEnv visual (at scale 1, in the actor frame), or nil when only the procedural one exists.
    /// `flat`: the colour of a collision-mesh stand-in.
    public func objectModel(_ id: String, flat: Material) throws -> VisualModel? {
        switch objectSource(id) {
        case .procedural: return nil
        case .mesh(let path):
            return VisualModel(parts: try load(path).map { ($0.mesh, $0.material, Pose.identity) })
        case .collision(let path):
            let groups = try Self.cached("collision:" + path) {
                try OBJLoader.load(root.url.appendingPathComponent(path), materials: false).map {
                    OBJLoader.Group(mesh: $0.mesh, material: flat)
                }
            }
            return VisualModel(parts: groups.map { ($0.mesh, $0.material, Pose.identity) })
        }
    }

    /// The original URDF (repository path) for our robot URDF and a look's `robot_colour`, or nil when absent.
    public func robotURDF(_ ours: String, colour: String?) -> String? {
        guard let base = map.robots[ours] else { return nil }
        let path = SimplerAssetRoot.urdfVariant(base, version: colour)
        return root.file(path) != nil ? path : nil
    }

    /// Whether every visual mesh the original URDF names is present (without loading them: the run manifest's
    /// check, made even when nothing is rendered).
    public func robotMeshesPresent(_ urdfPath: String) throws -> Bool {
        try URDFModel.load(contentsOf: root.url.appendingPathComponent(urdfPath), forPhysics: false).links.allSatisfy { link in
            link.visuals.allSatisfy { v in
                guard case let .mesh(path, _) = v.geometry else { return true }
                return FileManager.default.fileExists(atPath: path)
            }
        }
    }

    /// Every link's visuals of the original URDF, each at its URDF visual origin (mesh scale applied), by link
    /// name; nil when a mesh it names is absent (the robot is then drawn procedurally as a whole).
    public func robotLinks(_ urdfPath: String) throws -> [String: VisualModel]? {
        guard try robotMeshesPresent(urdfPath) else { return nil }
        let urdf = try URDFModel.load(contentsOf: root.url.appendingPathComponent(urdfPath), forPhysics: false)
        var out: [String: VisualModel] = [:]
        for link in urdf.links {
            var parts: [(mesh: Mesh, material: Material, origin: Pose)] = []
            for v in link.visuals {
                if case let .mesh(path, scale) = v.geometry {
                    let s = Float3(Float(scale.x), Float(scale.y), Float(scale.z))
                    let groups = try Self.cached("\(path)@\(s)") {
                        try MeshFile.load(URL(fileURLWithPath: path)).map {
                            OBJLoader.Group(mesh: s == Float3(1, 1, 1) ? $0.mesh : $0.mesh.transformed(scale: s), material: $0.material)
                        }
                    }
                    parts += groups.map { ($0.mesh, $0.material, v.origin) }
                } else {
                    parts += try SceneVisuals.linkModel(v, rgba: nil, robot: urdfPath).parts
                }
            }
            out[link.name] = VisualModel(parts: parts)
        }
        return out
    }

    func load(_ path: String) throws -> [MeshFile.Group] {
        do { return try MeshFile.load(root.url.appendingPathComponent(path)) } catch {
            throw DataFileError(file: root.url.appendingPathComponent(path).path, field: "", message: "\(error)")
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var derived: [String: [MeshFile.Group]] = [:]

    /// Meshes derived from files (scaled, recoloured), built once per process.
    private static func cached(_ key: String, _ make: () throws -> [MeshFile.Group]) rethrows -> [MeshFile.Group] {
        lock.lock()
        if let g = derived[key] { lock.unlock(); return g }
        lock.unlock()
        let g = try make()
        lock.lock(); derived[key] = g; lock.unlock()
        return g
    }
}
