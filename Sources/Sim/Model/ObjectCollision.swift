import Foundation
import Physics
import VLMath

/// Where an episode's collision shapes came from: SimplerEnv's own collision meshes, or the box/cylinder stand-ins of
/// `scenes/objects/` used when the asset copy is absent (those runs are not comparable with SimplerEnv's).
public enum CollisionSource: String, Sendable, Codable {
    case simplerMeshes = "simpler-meshes"
    case primitives
}

/// The collision body of one object model: its pieces in the model (SimplerEnv actor) frame and its mass.
struct ObjectCollision {
    var pieces: [(shape: Shape, pose: Pose)]
    /// Mass, centre of mass in the model frame, inertia about it.
    var mass: MassProperties
    /// Bounds of the pieces in the model frame: what a gripper meets (the expert plans against this box).
    var lo: Vec3
    var hi: Vec3
    var source: CollisionSource

    var boundsCenter: Vec3 { (lo + hi) / 2 }
    var halfExtents: Vec3 { (hi - lo) / 2 }

    /// SimplerEnv's shapes: one hull per connected part of each `o` block of SimplerEnv model `id`'s `collision.obj`,
    /// weighing density × volume (the object file's density is the one the env uses, e.g. move near's toy fruit,
    /// SimplerEnv's apple and orange meshes, at 200).
    static func simpler(_ model: ObjectModel, as id: String, meshes: SimplerCollisionAssets) throws -> ObjectCollision {
        let hulls = try meshes.pieces(id)
        let density = model.density ?? meshes.densityAndScale(id).density
        let parts = hulls.map { h -> MassProperties in
            let s = h.solid
            return MassProperties.solid(.convex(h), mass: density * s.volume)
        }
        let bounds = hulls.map(\.bounds)
        return ObjectCollision(pieces: hulls.map { (.convex($0), .identity) }, mass: .combine(parts),
                               lo: bounds.map(\.lo).reduce(bounds[0].lo, Self.minimum),
                               hi: bounds.map(\.hi).reduce(bounds[0].hi, Self.maximum), source: .simplerMeshes)
    }

    /// The object file's primitives, its total mass spread over them by volume (centred on the model origin).
    static func primitives(_ model: ObjectModel) throws -> ObjectCollision {
        let owner = "objects/\(model.id).json"
        let shapes = try model.collision.map { (shape: try ShapeFactory.shape($0, owner: owner), pose: $0.pose ?? .identity) }
        let volume = shapes.reduce(0) { $0 + $1.shape.volume }
        let parts = shapes.map { MassProperties.solid($0.shape, mass: model.mass * $0.shape.volume / max(volume, 1e-12), offset: $0.pose) }
        let h = model.collisionHalfExtents
        return ObjectCollision(pieces: shapes, mass: .combine(parts), lo: -h, hi: h, source: .primitives)
    }

    static func minimum(_ a: Vec3, _ b: Vec3) -> Vec3 { Vec3(min(a.x, b.x), min(a.y, b.y), min(a.z, b.z)) }
    static func maximum(_ a: Vec3, _ b: Vec3) -> Vec3 { Vec3(max(a.x, b.x), max(a.y, b.y), max(a.z, b.z)) }
}
