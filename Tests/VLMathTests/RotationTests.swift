import Foundation
import Testing
import TestSupport
@testable import VLMath

@Suite struct RotationTests {
    @Test func axisAngleRoundTrip() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let r = Vec3(rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2))
            guard r.norm < .pi - 1e-6 else { continue }
            let back = Quat(rotationVector: r).rotationVector
            #expect((back - r).norm < 1e-9)
        }
    }

    @Test func matrixQuaternionRoundTrip() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<200 {
            let q = Quat(w: rng.uniform(-1, 1), x: rng.uniform(-1, 1), y: rng.uniform(-1, 1), z: rng.uniform(-1, 1)).normalized
            let back = Quat(Mat3(q))
            let d = abs(q.w * back.w + q.x * back.x + q.y * back.y + q.z * back.z)
            #expect(abs(d - 1) < 1e-9)
        }
    }

    /// Euler and axis-angle conventions checked against transforms3d (the convention SimplerEnv uses).
    @Test func conventionsMatchTransforms3d() throws {
        let cases: [(Double, Double, Double)] = [(0.3, -0.2, 1.1), (1.5707963, 0, 0), (0, 0, 3.14159), (-0.7, 1.2, -2.5)]
        let lines = try TestSupport.python("""
            import sys, transforms3d.euler as e, transforms3d.quaternions as q
            for r, p, y in [(0.3, -0.2, 1.1), (1.5707963, 0, 0), (0, 0, 3.14159), (-0.7, 1.2, -2.5)]:
                print(*e.euler2quat(r, p, y))
            ax, ang = q.quat2axangle(e.euler2quat(0.3, -0.2, 1.1))
            print(*(ax * ang))
            """).split(separator: "\n")
        for (i, c) in cases.enumerated() {
            let ref = lines[i].split(separator: " ").map { Double($0)! }
            let ours = Quat(roll: c.0, pitch: c.1, yaw: c.2)
            let d = abs(ours.w * ref[0] + ours.x * ref[1] + ours.y * ref[2] + ours.z * ref[3])
            #expect(abs(d - 1) < 1e-9, "euler \(c) → \(ours) vs transforms3d \(ref)")
            let rpy = ours.rollPitchYaw
            let again = Quat(roll: rpy.roll, pitch: rpy.pitch, yaw: rpy.yaw)
            #expect(abs(abs(again.w * ours.w + again.x * ours.x + again.y * ours.y + again.z * ours.z) - 1) < 1e-9)
        }
        let rv = lines[4].split(separator: " ").map { Double($0)! }
        let ours = Quat(roll: 0.3, pitch: -0.2, yaw: 1.1).rotationVector
        #expect((ours - Vec3(rv[0], rv[1], rv[2])).norm < 1e-9)
    }

    @Test func lapackSolve() {
        let a = Matrix(rows: 3, cols: 3, data: [4, 1, 0, 1, 3, 1, 0, 1, 2])
        let x = a.solve([1, 2, 3])!
        let back = a * x
        for (u, v) in zip(back, [1.0, 2, 3]) { #expect(abs(u - v) < 1e-12) }
        #expect(Matrix(rows: 2, cols: 2, data: [1, 2, 2, 4]).solve([1, 1]) == nil)
        let s = Matrix(rows: 2, cols: 2, data: [3, 0, 0, -2]).singularValues
        #expect(abs(s[0] - 3) < 1e-12 && abs(s[1] - 2) < 1e-12)
    }
}
