import Foundation
import VLMath

/// The static description of a robot as read from a URDF file: links with mass properties and geometry,
/// joints with their frames, axes, limits and mimic relations. Geometry stays declarative (primitives or
/// mesh paths); turning it into physics or render objects is the job of the modules above.
public struct URDFModel: Sendable {
    public var name: String
    public var links: [URDFLink]
    public var joints: [URDFJoint]

    public init(name: String, links: [URDFLink], joints: [URDFJoint]) {
        self.name = name; self.links = links; self.joints = joints
    }

    /// Reads a URDF file; relative mesh filenames are resolved against the file's directory. `forPhysics: false`
    /// reads a robot only to draw it (SimplerEnv's own description, whose finger nails are massless): its
    /// `<inertial>` elements are skipped instead of checked.
    public static func load(contentsOf url: URL, forPhysics: Bool = true) throws -> URDFModel {
        try read(try bytes(contentsOf: url), contentsOf: url, forPhysics: forPhysics)
    }

    /// The file's bytes, or a `URDFError` naming it (what `load` reads; callers that keep parsed models key on them).
    /// An empty file is not read: Foundation's reader leaks its 4 KB buffer on one.
    public static func bytes(contentsOf url: URL) throws -> Data {
        if (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) == 0 { return Data() }
        do { return try Data(contentsOf: url) } catch {
            throw URDFError.unreadable(source: source(url), reason: error.localizedDescription)
        }
    }

    /// Parses `data`, the contents of the file at `url` (named in errors; relative mesh paths resolve against it).
    public static func read(_ data: Data, contentsOf url: URL, forPhysics: Bool = true) throws -> URDFModel {
        try URDFReader(source: source(url), meshBase: url.deletingLastPathComponent(), readsInertials: forPhysics).read(data)
    }

    private static func source(_ url: URL) -> String { url.isFileURL ? url.relativePath : url.absoluteString }

    /// Parses URDF text; `source` names it in errors. Mesh filenames are kept as written.
    public static func parse(_ data: Data, source: String) throws -> URDFModel {
        try URDFReader(source: source, meshBase: nil).read(data)
    }

    public func link(named name: String) -> URDFLink? { links.first { $0.name == name } }
    public func joint(named name: String) -> URDFJoint? { joints.first { $0.name == name } }

    /// The link that is no joint's child (validated unique when the model is read).
    public var rootLink: String {
        let children = Set(joints.map(\.child))
        return links.first { !children.contains($0.name) }?.name ?? links.first?.name ?? ""
    }

    /// Joints whose parent is `link`, in file order.
    public func childJoints(of link: String) -> [URDFJoint] { joints.filter { $0.parent == link } }
}

public struct URDFLink: Sendable {
    public var name: String
    public var inertial: URDFInertial?
    public var visuals: [URDFGeometryElement]
    public var collisions: [URDFGeometryElement]

    public init(name: String, inertial: URDFInertial? = nil, visuals: [URDFGeometryElement] = [],
                collisions: [URDFGeometryElement] = []) {
        self.name = name; self.inertial = inertial; self.visuals = visuals; self.collisions = collisions
    }
}

/// Mass properties; the inertia tensor is about the centre of mass, in the axes of `origin`.
public struct URDFInertial: Sendable {
    public var origin: Pose
    public var mass: Double
    public var ixx: Double, ixy: Double, ixz: Double, iyy: Double, iyz: Double, izz: Double

    public init(origin: Pose, mass: Double, ixx: Double, ixy: Double, ixz: Double, iyy: Double, iyz: Double,
                izz: Double) {
        self.origin = origin; self.mass = mass
        self.ixx = ixx; self.ixy = ixy; self.ixz = ixz; self.iyy = iyy; self.iyz = iyz; self.izz = izz
    }

    /// The inertia tensor as a symmetric matrix.
    public var tensor: Mat3 { Mat3(rows: Vec3(ixx, ixy, ixz), Vec3(ixy, iyy, iyz), Vec3(ixz, iyz, izz)) }
}

/// One `<visual>` or `<collision>` entry of a link.
public struct URDFGeometryElement: Sendable {
    public var name: String?
    public var origin: Pose
    public var geometry: URDFGeometry
    /// RGBA in [0, 1] from an inline `<material><color>` or a top-level material referenced by name.
    public var rgba: [Double]?

    public init(name: String? = nil, origin: Pose = .identity, geometry: URDFGeometry, rgba: [Double]? = nil) {
        self.name = name; self.origin = origin; self.geometry = geometry; self.rgba = rgba
    }
}

/// URDF shapes. Cylinders and capsules run along their local z axis; `length` excludes capsule caps.
public enum URDFGeometry: Sendable, Equatable {
    case box(size: Vec3)
    case cylinder(radius: Double, length: Double)
    case sphere(radius: Double)
    case capsule(radius: Double, length: Double)
    case mesh(path: String, scale: Vec3)
}

public enum URDFJointType: String, Sendable, CaseIterable {
    case revolute, continuous, prismatic, fixed

    /// Whether the joint has a degree of freedom.
    public var isMovable: Bool { self != .fixed }
}

public struct URDFJoint: Sendable {
    public var name: String
    public var type: URDFJointType
    public var parent: String
    public var child: String
    /// Child joint frame in the parent link frame at q = 0.
    public var origin: Pose
    /// Unit axis in the joint frame; (1, 0, 0) when the file gives none (URDF default).
    public var axis: Vec3
    public var limit: URDFJointLimit?
    public var mimic: URDFMimic?
    public var damping: Double
    public var friction: Double

    public init(name: String, type: URDFJointType, parent: String, child: String, origin: Pose = .identity,
                axis: Vec3 = .unitX, limit: URDFJointLimit? = nil, mimic: URDFMimic? = nil, damping: Double = 0,
                friction: Double = 0) {
        self.name = name; self.type = type; self.parent = parent; self.child = child; self.origin = origin
        self.axis = axis; self.limit = limit; self.mimic = mimic; self.damping = damping; self.friction = friction
    }

    /// Position of this joint's child frame relative to its origin frame for joint value `q`.
    public func motion(_ q: Double) -> Pose {
        switch type {
        case .fixed: return .identity
        case .prismatic: return Pose(p: axis * q)
        case .revolute, .continuous: return Pose(q: Quat(axis: axis, angle: q))
        }
    }
}

public struct URDFJointLimit: Sendable {
    public var lower: Double, upper: Double, effort: Double, velocity: Double
    public init(lower: Double, upper: Double, effort: Double, velocity: Double) {
        self.lower = lower; self.upper = upper; self.effort = effort; self.velocity = velocity
    }
}

/// `q_this = multiplier · q_joint + offset`.
public struct URDFMimic: Sendable {
    public var joint: String
    public var multiplier: Double
    public var offset: Double
    public init(joint: String, multiplier: Double = 1, offset: Double = 0) {
        self.joint = joint; self.multiplier = multiplier; self.offset = offset
    }
}

/// A URDF that cannot be used, with the file, element and attribute at fault.
public enum URDFError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read at all.
    case unreadable(source: String, reason: String)
    /// Not well-formed XML.
    case malformedXML(source: String, line: Int, reason: String)
    /// A required attribute is absent.
    case missingAttribute(source: String, element: String, attribute: String)
    /// An attribute holds a value that is not allowed.
    case invalidValue(source: String, element: String, attribute: String, value: String, expected: String)
    /// A required child element is absent.
    case missingElement(source: String, element: String, child: String)
    /// A model-level inconsistency (names, tree structure, mimic references).
    case invalidStructure(source: String, element: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(s, r): return "\(s): cannot read URDF: \(r)"
        case let .malformedXML(s, line, r): return "\(s):\(line): malformed XML: \(r)"
        case let .missingAttribute(s, e, a): return "\(s): \(e): missing attribute '\(a)'"
        case let .invalidValue(s, e, a, v, x):
            return "\(s): \(e): attribute '\(a)' has \(x.hasPrefix("one of") ? "unknown" : "invalid") value '\(v)'"
                + " (expected \(x))"
        case let .missingElement(s, e, c): return "\(s): \(e): missing child element <\(c)>"
        case let .invalidStructure(s, e, r): return "\(s): \(e): \(r)"
        }
    }
}
