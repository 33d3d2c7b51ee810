import Foundation
import ImageIO
import Testing
import TestSupport
import VLMath
@testable import Render

@Suite struct RasterizerTests {
    @Test func segmentationIDsMatchInstances() throws {
        let demo = try TestScene()
        let out = Rasterizer().render(demo.scene, camera: demo.camera)
        let seg = try #require(out.segmentation), depth = try #require(out.depth)
        let seen = Set(seg.ids)
        // Every visible id comes from an instance, and the carrot, plate, table and most robot links appear.
        let instanceIDs = Set(demo.scene.instances.map(\.segmentationID))
        #expect(seen.isSubset(of: instanceIDs.union([0])))
        #expect(seen.isSuperset(of: [TestScene.tableID, TestScene.carrotID, TestScene.plateID]))
        // The carrot's pixels sit around its projected centre, with depth equal to the camera distance ± size.
        let c = try #require(demo.camera.project(TestScene.carrotCentre))
        #expect(seg[Int(c.u.rounded()), Int(c.v.rounded())] == TestScene.carrotID)
        #expect(abs(Double(depth[Int(c.u.rounded()), Int(c.v.rounded())]) - c.depth) < 0.02)
        // Pixels with id 0 have depth 0, others a positive depth within near/far.
        for i in 0..<seg.ids.count { #expect((seg.ids[i] == 0) == (depth.values[i] == 0)) }
    }

    @Test func deterministicBytes() throws {
        let demo = try TestScene()
        let a = Rasterizer().render(demo.scene, camera: demo.camera)
        let r = Rasterizer()
        _ = r.render(RenderScene(), camera: demo.camera)  // reused buffers must not leak into the next frame
        let b = r.render(demo.scene, camera: demo.camera)
        #expect(a.rgb == b.rgb && a.depth == b.depth && a.segmentation == b.segmentation)
    }

    /// Occlusion: a nearer box hides a farther one; near-plane clipping keeps a box straddling the camera.
    @Test func zBufferAndNearClipping() throws {
        let cam = PinholeCamera.lookAt(eye: Vec3(0, 0, 1), target: .zero, width: 64, height: 64, fx: 50, fy: 50, near: 0.1)
        let far = MeshInstance(mesh: Primitives.box(Float3(0.4, 0.4, 0.1)), material: Material(rgb: 1, 0, 0), segmentationID: 1)
        let nearBox = MeshInstance(mesh: Primitives.box(Float3(0.1, 0.1, 0.1)), pose: Pose(p: Vec3(0, 0, 0.3)),
                                   material: Material(rgb: 0, 1, 0), segmentationID: 2)
        let straddling = MeshInstance(mesh: Primitives.box(Float3(0.05, 0.05, 0.5)), pose: Pose(p: Vec3(0.15, 0.15, 1)),
                                      material: Material(rgb: 0, 0, 1), segmentationID: 3)
        let out = Rasterizer(samplesPerAxis: 1).render(RenderScene(instances: [nearBox, far, straddling]), camera: cam)
        let seg = try #require(out.segmentation)
        #expect(seg[32, 32] == 2)
        #expect(seg[32 + 8, 32] == 1)
        #expect(seg.ids.contains(3))
        #expect(abs(try #require(out.depth)[32, 32] - 0.65) < 1e-3)
    }

    @Test func texturesAreSampled() throws {
        let cam = PinholeCamera.lookAt(eye: Vec3(0, 0, 1), target: .zero, width: 80, height: 80, fx: 80, fy: 80)
        let towel = try VisualModel(VisualSpec(shape: "towel", size: [0.8, 0.8, 0.01]))
        var m = towel.parts[0].material
        m.unlit = true
        let out = Rasterizer().render(RenderScene(instances: [MeshInstance(mesh: towel.parts[0].mesh, material: m, segmentationID: 1)]),
                                      camera: cam, outputs: .rgb)
        let rgb = try #require(out.rgb)
        let colours = Set(stride(from: 0, to: rgb.pixels.count, by: 3).map { rgb.pixels[$0 + 2] })
        #expect(colours.contains { $0 > 230 } && colours.contains { $0 < 175 && $0 > 140 })  // white and dark-blue cells
    }
}
