import Foundation
@testable import Policies
import Testing
import VLMath

/// The Google expert's grasp geometry: the wrist roll must make the fingers close across an object's long side,
/// whatever its yaw, and tall objects must be taken from the side with the fingers closing horizontally.
@Suite struct GoogleExpertGraspTests {
    /// Coke-can collision half extents (cylinder along local y, simplerenv-tasks.md §3.4).
    static let can = Vec3(0.033, 0.0615, 0.033)

    /// The fingers close along the TCP's y axis (the default pose's closing plane, rotated by the roll).
    static func closing(_ g: GoogleExpert.Grasp) -> Vec3 { g.orientation.act(.unitY) }

    @Test(arguments: [0.0, 0.4, 1.0, .pi / 2, 2.3, -0.7])
    func lyingCanIsGraspedAcrossItsAxis(yaw: Double) {
        // Lying: local y (the can's axis) horizontal, turned by `yaw` about the vertical.
        let q = Quat(axis: .unitZ, angle: yaw)
        let pose = Pose(p: Vec3(0.6, 0.1, 0.824), q: q)
        let g = GoogleExpert.grasp(pose, half: Self.can, pitch: GoogleExpert.liftPitch)
        let axis = q.act(.unitY), c = Self.closing(g)
        // Across the axis in the horizontal plane, whatever the pitch tilts vertically.
        #expect(abs(c.x * axis.x + c.y * axis.y) < 1e-9, "closing \(c) vs axis \(axis)")
        #expect(abs(g.roll) <= .pi / 2 + 1e-12)
        // Pinched 1 cm below the axis, above the table (support + 2.2 cm).
        #expect(abs(g.point.z - 0.814) < 1e-9)
        #expect(abs(g.support - (0.824 - 0.033)) < 1e-9)
    }

    /// Along the approach (base x) the roll is a quarter turn and the closing direction exactly horizontal.
    @Test func canAlongTheApproachRollsAQuarterTurn() {
        let pose = Pose(p: Vec3(0.5, 0, 0.824), q: Quat(axis: .unitZ, angle: -.pi / 2))
        let g = GoogleExpert.grasp(pose, half: Self.can, pitch: GoogleExpert.liftPitch)
        #expect(abs(abs(g.roll) - .pi / 2) < 1e-9)
        #expect(abs(Self.closing(g).z) < 1e-9)
    }

    /// A standing can (square footprint) is taken as the default pose takes it, no roll; a standing bottle from the
    /// side, fingers closing horizontally.
    @Test func standingObjects() {
        let standing = Quat(axis: .unitX, angle: .pi / 2)  // local y up
        let canPose = Pose(p: Vec3(0.5, 0, 0.8525), q: standing)
        let g = GoogleExpert.grasp(canPose, half: Self.can, pitch: GoogleExpert.movePickPitch)
        #expect(g.roll == 0 && g.pitch == GoogleExpert.movePickPitch)
        #expect(abs(g.point.z - (g.support + GoogleExpert.maxGraspHeight)) < 1e-9)

        let bottle = Vec3(0.03, 0.1015, 0.03)
        let b = GoogleExpert.grasp(Pose(p: Vec3(0.5, 0, 0.8925), q: standing), half: bottle, pitch: GoogleExpert.movePickPitch)
        #expect(b.pitch == GoogleExpert.sidePitch)
        #expect(abs(Self.closing(b).z) < 1e-9)
        #expect(abs(b.point.z - (0.8925 - 0.1015 + GoogleExpert.sideGraspHeight)) < 1e-9)
    }
}
