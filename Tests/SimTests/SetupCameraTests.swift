import Foundation
import Render
import Testing
import TestSupport
import VLMath
@testable import Sim

/// The SimplerEnv cameras as the set-ups in scenes/setups describe them (mount, intrinsics), posed on the
/// simulated robot at reset: the spec's derived world poses. Public source of the mounts and intrinsics:
/// ManiSkill2_real2sim `mani_skill2_real2sim/agents/configs/widowx/defaults.py` (`3rd_view_camera`, flat-table and
/// sink set-ups) and `agents/configs/google_robot/defaults.py` (`overhead_camera` on `link_camera`).
@Suite(.serialized) struct SetupCameraTests {
    func camera(task: String, name: String) throws -> PinholeCamera {
        try TestSupport.withODE {
            try Episode(assets: try TaskAssets(task: task, root: SettleTests.root), index: 0).camera(name)
        }
    }

    /// simplerenv-tasks.md §2.2: the flat-table 3rd-view camera's centre and axes, and the table point check.
    @Test func widowxExtrinsicsMatchSpec() throws {
        let camera = try camera(task: "widowx_carrot_on_plate", name: "3rd_view_camera")
        #expect(camera.width == 640 && camera.height == 480 && camera.fx == 623.588 && camera.cx == 319.501)
        #expect((camera.pose.p - Vec3(0.147, 0.188, 1.230)).norm < 1e-3)
        let r = camera.pose.rotation
        #expect((r.column(0) - Vec3(-0.4839, 0.8751, 0.0)).norm < 2e-3)
        #expect((r.column(1) - Vec3(0.6026, 0.3332, -0.7252)).norm < 2e-3)
        #expect((r.column(2) - Vec3(-0.6346, -0.3509, -0.6886)).norm < 2e-3)
        let px = try #require(camera.project(Vec3(-0.16, 0, 0.87)))
        #expect(abs(px.u - 300) < 1.5 && abs(px.v - 256) < 1.5)
    }

    /// §2.2: the sink set-up's camera centre and optical axis.
    @Test func sinkCameraCentreMatchesSpec() throws {
        let sink = try camera(task: "widowx_put_eggplant_in_basket", name: "3rd_view_camera")
        #expect((sink.pose.p - Vec3(0.130, 0.270, 1.240)).norm < 1e-3)
        #expect((sink.pose.rotation.column(2) - Vec3(-0.6587, -0.2964, -0.6916)).norm < 2e-3)
    }

    /// §3.2: the head camera on link_camera at the §3.1 head qpos on the pick-coke-can base pose gives the spec's
    /// derived world centre and OpenCV axes.
    @Test func googleHeadCameraMatchesSpec() throws {
        let cam = try camera(task: "google_pick_coke_can_horizontal", name: "overhead_camera")
        #expect(cam.width == 640 && cam.height == 512 && cam.fx == 425 && cam.cx == 320 && cam.cy == 256)
        #expect((cam.pose.p - Vec3(0.204, 0.200, 1.292)).norm < 2e-3)
        let r = cam.pose.rotation
        #expect((r.column(0) - Vec3(0.0029, 1.0, 0.0)).norm < 3e-3)
        #expect((r.column(1) - Vec3(0.7069, -0.002, -0.7073)).norm < 3e-3)
        #expect((r.column(2) - Vec3(-0.7073, 0.002, -0.7069)).norm < 3e-3)
    }
}
