import Foundation
import ImageIO
import Render
import Testing
import TestSupport
import VLMath
@testable import Sim

/// Camera images of real episodes: the §2.2 camera, segmentation ids per actor, and rendering never touching physics.
@Suite(.serialized) struct EpisodeRenderingTests {
    @Test func tableCheckPointAndActorIDs() throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: "widowx_carrot_on_plate", root: SettleTests.root)
            let ep = try Episode(assets: assets, index: 18)  // carrot (−0.085, 0.075), plate (−0.235, −0.075)
            let camera = try ep.camera("3rd_view_camera")
            // simplerenv-tasks.md §2.2: the table point (−0.16, 0, 0.87) projects to ≈ (300, 256).
            let uv = try #require(camera.project(Vec3(-0.16, 0, 0.87)))
            #expect(abs(uv.u - 300) < 1.5 && abs(uv.v - 256) < 1.5, "projected to \(uv)")
            let renderer = try ObservationRenderer(assets: assets, overlayPhoto: nil)
            let out = try renderer.render(ep, camera: "3rd_view_camera", outputs: .all)
            let seg = try #require(out.segmentation)
            func id(at world: Vec3) -> UInt32? {
                guard let p = camera.project(world) else { return nil }
                let u = Int(p.u.rounded()), v = Int(p.v.rounded())
                guard u >= 0, v >= 0, u < seg.width, v < seg.height else { return nil }
                return seg.ids[v * seg.width + u]
            }
            let names = renderer.visuals.actorNames
            func name(at world: Vec3) -> String? { id(at: world).flatMap { names[$0] } }
            #expect(name(at: ep.objectPose("target")!.p + Vec3(0, 0, 0.003)) == "object:target")
            #expect(name(at: ep.objectPose("source")!.p + Vec3(0, 0, 0.019)) == "object:source")
            #expect(name(at: Vec3(-0.16, 0, 0.87)) == "prop:table")
            #expect(name(at: ep.linkPose("left_finger_link")!.apply(Vec3(0.0155, -0.003, 0))) == "robot:left_finger_link")
            // Depth at the plate centre is its distance along the optical axis.
            let plate = camera.project(ep.objectPose("target")!.p + Vec3(0, 0, 0.003))!
            let d = out.depth!.values[Int(plate.v.rounded()) * seg.width + Int(plate.u.rounded())]
            #expect(abs(Double(d) - plate.depth) < 0.005)
            // Same scene, same bytes.
            #expect(try renderer.render(ep, camera: "3rd_view_camera").rgb == out.rgb)
        }
    }

    /// Rendering every step (with the overlay) leaves the physics bit-for-bit unchanged.
    @Test func renderingDoesNotChangePhysics() throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: "widowx_stack_cube", root: SettleTests.root)
            let photo = RGBImage(width: 64, height: 48, fill: (90, 120, 150))
            let renderer = try ObservationRenderer(assets: assets, overlayPhoto: photo)
            let spec = ObservationSpec(cameras: [CameraRequest(camera: "3rd_view_camera", width: 64, height: 64)])
            var finals: [[Double]] = []
            for render in [false, true] {
                let ep = try Episode(assets: assets, index: 4)
                for k in 0..<8 {
                    if render {
                        let img = try renderer.images(ep, spec: spec).rgb["3rd_view_camera"]!
                        #expect(img.width == 64 && img.height == 64)
                    }
                    try ep.apply([0.01 * Double(k % 3), -0.01, -0.02, 0, 0, 0.05, k < 4 ? 1 : -1])
                }
                finals.append(["source", "target"].flatMap { ep.objectPose($0)!.p.array + ep.objectPose($0)!.q.array }
                              + ep.jointPositions.sorted { $0.key < $1.key }.map(\.value))
            }
            #expect(finals[0] == finals[1])
        }
    }
}
