import Foundation
import VLMath

/// How a body or link looks, as task data files write it, e.g.
/// `{"shape": "carrot", "size": [0.115, 0.032, 0.038], "color": [1.0, 0.45, 0.1]}`.
///
/// - `shape`: `box`, `cylinder`, `sphere`, `capsule`, `mesh`, or a named object (`ProceduralObjects.names`).
/// - `size`: full extents (x, y, z) in the body frame; the geometry is scaled to exactly this box. Required for
///   the primitives and named objects, optional for meshes (file units otherwise).
/// - `axis`: long axis of a cylinder or capsule (`x`, `y`, `z`; default `z` as in URDF).
/// - `color`: RGB or RGBA 0…1 (alpha ignored): the main colour.
/// - `variant`: e.g. the can brand (`coke`, `pepsi`, `7up`, `sprite`, `fanta`, `redbull`).
/// - `mesh`: OBJ path, relative to the assets directory. `origin`: visual pose in the body frame.
/// - `texture`: a procedural pattern (`TextureSpec`) instead of `color`, for the primitives.
public struct VisualSpec: Codable, Equatable, Sendable {
    public var shape: String
    public var size: [Double]?
    public var axis: String?
    public var color: [Double]?
    public var variant: String?
    public var mesh: String?
    public var origin: Pose?
    public var texture: TextureSpec?

    public init(shape: String, size: [Double]? = nil, axis: String? = nil, color: [Double]? = nil,
                variant: String? = nil, mesh: String? = nil, origin: Pose? = nil, texture: TextureSpec? = nil) {
        self.shape = shape; self.size = size; self.axis = axis; self.color = color
        self.variant = variant; self.mesh = mesh; self.origin = origin; self.texture = texture
    }

    // URDF `<visual>` primitives: box size, cylinder radius + length along z, sphere radius; `rgba` from `<color>`.
    public static func urdfBox(size: Vec3, rgba: [Double], origin: Pose = .identity) -> VisualSpec {
        VisualSpec(shape: "box", size: [size.x, size.y, size.z], color: rgba, origin: origin)
    }
    public static func urdfCylinder(radius: Double, length: Double, rgba: [Double], origin: Pose = .identity) -> VisualSpec {
        VisualSpec(shape: "cylinder", size: [2 * radius, 2 * radius, length], axis: "z", color: rgba, origin: origin)
    }
    public static func urdfSphere(radius: Double, rgba: [Double], origin: Pose = .identity) -> VisualSpec {
        VisualSpec(shape: "sphere", size: [2 * radius, 2 * radius, 2 * radius], color: rgba, origin: origin)
    }
}

public enum VisualSpecError: Error, CustomStringConvertible {
    case unknownShape(String)
    case missingField(field: String, shape: String)
    case badField(field: String, value: String, expected: String)
    public var description: String {
        switch self {
        case let .unknownShape(s):
            return "visual: unknown shape \"\(s)\" (expected box, cylinder, sphere, capsule, mesh, "
                + ProceduralObjects.names.joined(separator: ", ") + ")"
        case let .missingField(f, s): return "visual: shape \"\(s)\" needs field \"\(f)\""
        case let .badField(f, v, e): return "visual: field \"\(f)\" = \(v): expected \(e)"
        }
    }
}

/// A body's visual geometry, built once, instanced every frame at the body's pose.
public struct VisualModel: Sendable {
    public var parts: [(mesh: Mesh, material: Material, origin: Pose)]

    public init(parts: [(mesh: Mesh, material: Material, origin: Pose)]) { self.parts = parts }

    /// Builds the geometry; `assets` resolves relative `mesh` paths.
    public init(_ spec: VisualSpec, assets: URL? = nil) throws {
        let size = try spec.size.map { s -> Float3 in
            guard s.count == 3, s.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw VisualSpecError.badField(field: "size", value: "\(s)", expected: "three positive extents in metres")
            }
            return Float3(Float(s[0]), Float(s[1]), Float(s[2]))
        }
        let color = try spec.color.map { c -> Float3 in
            guard (3...4).contains(c.count), c.allSatisfy({ (0...1).contains($0) }) else {
                throw VisualSpecError.badField(field: "color", value: "\(c)", expected: "RGB or RGBA in 0…1")
            }
            return Float3(Float(c[0]), Float(c[1]), Float(c[2]))
        }
        var material = Material(rgb: 0.6, 0.6, 0.6)
        if let color { material.baseColor = color }
        let origin = spec.origin ?? .identity
        func need(_ s: Float3?) throws -> Float3 {
            guard let s else { throw VisualSpecError.missingField(field: "size", shape: spec.shape) }
            return s
        }
        func along(_ m: Mesh) throws -> Mesh {
            guard let q = Primitives.axisRotation(spec.axis ?? "z") else {
                throw VisualSpecError.badField(field: "axis", value: spec.axis ?? "", expected: "x, y or z")
            }
            return m.transformed(pose: Pose(q: q))
        }
        if let texture = spec.texture {
            guard ["box", "cylinder", "capsule", "sphere"].contains(spec.shape), spec.color == nil else {
                throw VisualSpecError.badField(field: "texture", value: "on \(spec.shape)\(spec.color == nil ? "" : " with a color")",
                                               expected: "a box, cylinder, capsule or sphere without \"color\"")
            }
            material.baseColor = Float3(1, 1, 1)
            material.texture = Texture(try texture.image())
        }
        switch spec.shape {
        case "box": parts = [(Primitives.box(try need(size)), material, origin)]
        case "cylinder": parts = [(try along(Primitives.cylinder(radius: 1, length: 2)).fitted(to: try need(size)), material, origin)]
        case "capsule":
            let s = try need(size), ax = spec.axis ?? "z"
            let long = ax == "x" ? s.x : (ax == "y" ? s.y : s.z), thick = max(s.x, s.y, s.z) == long ? min(s.x, s.y, s.z) : long
            parts = [(try along(Primitives.capsule(radius: 1, length: max(2, 2 * long / thick))).fitted(to: s), material, origin)]
        case "sphere": parts = [(Primitives.sphere(radius: 1).fitted(to: try need(size)), material, origin)]
        case "mesh":
            guard let path = spec.mesh else { throw VisualSpecError.missingField(field: "mesh", shape: "mesh") }
            let url = path.hasPrefix("/") || assets == nil ? URL(fileURLWithPath: path) : assets!.appendingPathComponent(path)
            let groups = try OBJLoader.load(url)
            // Fit the whole model (all material groups together) to `size` when given.
            var all = groups.map(\.mesh)
            if let size {
                let merged = Mesh.merged(all), (lo, hi) = merged.bounds
                let k = size / pointwiseMax(hi - lo, Float3(repeating: 1e-9)), c = (lo + hi) / 2
                all = all.map { $0.transformed(pose: Pose(p: Vec3(Double(-c.x * k.x), Double(-c.y * k.y), Double(-c.z * k.z))), scale: k) }
            }
            parts = zip(all, groups).map { m, g in
                var mat = g.material
                if let color { mat.baseColor = color }
                return (m, mat, origin)
            }
        default:
            guard ProceduralObjects.names.contains(spec.shape) else { throw VisualSpecError.unknownShape(spec.shape) }
            let (mesh, mat) = try ProceduralObjects.make(spec.shape, size: try need(size), variant: spec.variant, color: color)
            parts = [(mesh, mat, origin)]
        }
        if let tile = spec.texture?.tile { parts = parts.map { ($0.mesh.planarUVs(tile: Float(tile)), $0.material, $0.origin) } }
    }

    /// The drawables for a body at world pose `pose`.
    public func instances(at pose: Pose, segmentationID: UInt32, visible: Bool = true) -> [MeshInstance] {
        parts.map { MeshInstance(mesh: $0.mesh, pose: pose * $0.origin, material: $0.material, segmentationID: segmentationID, visible: visible) }
    }
}
