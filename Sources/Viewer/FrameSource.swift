import Foundation
import ImageIO
import Render
import VLMath

/// Which camera the viewer shows.
public enum ViewerCameraMode: Sendable { case policy, free }
/// What the viewer shows from that camera.
public enum ViewerViewMode: Sendable { case rgb, segmentation, depth }

/// One frame request from the window.
public struct ViewerRequest: Sendable {
    public var cameraMode: ViewerCameraMode
    public var viewMode: ViewerViewMode
    /// Composite the real photo (§1.4); only meaningful for the policy camera.
    public var overlay: Bool
    /// The orbit camera, at the window's size.
    public var freeCamera: PinholeCamera
}

/// What the viewer needs from a simulation (the lead's episode runner) or a static scene.
public protocol ViewerFrameSource: AnyObject {
    /// The policy camera; the free camera starts orbiting the point it looks at.
    var policyCamera: PinholeCamera { get }
    /// The image to show. Must be deterministic for a given simulation state (the Xvfb test compares bytes).
    func frame(_ request: ViewerRequest) -> RGBImage
    /// Advances one control step (called every frame while playing, and by `n` while paused).
    func step()
    /// Restarts the episode (`r`).
    func reset()
    /// A status line (the window title): what the source shows and how it is going.
    var hud: String { get }
}

/// Renders a `RenderScene` for any request: the shared path from scene to viewer pixels.
public final class SceneViewRenderer {
    let rasterizer = Rasterizer()
    public init() {}

    public func frame(scene: RenderScene, policyCamera: PinholeCamera, overlay: OverlayCompositor?, request: ViewerRequest) -> RGBImage {
        let camera = request.cameraMode == .policy ? policyCamera : request.freeCamera
        let useOverlay = request.overlay && request.cameraMode == .policy && request.viewMode == .rgb
        switch request.viewMode {
        case .rgb:
            return rasterizer.render(scene, camera: camera, outputs: .rgb, overlay: useOverlay ? overlay : nil).rgb!
        case .segmentation:
            return rasterizer.render(scene, camera: camera, outputs: .segmentation).segmentation!.visualized()
        case .depth:
            return rasterizer.render(scene, camera: camera, outputs: .depth).depth!.visualized()
        }
    }
}

/// Orbit camera state: yaw/pitch about a target point, distance by scroll.
struct OrbitCamera {
    var target: Vec3
    var yaw: Double, pitch: Double, distance: Double

    init(looking camera: PinholeCamera) {
        // Orbit the point 0.5 m ahead of the policy camera, starting from the policy camera's position.
        let forward = camera.pose.rotation.column(2)
        target = camera.pose.p + forward * 0.5
        let back = camera.pose.p - target
        distance = back.norm
        yaw = atan2(back.y, back.x); pitch = asin(back.z / distance)
    }

    mutating func drag(dx: Double, dy: Double) {
        yaw -= dx * 0.01
        pitch = (pitch + dy * 0.01).clamped(-1.5, 1.5)
    }
    mutating func zoom(_ steps: Double) { distance = (distance * pow(0.9, steps)).clamped(0.05, 20) }

    func camera(width: Int, height: Int, like policy: PinholeCamera) -> PinholeCamera {
        let eye = target + Vec3(cos(pitch) * cos(yaw), cos(pitch) * sin(yaw), sin(pitch)) * distance
        let scale = Double(width) / Double(policy.width)
        return .lookAt(eye: eye, target: target, width: width, height: height, fx: policy.fx * scale, fy: policy.fy * scale)
    }
}
