import COpenBLAS
import Foundation

/// A small dense row-major matrix for robotics linear algebra (Jacobians, IK solves).
/// Solves go through OpenBLAS's LAPACK (Fortran symbols; Debian's build has no LAPACKE).
public struct Matrix: Equatable, Sendable {
    public let rows: Int, cols: Int
    public var data: [Double]  // row-major

    public init(rows: Int, cols: Int, repeating v: Double = 0) {
        self.rows = rows; self.cols = cols; data = Array(repeating: v, count: rows * cols)
    }
    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(data.count == rows * cols, "Matrix data has \(data.count) entries, expected \(rows * cols)")
        self.rows = rows; self.cols = cols; self.data = data
    }
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n); for i in 0..<n { m[i, i] = 1 }; return m
    }

    public subscript(r: Int, c: Int) -> Double {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { t[c, r] = self[r, c] } }
        return t
    }

    /// Matrix product through BLAS dgemm.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "Matrix product: \(a.rows)×\(a.cols) · \(b.rows)×\(b.cols)")
        var c = Matrix(rows: a.rows, cols: b.cols)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(a.rows), Int32(b.cols), Int32(a.cols),
                                1, pa.baseAddress, Int32(a.cols), pb.baseAddress, Int32(b.cols), 0,
                                pc.baseAddress, Int32(b.cols))
                }
            }
        }
        return c
    }

    public static func * (a: Matrix, v: [Double]) -> [Double] {
        precondition(a.cols == v.count)
        var out = [Double](repeating: 0, count: a.rows)
        for r in 0..<a.rows {
            var s = 0.0
            for c in 0..<a.cols { s += a.data[r * a.cols + c] * v[c] }
            out[r] = s
        }
        return out
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols)
        return Matrix(rows: a.rows, cols: a.cols, data: zip(a.data, b.data).map { $0 + $1 })
    }

    /// Solves A·x = b for square A (LAPACK dgesv). Returns nil when A is singular.
    public func solve(_ b: [Double]) -> [Double]? {
        precondition(rows == cols && b.count == rows, "solve needs a square matrix and a matching right-hand side")
        var n = Int32(rows), nrhs: Int32 = 1, lda = n, ldb = n, info: Int32 = 0
        var a = transposed.data  // LAPACK is column-major
        var x = b
        var ipiv = [Int32](repeating: 0, count: rows)
        dgesv_(&n, &nrhs, &a, &lda, &ipiv, &x, &ldb, &info)
        return info == 0 ? x : nil
    }

    /// Singular values in descending order (LAPACK dgesvd).
    public var singularValues: [Double] {
        var m = Int32(rows), n = Int32(cols), lda = m, ldu: Int32 = 1, ldvt: Int32 = 1, info: Int32 = 0
        var a = transposed.data
        var s = [Double](repeating: 0, count: min(rows, cols))
        var u = [0.0], vt = [0.0]
        var jobu = Int8(UInt8(ascii: "N")), jobvt = Int8(UInt8(ascii: "N"))
        var lwork: Int32 = -1, query = [0.0]
        dgesvd_(&jobu, &jobvt, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &info)
        lwork = Int32(query[0])
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesvd_(&jobu, &jobvt, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &info)
        return s
    }
}
