import Foundation

/// A 3-vector in metres (or any 3-D quantity). Encoded in data files as `[x, y, z]`.
public struct Vec3: Hashable, Sendable {
    public var x: Double, y: Double, z: Double

    public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    public init(x: Double, y: Double, z: Double) { self.init(x, y, z) }

    public static let zero = Vec3(0, 0, 0)
    public static let unitX = Vec3(1, 0, 0)
    public static let unitY = Vec3(0, 1, 0)
    public static let unitZ = Vec3(0, 0, 1)

    public subscript(i: Int) -> Double {
        get { i == 0 ? x : (i == 1 ? y : z) }
        set { if i == 0 { x = newValue } else if i == 1 { y = newValue } else { z = newValue } }
    }
    public var array: [Double] { [x, y, z] }

    public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    public static prefix func - (a: Vec3) -> Vec3 { Vec3(-a.x, -a.y, -a.z) }
    public static func * (a: Vec3, s: Double) -> Vec3 { Vec3(a.x * s, a.y * s, a.z * s) }
    public static func * (s: Double, a: Vec3) -> Vec3 { a * s }
    public static func / (a: Vec3, s: Double) -> Vec3 { Vec3(a.x / s, a.y / s, a.z / s) }
    public static func += (a: inout Vec3, b: Vec3) { a = a + b }
    public static func -= (a: inout Vec3, b: Vec3) { a = a - b }

    public func dot(_ b: Vec3) -> Double { x * b.x + y * b.y + z * b.z }
    public func cross(_ b: Vec3) -> Vec3 { Vec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    public var norm: Double { dot(self).squareRoot() }
    public var normXY: Double { (x * x + y * y).squareRoot() }
    public var normalized: Vec3 { let n = norm; return n > 0 ? self / n : self }
    /// Component-wise product.
    public func scaled(by s: Vec3) -> Vec3 { Vec3(x * s.x, y * s.y, z * s.z) }
    public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
}

extension Vec3: Codable {
    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let v = try (c.decode(Double.self), c.decode(Double.self), c.decode(Double.self))
        guard c.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected exactly 3 numbers [x, y, z]")
        }
        self.init(v.0, v.1, v.2)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(x); try c.encode(y); try c.encode(z)
    }
}

extension Vec3: CustomStringConvertible {
    public var description: String { "(\(x), \(y), \(z))" }
}
