import Foundation
import VLMath

/// A pinhole camera with OpenCV intrinsics. Pixel (i, j) has its centre at image coordinates (i, j), so
/// cx = 319.5 is the centre of a 640-wide image.
public struct PinholeCamera: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var fx: Double, fy: Double, cx: Double, cy: Double
    public var near: Double, far: Double
    /// World-from-camera pose, OpenCV axes: x right, y down, z forward.
    public var pose: Pose

    public init(width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double, near: Double, far: Double, pose: Pose) {
        self.width = width; self.height = height; self.fx = fx; self.fy = fy; self.cx = cx; self.cy = cy
        self.near = near; self.far = far; self.pose = pose
    }

    /// Rotation taking OpenCV camera axes to SAPIEN camera axes (x forward, y left, z up):
    /// x_cv = −y_sapien, y_cv = −z_sapien, z_cv = x_sapien (simplerenv-tasks.md §0 conventions).
    public static let sapienFromOpenCV = Quat(Mat3(columns: Vec3(0, -1, 0), Vec3(0, 0, -1), Vec3(1, 0, 0)))

    /// A camera mounted on a link: `mount` is the camera's pose in the link frame in SAPIEN convention.
    public init(width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double, near: Double, far: Double,
                parent: Pose, sapienMount mount: Pose) {
        let worldFromSapien = parent * mount
        self.init(width: width, height: height, fx: fx, fy: fy, cx: cx, cy: cy, near: near, far: far,
                  pose: worldFromSapien * Pose(q: Self.sapienFromOpenCV))
    }

    /// A camera at `eye` looking at `target` with world +z up (free viewer camera).
    public static func lookAt(eye: Vec3, target: Vec3, width: Int, height: Int, fx: Double, fy: Double,
                              near: Double = 0.01, far: Double = 10) -> PinholeCamera {
        let z = (target - eye).normalized
        var x = z.cross(Vec3(0, 0, 1))
        if x.norm < 1e-9 { x = Vec3(1, 0, 0) }
        x = x.normalized
        let y = z.cross(x)
        return PinholeCamera(width: width, height: height, fx: fx, fy: fy, cx: Double(width) / 2 - 0.5,
                             cy: Double(height) / 2 - 0.5, near: near, far: far,
                             pose: Pose(p: eye, q: Quat(Mat3(columns: x, y, z))))
    }

    /// Image coordinates (u right, v down) and depth (metres along the optical axis) of a world point, or nil
    /// when it is behind the camera.
    public func project(_ world: Vec3) -> (u: Double, v: Double, depth: Double)? {
        let c = pose.inverse.apply(world)
        guard c.z > 1e-12 else { return nil }
        return (fx * c.x / c.z + cx, fy * c.y / c.z + cy, c.z)
    }

    /// The same camera at another resolution (intrinsics scaled; pixel centres stay on the same rays).
    public func resized(width w: Int, height h: Int) -> PinholeCamera {
        let sx = Double(w) / Double(width), sy = Double(h) / Double(height)
        var c = self
        c.width = w; c.height = h; c.fx = fx * sx; c.fy = fy * sy
        c.cx = (cx + 0.5) * sx - 0.5; c.cy = (cy + 0.5) * sy - 0.5
        return c
    }
}
