import Foundation
import Physics
import VLMath

/// One static collision shape of a stage, in the world frame.
struct StageCollisionPart {
    var name: String
    var shape: Shape
    var pose: Pose
    var friction: Double
}

extension StageDefinition {
    /// The stage's static collision shapes: its primitive parts, except that with SimplerEnv's meshes each mesh prop
    /// (the sink) replaces the parts bearing its name by one hull per `o` block of its `collision.obj`.
    func collisionParts(meshes: SimplerCollisionAssets?) throws -> [StageCollisionPart] {
        let owner = "stages/\(name).json"
        let replaced = Set(meshes == nil ? [] : (meshProps ?? []).map(\.name))
        var out = try parts.filter { !replaced.contains($0.name) }.map {
            StageCollisionPart(name: $0.name, shape: try ShapeFactory.shape($0.primitive, owner: owner),
                               pose: $0.primitive.pose ?? .identity, friction: $0.friction ?? SurfaceMaterial.sapienDefault.friction)
        }
        if let meshes {
            for prop in meshProps ?? [] {
                out += try meshes.pieces(prop.model).map {
                    StageCollisionPart(name: prop.name, shape: .convex($0), pose: prop.pose,
                                       friction: prop.friction ?? SurfaceMaterial.sapienDefault.friction)
                }
            }
        }
        return out
    }
}
