import Foundation

/// A 3×3 matrix, row-major storage; `m[r, c]`.
public struct Mat3: Hashable, Sendable {
    public var m: [Double]  // 9 entries, row-major

    public init(rows r0: Vec3, _ r1: Vec3, _ r2: Vec3) { m = [r0.x, r0.y, r0.z, r1.x, r1.y, r1.z, r2.x, r2.y, r2.z] }
    public init(columns c0: Vec3, _ c1: Vec3, _ c2: Vec3) { m = [c0.x, c1.x, c2.x, c0.y, c1.y, c2.y, c0.z, c1.z, c2.z] }
    public static let identity = Mat3(rows: .unitX, .unitY, .unitZ)
    public static func diagonal(_ d: Vec3) -> Mat3 { Mat3(rows: Vec3(d.x, 0, 0), Vec3(0, d.y, 0), Vec3(0, 0, d.z)) }

    public init(_ q: Quat) {
        let (w, x, y, z) = (q.w, q.x, q.y, q.z)
        m = [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
             2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
             2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]
    }

    public subscript(r: Int, c: Int) -> Double {
        get { m[r * 3 + c] }
        set { m[r * 3 + c] = newValue }
    }
    public func column(_ c: Int) -> Vec3 { Vec3(m[c], m[3 + c], m[6 + c]) }
    public func row(_ r: Int) -> Vec3 { Vec3(m[3 * r], m[3 * r + 1], m[3 * r + 2]) }
    public var transposed: Mat3 { Mat3(columns: row(0), row(1), row(2)) }

    public static func * (a: Mat3, v: Vec3) -> Vec3 { Vec3(a.row(0).dot(v), a.row(1).dot(v), a.row(2).dot(v)) }
    public static func * (a: Mat3, b: Mat3) -> Mat3 { Mat3(columns: a * b.column(0), a * b.column(1), a * b.column(2)) }
    public static func + (a: Mat3, b: Mat3) -> Mat3 { var r = a; for i in 0..<9 { r.m[i] += b.m[i] }; return r }
    public static func * (a: Mat3, s: Double) -> Mat3 { var r = a; for i in 0..<9 { r.m[i] *= s }; return r }
}
