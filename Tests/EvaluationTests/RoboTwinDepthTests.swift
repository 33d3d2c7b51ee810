import Foundation
import Policies
import PolicyTransport
import Render
import Sim
import Testing
import TestSupport
import VLMath

/// Depth and segmentation on request (RoboTwin's cameras return them when enabled): a preset image with
/// `depth_key` / `segmentation_key` gets the same view's depth (float32 metres) and ids (int32), at its size.
@Suite struct RoboTwinDepthTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    @Test func theHeadCameraSeesTheTableAtItsDepthAndAResizeKeepsSamples() throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "click_bell", root: Self.root), index: 0)
            let renderer = try ObservationRenderer(assets: ep.assets, overlayPhoto: nil, objects: ep.objectModels)
            let full = try renderer.images(ep, spec: ObservationSpec(cameras: [
                CameraRequest(camera: "head_camera", width: 320, height: 240, depth: true, segmentation: true)]))
            let depth = try #require(full.depth["head_camera"]), seg = try #require(full.segmentation["head_camera"])
            #expect(depth.width == 320 && depth.height == 240 && seg.width == 320)
            // RoboTwin's head camera at (−0.032, −0.45, 1.35) looking along (0, 0.6, −0.8): its axis meets the table
            // top (z 0.74) 0.7625 m away; in this scene the bell stands clear of that ray.
            let centre = depth[160, 120]
            #expect(abs(centre - 0.7625) < 0.005, "centre depth \(centre)")
            #expect(Set(seg.ids).count >= 3, "table, wall and bell at least")
            let half = try renderer.images(ep, spec: ObservationSpec(cameras: [
                CameraRequest(camera: "head_camera", width: 160, height: 120, depth: true)]))
            let small = try #require(half.depth["head_camera"])
            for (x, y) in [(0, 0), (80, 60), (159, 119), (37, 91)] { #expect(small[x, y] == depth[2 * x, 2 * y]) }
            #expect(half.segmentation["head_camera"] == nil)
        }
    }

    @Test func aPresetSendsDepthAndIdsBesideTheImage() throws {
        let dir = try TestSupport.makeTempDir()
        let preset = dir.appendingPathComponent("depth.json")
        try #"{"images": [{"key": "head", "camera": "head_camera", "width": 320, "height": 240, "depth_key": "head_depth", "segmentation_key": "head_seg"}], "action_dim": 14}"#
            .write(to: preset, atomically: true, encoding: .utf8)
        let config = try RemotePolicyConfiguration.load(preset.path, scenesRoot: Self.root)
        let mapping = RemoteObservationMapping(config)
        #expect(mapping.cameraRequests == [CameraRequest(camera: "head_camera", width: 320, height: 240, depth: true, segmentation: true)])
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "click_bell", root: Self.root), index: 0)
            let renderer = try ObservationRenderer(assets: ep.assets, overlayPhoto: nil, objects: ep.objectModels)
            let spec = ObservationSpec(cameras: mapping.cameraRequests)
            let request = try mapping.request(ep.observe(spec, instruction: "", views: renderer.images(ep, spec: spec)), episode: nil)
            guard case .ndarray(let d)? = request["head_depth"], case .ndarray(let s)? = request["head_seg"],
                  case .ndarray(let rgb)? = request["head"] else {
                Issue.record("missing arrays in \(request)"); return
            }
            #expect(rgb.shape == [240, 320, 3] && d.shape == [240, 320] && s.shape == [240, 320])
            #expect(d.dtype == .float32 && s.dtype == .int32)
        }
    }
}
