import Foundation
import VLMath

/// Collision geometry. Sizes are full extents (like URDF and SimplerEnv's bboxes), cylinders and capsules
/// are aligned with their local z axis (ODE's convention).
public enum Shape: Equatable, Sendable {
    case box(size: Vec3)
    case sphere(radius: Double)
    case cylinder(radius: Double, length: Double)
    /// Supported for completeness; avoid against boxes (one contact, rocks and pivots: ode-grasping.md §5).
    case capsule(radius: Double, length: Double)
    /// A convex hull (SimplerEnv's collision pieces). ODE collides it as a closed triangle mesh, which meets boxes
    /// and planes with a 4–16-point manifold, not as `dCreateConvex`, whose single contact against boxes lets
    /// objects wander and pivot in a grasp (ode-grasping.md §5, §7.6); a hull that is an axis-aligned box is a box.
    case convex(ConvexHull)
    /// A triangle mesh, for static props only (trimesh–trimesh contacts are unreliable: engineering-notes §2.7).
    case triangleMesh(vertices: [Vec3], triangles: [[Int]])
    /// The half-space below the plane n·x = d (static only).
    case plane(normal: Vec3, offset: Double)

    /// Volume in m³ (planes and triangle meshes: 0 — give those bodies an explicit mass).
    public var volume: Double {
        switch self {
        case .box(let s): return s.x * s.y * s.z
        case .sphere(let r): return 4.0 / 3.0 * .pi * r * r * r
        case .cylinder(let r, let l): return .pi * r * r * l
        case .capsule(let r, let l): return .pi * r * r * l + 4.0 / 3.0 * .pi * r * r * r
        case .convex(let h): return h.solid.volume
        case .triangleMesh, .plane: return 0
        }
    }
}

/// Surface properties of a geom. Friction combines by the average of the two coefficients (PhysX's default,
/// which SAPIEN inherits; simplerenv-tasks.md §1.1, ode-grasping.md §7), restitution is always 0.
public struct SurfaceMaterial: Hashable, Sendable {
    public var friction: Double
    public init(friction: Double) { self.friction = friction }
    /// SAPIEN's default for anything without an explicit material (simplerenv-tasks.md §1.1).
    public static let sapienDefault = SurfaceMaterial(friction: 1.0)

    public static func combinedFriction(_ a: SurfaceMaterial, _ b: SurfaceMaterial) -> Double {
        (a.friction + b.friction) / 2
    }
}

/// Mass and rotational inertia about the centre of mass, in a frame whose axes are the body frame's axes.
public struct MassProperties: Equatable, Sendable {
    public var mass: Double
    /// Centre of mass in the body (link) frame.
    public var centerOfMass: Vec3
    /// Inertia tensor about the centre of mass, link-frame axes.
    public var inertia: Mat3

    public init(mass: Double, centerOfMass: Vec3 = .zero, inertia: Mat3) {
        self.mass = mass; self.centerOfMass = centerOfMass; self.inertia = inertia
    }

    /// Solid shape of uniform density, centred at `offset` (rotation of the shape applied to its inertia).
    public static func solid(_ shape: Shape, mass: Double, offset: Pose = .identity) -> MassProperties {
        let i: Vec3
        switch shape {
        case .box(let s):
            i = Vec3(s.y * s.y + s.z * s.z, s.x * s.x + s.z * s.z, s.x * s.x + s.y * s.y) * (mass / 12)
        case .sphere(let r):
            i = Vec3(1, 1, 1) * (0.4 * mass * r * r)
        case .cylinder(let r, let l), .capsule(let r, let l):
            let t = mass * (3 * r * r + l * l) / 12
            i = Vec3(t, t, 0.5 * mass * r * r)
        case .convex(let h):
            let s = h.solid
            let r = offset.rotation
            return MassProperties(mass: mass, centerOfMass: offset.apply(s.centroid),
                                  inertia: r * s.unitInertia * (mass / s.volume) * r.transposed)
        case .triangleMesh(let v, _):
            // Bounding-box approximation: only used for props whose inertia hardly matters.
            let lo = v.reduce(Vec3(.infinity, .infinity, .infinity)) { Vec3(min($0.x, $1.x), min($0.y, $1.y), min($0.z, $1.z)) }
            let hi = v.reduce(-Vec3(.infinity, .infinity, .infinity)) { Vec3(max($0.x, $1.x), max($0.y, $1.y), max($0.z, $1.z)) }
            return solid(.box(size: hi - lo), mass: mass, offset: Pose(p: offset.apply((lo + hi) / 2), q: offset.q))
        case .plane:
            i = Vec3(1, 1, 1) * mass
        }
        let r = offset.rotation
        return MassProperties(mass: mass, centerOfMass: offset.p, inertia: r * Mat3.diagonal(i) * r.transposed)
    }

    /// Combines parts (parallel-axis theorem), e.g. links welded by fixed joints into one rigid body.
    public static func combine(_ parts: [MassProperties]) -> MassProperties {
        let m = parts.reduce(0) { $0 + $1.mass }
        guard m > 0 else { return MassProperties(mass: 0, inertia: .identity) }
        let c = parts.reduce(Vec3.zero) { $0 + $1.centerOfMass * $1.mass } / m
        var total = Mat3(rows: .zero, .zero, .zero)
        for p in parts {
            let d = p.centerOfMass - c
            let shift = (Mat3.identity * d.dot(d) + Mat3(rows: d * d.x, d * d.y, d * d.z) * -1) * p.mass
            total = total + p.inertia + shift
        }
        return MassProperties(mass: m, centerOfMass: c, inertia: total)
    }
}
