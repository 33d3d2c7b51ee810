import Foundation
import VLMath
@testable import Render

/// A small tabletop scene for the rasterizer's own tests: a table, two procedural objects on it, a few boxes
/// standing in for robot links, seen from above and in front. Render knows no simulator data; real episodes
/// are drawn through `Sim.SceneVisuals` and tested in SimTests.
struct TestScene {
    static let tableID: UInt32 = 1, carrotID: UInt32 = 2, plateID: UInt32 = 3, firstLinkID: UInt32 = 10
    /// Where the carrot's centre is (the table top is at z = 0.87).
    static let carrotCentre = Vec3(-0.235, -0.075, 0.8875)

    var scene: RenderScene
    var camera: PinholeCamera
    /// Segmentation ids an overlay keeps (the objects and the links, not the table).
    var keep: Set<UInt32>

    init() throws {
        let table = MeshInstance(mesh: Primitives.box(Float3(1.2, 1.6, 0.05)), pose: Pose(p: Vec3(-0.2, 0, 0.845)),
                                 material: Material(rgb: 0.55, 0.50, 0.45), segmentationID: Self.tableID)
        var instances = [table]
        instances += try VisualModel(VisualSpec(shape: "carrot", size: [0.115, 0.032, 0.038])).instances(at: Pose(p: Self.carrotCentre), segmentationID: Self.carrotID)
        instances += try VisualModel(VisualSpec(shape: "plate", size: [0.11, 0.11, 0.006])).instances(at: Pose(p: Vec3(-0.235, 0.075, 0.873)),
                                                                          segmentationID: Self.plateID)
        // An arm of three boxes beside the objects (out of the camera's line of sight to them).
        let links = [(Vec3(0.1, 0.25, 0.91), Float3(0.11, 0.1, 0.08)), (Vec3(0.1, 0.25, 1.0), Float3(0.05, 0.05, 0.12)),
                     (Vec3(0.0, 0.25, 1.06), Float3(0.2, 0.05, 0.05))]
        for (k, (p, size)) in links.enumerated() {
            instances.append(MeshInstance(mesh: Primitives.box(size), pose: Pose(p: p), material: Material(rgb: 0.3, 0.3, 0.32),
                                          segmentationID: Self.firstLinkID + UInt32(k)))
        }
        scene = RenderScene(instances: instances, lighting: Lighting(ambient: Vec3(0.3, 0.3, 0.3), directional: [
            DirectionalLight(direction: Vec3(0, 0, -1), intensity: 2.2), DirectionalLight(direction: Vec3(1, 1, -1), intensity: 0.7)]))
        camera = .lookAt(eye: Vec3(0.12, 0.12, 1.35), target: Vec3(-0.2, 0, 0.87), width: 640, height: 480, fx: 620, fy: 620)
        keep = Set([Self.carrotID, Self.plateID] + (0..<UInt32(links.count)).map { Self.firstLinkID + $0 })
    }
}
