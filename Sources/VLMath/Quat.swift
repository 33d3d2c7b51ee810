import Foundation

/// A unit quaternion, stored (w, x, y, z) like SAPIEN and transforms3d; data files use `[w, x, y, z]`.
public struct Quat: Hashable, Sendable {
    public var w: Double, x: Double, y: Double, z: Double

    public init(w: Double, x: Double, y: Double, z: Double) { self.w = w; self.x = x; self.y = y; self.z = z }
    public static let identity = Quat(w: 1, x: 0, y: 0, z: 0)

    /// Rotation of `angle` radians about `axis` (normalised here).
    public init(axis: Vec3, angle: Double) {
        let a = axis.normalized, s = sin(angle / 2)
        self.init(w: cos(angle / 2), x: a.x * s, y: a.y * s, z: a.z * s)
    }

    /// Exponential map of an axis-angle rotation vector (direction = axis, norm = angle).
    public init(rotationVector r: Vec3) {
        let angle = r.norm
        if angle < 1e-12 {
            self = Quat(w: 1, x: r.x / 2, y: r.y / 2, z: r.z / 2).normalized
        } else {
            self.init(axis: r / angle, angle: angle)
        }
    }

    /// Static-xyz Euler angles (transforms3d `euler2quat` default): R = Rz(yaw)·Ry(pitch)·Rx(roll).
    public init(roll: Double, pitch: Double, yaw: Double) {
        self = Quat(axis: .unitZ, angle: yaw) * Quat(axis: .unitY, angle: pitch) * Quat(axis: .unitX, angle: roll)
    }

    public static func * (a: Quat, b: Quat) -> Quat {
        Quat(w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
             x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
             y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
             z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    public var conjugate: Quat { Quat(w: w, x: -x, y: -y, z: -z) }
    public var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }
    public var normalized: Quat { let n = norm; return Quat(w: w / n, x: x / n, y: y / n, z: z / n) }
    public var array: [Double] { [w, x, y, z] }
    public var isFinite: Bool { w.isFinite && x.isFinite && y.isFinite && z.isFinite }

    /// Rotates a vector.
    public func act(_ v: Vec3) -> Vec3 {
        let u = Vec3(x, y, z)
        let t = 2 * u.cross(v)
        return v + w * t + u.cross(t)
    }

    /// Half extents of the axis-aligned box around a box of half extents `half` rotated by this quaternion.
    public func boundingHalfExtents(_ half: Vec3) -> Vec3 {
        let a = act(Vec3(half.x, 0, 0)), b = act(Vec3(0, half.y, 0)), c = act(Vec3(0, 0, half.z))
        return Vec3(abs(a.x) + abs(b.x) + abs(c.x), abs(a.y) + abs(b.y) + abs(c.y), abs(a.z) + abs(b.z) + abs(c.z))
    }

    /// Logarithm map: the axis-angle rotation vector with angle in [0, π].
    public var rotationVector: Vec3 {
        var q = self.normalized
        if q.w < 0 { q = Quat(w: -q.w, x: -q.x, y: -q.y, z: -q.z) }
        let v = Vec3(q.x, q.y, q.z), s = v.norm
        if s < 1e-12 { return v * 2 }
        let angle = 2 * atan2(s, q.w)
        return v * (angle / s)
    }

    /// Angle of this rotation in [0, π].
    public var angle: Double { rotationVector.norm }

    /// Static-xyz Euler angles (roll, pitch, yaw) such that `Quat(roll:pitch:yaw:)` reproduces this rotation.
    public var rollPitchYaw: (roll: Double, pitch: Double, yaw: Double) {
        let m = Mat3(self)
        let pitch = asin(max(-1, min(1, -m[2, 0])))
        if abs(m[2, 0]) < 1 - 1e-12 {
            return (atan2(m[2, 1], m[2, 2]), pitch, atan2(m[1, 0], m[0, 0]))
        }
        return (atan2(-m[1, 2], m[1, 1]), pitch, 0)  // gimbal lock: fold roll and yaw together
    }

    /// Builds the quaternion of a proper rotation matrix (Shepperd's method).
    public init(_ m: Mat3) {
        let tr = m[0, 0] + m[1, 1] + m[2, 2]
        if tr > 0 {
            let s = (tr + 1).squareRoot() * 2
            self.init(w: s / 4, x: (m[2, 1] - m[1, 2]) / s, y: (m[0, 2] - m[2, 0]) / s, z: (m[1, 0] - m[0, 1]) / s)
        } else if m[0, 0] > m[1, 1] && m[0, 0] > m[2, 2] {
            let s = (1 + m[0, 0] - m[1, 1] - m[2, 2]).squareRoot() * 2
            self.init(w: (m[2, 1] - m[1, 2]) / s, x: s / 4, y: (m[0, 1] + m[1, 0]) / s, z: (m[0, 2] + m[2, 0]) / s)
        } else if m[1, 1] > m[2, 2] {
            let s = (1 + m[1, 1] - m[0, 0] - m[2, 2]).squareRoot() * 2
            self.init(w: (m[0, 2] - m[2, 0]) / s, x: (m[0, 1] + m[1, 0]) / s, y: s / 4, z: (m[1, 2] + m[2, 1]) / s)
        } else {
            let s = (1 + m[2, 2] - m[0, 0] - m[1, 1]).squareRoot() * 2
            self.init(w: (m[1, 0] - m[0, 1]) / s, x: (m[0, 2] + m[2, 0]) / s, y: (m[1, 2] + m[2, 1]) / s, z: s / 4)
        }
        self = self.normalized
    }

}

extension Quat: Codable {
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let v = try (c.decode(Double.self), c.decode(Double.self), c.decode(Double.self), c.decode(Double.self))
        guard c.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected exactly 4 numbers [w, x, y, z]")
        }
        let q = Quat(w: v.0, x: v.1, y: v.2, z: v.3)
        guard abs(q.norm - 1) < 1e-3 else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "quaternion [w, x, y, z] is not unit length")
        }
        self = q.normalized
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(w); try c.encode(x); try c.encode(y); try c.encode(z)
    }
}
