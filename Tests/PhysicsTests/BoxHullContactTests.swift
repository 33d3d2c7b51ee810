import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics

/// `BoxHullContacts` (the box–hull pairs of SimplerEnv's collision meshes, docs/collision.md).
@Suite struct BoxHullContactTests {
    /// A 6 cm block as a hull, turned 5° about x so that it is not an axis-aligned box (those become ODE boxes).
    static func block() throws -> ConvexHull {
        let turn = Quat(axis: .unitX, angle: 5 * .pi / 180)
        return try ConvexHull(points: (0..<8).map { k in
            turn.act(Vec3(k & 1 == 0 ? -0.03 : 0.03, k & 2 == 0 ? -0.03 : 0.03, k & 4 == 0 ? -0.03 : 0.03))
        })
    }

    /// A finger pad poked corner first 0.5 mm into the block's top face: the corner ends three pad edges, and each
    /// edge reaches it, but it is one contact. Two or three identical rows make dWorldStep's LCP singular (the Google
    /// can squeezed at 60 N·m left the hand at hundreds of rad/s).
    @Test func aCornerIsOneContact() throws {
        let hull = try Self.block()
        let size = Vec3(0.0424, 0.0225, 0.048)
        let q = (Quat(axis: .unitX, angle: 0.6) * Quat(axis: .unitY, angle: 0.5)).normalized
        let corners = (0..<8).map { k in q.act(Vec3(k & 1 == 0 ? -size.x / 2 : size.x / 2, k & 2 == 0 ? -size.y / 2 : size.y / 2,
                                                 k & 4 == 0 ? -size.z / 2 : size.z / 2)) }
        let lowest = corners.min { $0.z < $1.z }!
        let top = Quat(axis: .unitX, angle: 5 * .pi / 180).act(.unitZ)
        // Place the lowest corner 0.5 mm inside the top face, over the face's middle.
        let depth = 0.0005, target = top * (0.03 - depth)
        let boxPose = Pose(p: target - lowest, q: q)
        let (contacts, _) = BoxHullContacts.generate(boxSize: size, boxPose: boxPose, hull: hull, hullPose: .identity,
                                                     offset: 0.005, maxContacts: 8)
        let tip = boxPose.p + lowest
        #expect(contacts.contains { ($0.position - tip).norm < 1e-9 && abs($0.separation + depth) < 1e-6 },
                "the corner is a contact \(depth) m deep")
        for (i, a) in contacts.enumerated() {
            for b in contacts[(i + 1)...] {
                #expect((a.position - b.position).norm > 1e-6, "two contacts at \(a.position)")
            }
        }
    }
}
