import Foundation

/// A rigid transform (rotation then translation): maps child-frame points into the parent frame.
/// Encoded in data files as `{"p": [x, y, z], "q": [w, x, y, z]}`.
public struct Pose: Hashable, Sendable, Codable {
    public var q: Quat
    public var p: Vec3

    public init(p: Vec3 = .zero, q: Quat = .identity) { self.p = p; self.q = q }
    public static let identity = Pose()

    public static func * (a: Pose, b: Pose) -> Pose { Pose(p: a.p + a.q.act(b.p), q: (a.q * b.q).normalized) }
    public var inverse: Pose { let qi = q.conjugate; return Pose(p: -qi.act(p), q: qi) }
    public func apply(_ v: Vec3) -> Vec3 { p + q.act(v) }
    public var rotation: Mat3 { Mat3(q) }
    public var isFinite: Bool { p.isFinite && q.isFinite }

    enum CodingKeys: String, CodingKey { case p, q }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        p = try c.decodeIfPresent(Vec3.self, forKey: .p) ?? .zero
        q = try c.decodeIfPresent(Quat.self, forKey: .q) ?? .identity
    }
}
