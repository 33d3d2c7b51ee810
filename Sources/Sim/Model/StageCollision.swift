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

extension TaskAssets {
    /// The stage's static collision shapes: its primitive parts, except that with SimplerEnv's meshes each SimplerEnv
    /// actor the stage stands in for (`stage_models` of `scenes/simpler-visuals.json`: the sink) replaces the parts
    /// it names by one hull per piece of its `collision.obj`, with those parts' friction.
    func stageCollisionParts() throws -> [StageCollisionPart] {
        let owner = "stages/\(stage.name).json"
        let meshes = collisionMeshes, actors = meshes == nil ? [] : simplerModels?.stageModels[stage.name] ?? []
        let replaced = Set(actors.map(\.replaces))
        var out = try stage.parts.filter { !replaced.contains($0.name) }.map {
            StageCollisionPart(name: $0.name, shape: try ShapeFactory.shape($0.primitive, owner: owner),
                               pose: $0.primitive.pose ?? .identity, friction: $0.friction ?? SurfaceMaterial.sapienDefault.friction)
        }
        for actor in actors {
            let friction = stage.parts.first { $0.name == actor.replaces }?.friction ?? SurfaceMaterial.sapienDefault.friction
            out += try meshes?.pieces(actor.model).map {
                StageCollisionPart(name: actor.replaces, shape: .convex($0), pose: actor.pose, friction: friction)
            } ?? []
        }
        return out
    }
}
