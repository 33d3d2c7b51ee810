import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics

@Suite(.serialized) struct PhysicsWorldTests {
    /// A box resting on a static table: contact impulses over one step carry exactly its weight (m·g·h),
    /// and the centre sits at table top + half height.
    @Test func restingBoxImpulseBalancesWeight() throws {
        try TestSupport.withODE {
            let w = PhysicsWorld()
            try w.addGeom(.box(size: Vec3(1, 1, 0.1)), body: nil, offset: Pose(p: Vec3(0, 0, 0.82)))
            let m = 0.027
            let b = w.addBody(name: "cube", pose: Pose(p: Vec3(0, 0, 0.9)), mass: .solid(.box(size: Vec3(0.03, 0.03, 0.03)), mass: m))
            try w.addGeom(.box(size: Vec3(0.03, 0.03, 0.03)), body: b, material: SurfaceMaterial(friction: 0.5))
            for _ in 0..<1000 { try w.step() }
            #expect(abs(w.pose(of: b).p.z - 0.885) < 1e-4)
            let onCube = w.contacts.reduce(Vec3.zero) { $0 + ($1.bodyA == b ? $1.impulseOnA : -$1.impulseOnA) }
            #expect(abs(onCube.z - m * 9.81 * w.settings.timeStep) < 1e-9)
            #expect(w.contacts.count == 4)  // box–box gives a 4-point manifold (ode-grasping.md §5)
        }
    }

    /// Friction is a Coulomb coefficient (Approx1) combined by the average: on a table of μ 1.0 an object of μ 0.5
    /// (combined 0.75) holds on a 35° slope (tan 35° = 0.70) and slides on a 40° one (tan 40° = 0.84).
    @Test(arguments: [(35.0, false), (40.0, true)])
    func averageFrictionOnASlope(degrees: Double, slides: Bool) throws {
        try TestSupport.withODE {
            let w = PhysicsWorld()
            let tilt = Quat(axis: .unitX, angle: degrees * .pi / 180)
            try w.addGeom(.box(size: Vec3(1, 1, 0.1)), body: nil, offset: Pose(p: .zero, q: tilt), material: SurfaceMaterial(friction: 1.0))
            let start = tilt.act(Vec3(0, 0, 0.05 + 0.015))
            let b = w.addBody(name: "cube", pose: Pose(p: start, q: tilt), mass: .solid(.box(size: Vec3(0.03, 0.03, 0.03)), mass: 0.027))
            try w.addGeom(.box(size: Vec3(0.03, 0.03, 0.03)), body: b, material: SurfaceMaterial(friction: 0.5))
            for _ in 0..<500 { try w.step() }
            let moved = (w.pose(of: b).p - start).norm
            #expect(slides ? moved > 0.05 : moved < 0.001, "moved \(moved) m at \(degrees)°")
        }
    }

    /// An implicit-PD slider drive holds its steady force at K·e (ode-grasping.md §4) and stays stable at K = 1000.
    @Test func implicitDriveSqueezesWithKTimesError() throws {
        try TestSupport.withODE {
            var s = PhysicsSettings(); s.gravity = .zero
            let w = PhysicsWorld(settings: s)
            try w.addGeom(.box(size: Vec3(0.1, 0.1, 0.1)), body: nil, offset: Pose(p: Vec3(0.1, 0, 0)))
            let f = w.addBody(name: "finger", pose: .identity, mass: .solid(.box(size: Vec3(0.02, 0.02, 0.02)), mass: 0.016))
            try w.addGeom(.box(size: Vec3(0.02, 0.02, 0.02)), body: f)
            let j = w.addJoint(.slider, parent: nil, child: f, axis: .unitX, limits: -0.1...0.1)
            w.setDrive(j, JointDrive(stiffness: 1000, damping: 200, forceLimit: 60, target: 0.052))
            for _ in 0..<1000 { try w.step() }
            // The wall stops the finger at x = 0.04 (faces touch); error 0.012 m → 12 N on the wall.
            let push = w.contacts.reduce(0.0) { $0 + abs($1.impulseOnA.x) } / w.settings.timeStep
            #expect(abs(w.position(of: j) - 0.04) < 1e-4)
            #expect(abs(push - 1000 * (0.052 - w.position(of: j))) < 0.05, "push \(push) N")
        }
    }

    @Test func divergenceEndsWithAnError() throws {
        try TestSupport.withODE {
            let w = PhysicsWorld()
            let b = w.addBody(name: "rocket", pose: .identity, mass: .solid(.sphere(radius: 0.01), mass: 0.01))
            w.setVelocity(b, linear: Vec3(0, 0, 1000), angular: .zero)
            #expect(throws: PhysicsError.self) { try w.step() }
            let n = w.addBody(name: "nan", pose: .identity, mass: .solid(.sphere(radius: 0.01), mass: 0.01))
            w.setVelocity(b, linear: .zero, angular: .zero)
            w.setVelocity(n, linear: Vec3(.nan, 0, 0), angular: .zero)
            #expect(throws: PhysicsError.diverged(body: "nan", detail: "has a non-finite state")) { try w.step() }
        }
    }

    @Test func massCombinationUsesParallelAxes() {
        let a = MassProperties.solid(.sphere(radius: 0.01), mass: 1, offset: Pose(p: Vec3(0.1, 0, 0)))
        let b = MassProperties.solid(.sphere(radius: 0.01), mass: 1, offset: Pose(p: Vec3(-0.1, 0, 0)))
        let c = MassProperties.combine([a, b])
        #expect(c.mass == 2 && c.centerOfMass.norm < 1e-15)
        let point = 0.4 * 0.01 * 0.01
        #expect(abs(c.inertia[0, 0] - 2 * point) < 1e-12)
        #expect(abs(c.inertia[1, 1] - (2 * point + 2 * 0.01)) < 1e-12)
        #expect(abs(c.inertia[2, 2] - (2 * point + 2 * 0.01)) < 1e-12)
    }
}
