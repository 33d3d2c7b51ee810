import Foundation
import Testing
import VLMath
@testable import Render

@Suite struct CameraTests {
    let camera = PinholeCamera.lookAt(eye: Vec3(0.15, 0.19, 1.23), target: Vec3(-0.2, 0, 0.87), width: 640, height: 480,
                                      fx: 620, fy: 620)

    /// A small bright cube's rendered centroid lands where `project` puts its centre.
    @Test func renderedCentroidMatchesProjection() throws {
        let target = Vec3(-0.2, 0.05, 0.9)
        let scene = RenderScene(instances: [MeshInstance(mesh: Primitives.box(Float3(0.01, 0.01, 0.01)), pose: Pose(p: target),
                                                         material: Material(rgb: 1, 1, 1), segmentationID: 5)])
        let out = Rasterizer().render(scene, camera: camera, outputs: .segmentation)
        let seg = try #require(out.segmentation)
        var sx = 0.0, sy = 0.0, n = 0.0
        for y in 0..<seg.height { for x in 0..<seg.width where seg[x, y] == 5 { sx += Double(x); sy += Double(y); n += 1 } }
        let px = try #require(camera.project(target))
        #expect(n > 20)
        #expect(abs(sx / n - px.u) < 0.75 && abs(sy / n - px.v) < 0.75)
    }

    @Test func resizedCameraKeepsRays() throws {
        let small = camera.resized(width: 224, height: 168)
        let p = Vec3(-0.3, 0.1, 0.88)
        let a = try #require(camera.project(p)), b = try #require(small.project(p))
        #expect(abs((a.u + 0.5) * 224 / 640 - 0.5 - b.u) < 1e-9)
        #expect(abs((a.v + 0.5) * 168 / 480 - 0.5 - b.v) < 1e-9)
    }
}
