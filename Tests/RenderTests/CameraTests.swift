import Foundation
import Testing
import VLMath
@testable import Render

@Suite struct CameraTests {
    let camera = SimplerCameras.widowx(base: DemoScenes.widowxBase)

    /// simplerenv-tasks.md §2.2: centre (0.147, 0.188, 1.230) and the table point check.
    @Test func widowxExtrinsicsMatchSpec() throws {
        #expect((camera.pose.p - Vec3(0.147, 0.188, 1.230)).norm < 1e-3)
        let r = camera.pose.rotation
        #expect((r.column(0) - Vec3(-0.4839, 0.8751, 0.0)).norm < 2e-3)
        #expect((r.column(1) - Vec3(0.6026, 0.3332, -0.7252)).norm < 2e-3)
        #expect((r.column(2) - Vec3(-0.6346, -0.3509, -0.6886)).norm < 2e-3)
        let px = try #require(camera.project(Vec3(-0.16, 0, 0.87)))
        #expect(abs(px.u - 300) < 1.5 && abs(px.v - 256) < 1.5)
    }

    @Test func sinkCameraCentreMatchesSpec() {
        let sink = SimplerCameras.widowx(base: Pose(p: Vec3(0.127, 0.060, 0.850), q: Quat(w: 0, x: 0, y: 0, z: 1)), sink: true)
        #expect((sink.pose.p - Vec3(0.130, 0.270, 1.240)).norm < 1e-3)
        #expect((sink.pose.rotation.column(2) - Vec3(-0.6587, -0.2964, -0.6916)).norm < 2e-3)
    }

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

    /// §3.2: the head camera from link_camera (walked from §6.2's joint table at the §3.1 head qpos) on the
    /// pick-coke-can base pose gives the spec's derived world centre and OpenCV axes.
    @Test func googleHeadCameraMatchesSpec() {
        let base = Pose(p: Vec3(0.35, 0.20, 0.07905), q: Quat(w: 0, x: 0, y: 0, z: 1))
        let pan = -0.00285961, tilt = 0.7851361
        let link = base * Pose(p: Vec3(0, 0, 1.16902), q: Quat(axis: Vec3(0, 0, 1), angle: pan))
            * Pose(p: Vec3(0.07181, 0, 0.11848), q: Quat(axis: Vec3(0, 1, 0), angle: tilt))
            * Pose(p: Vec3(0.10488, 0, 0), q: Quat(roll: -.pi / 2, pitch: 0, yaw: -.pi / 2))
        let cam = SimplerCameras.google(linkCamera: link)
        #expect((cam.pose.p - Vec3(0.204, 0.200, 1.292)).norm < 2e-3)
        let r = cam.pose.rotation
        #expect((r.column(0) - Vec3(0.0029, 1.0, 0.0)).norm < 3e-3)
        #expect((r.column(1) - Vec3(0.7069, -0.002, -0.7073)).norm < 3e-3)
        #expect((r.column(2) - Vec3(-0.7073, 0.002, -0.7069)).norm < 3e-3)
    }
}
