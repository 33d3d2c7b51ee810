import Foundation
import Testing
import VLMath
@testable import Physics
@testable import Sim
import TestSupport

/// RoboTwin success predicates on hand-built states at each threshold's edge (robotwin-tasks.md §5): objects are
/// teleported, gripper commands set, and contacts either simulated (resting objects) or placed.
@Suite struct RoboTwinPredicateTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    /// The episode of candidate seed 100000 (index 0, unfiltered) of `task`.
    static func episode(_ task: String) throws -> Episode {
        try Episode(assets: try TaskAssets(task: task, root: root), index: 0)
    }

    static func evaluate(_ ep: Episode, contacts: [ContactRecord]? = nil) throws -> Bool {
        let pred = try SuccessPredicates.make(ep.assets.task.success, grasp: ep.assets.setup.grasp)
        return pred.evaluate(ep, contacts: ContactQuery(contacts: contacts ?? ep.world.contacts, actorOf: ep.actorOf)).success
    }

    /// Moves an object so its model frame sits at `p` (orientation kept).
    static func place(_ ep: Episode, _ role: String, frameAt p: Vec3, q: Quat? = nil) {
        let o = ep.objects[role]!, frame = ep.objectFrame(role)!
        let pose = Pose(p: p, q: q ?? frame.q) * Pose(p: o.centerOfMass)
        ep.world.setPose(o.body, pose)
        ep.world.setVelocity(o.body, linear: .zero, angular: .zero)
    }

    static func setGrippers(_ ep: Episode, _ values: [Double]) {
        (ep.controller as! JointMoveController).gripperCommands = values
    }

    static func geom(_ ep: Episode, _ actor: Actor) -> GeomHandle {
        ep.actorOf.first { $0.value == actor }!.key
    }

    /// A contact between two actors at `p`.
    static func contact(_ ep: Episode, _ a: Actor, _ b: Actor, at p: Vec3) -> ContactRecord {
        ContactRecord(geomA: geom(ep, a), geomB: geom(ep, b), bodyA: nil, bodyB: nil, position: p, normal: .unitZ,
                      depth: 0, impulseOnA: .zero)
    }

    @Test func hammerFaceWithinTwoCentimetresAndTouching() throws {
        try TestSupport.withODE {
            let ep = try Self.episode("beat_block_hammer")
            let top = ep.objectPoint("block", try ep.objectModel("block")!.point("top"))!
            let face = try ep.objectModel("hammer")!.point("face")
            func success(dx: Double, touching: Bool) throws -> Bool {
                let frame = ep.objectFrame("hammer")!
                let offset = frame.q.act(face)
                Self.place(ep, "hammer", frameAt: top - offset + Vec3(dx, 0, 0))
                let c = touching ? [Self.contact(ep, .object(role: "hammer"), .object(role: "block"), at: top)] : []
                return try Self.evaluate(ep, contacts: c)
            }
            #expect(try success(dx: 0.0195, touching: true))
            #expect(try !success(dx: 0.0205, touching: true))
            #expect(try !success(dx: 0, touching: false))
        }
    }

    @Test func bellNeedsAClosedGripperAndAContactNearItsTop() throws {
        try TestSupport.withODE {
            let ep = try Self.episode("click_bell")
            let cp = ep.objectPoint("bell", try ep.objectModel("bell")!.point("contact"))!
            let arm = try #require(ep.actingArm)
            let finger: Actor = .robot(link: arm == 0 ? "fl_link7" : "fr_link7")
            func success(_ offset: Vec3, grip: Double) throws -> Bool {
                var g = [1.0, 1.0]; g[arm] = grip
                Self.setGrippers(ep, g)
                return try Self.evaluate(ep, contacts: [Self.contact(ep, .object(role: "bell"), finger, at: cp + offset)])
            }
            #expect(try success(Vec3(0.0245, -0.0245, 0.0295), grip: 0.19))
            #expect(try !success(Vec3(0.0255, 0, 0), grip: 0.19))
            #expect(try !success(Vec3(0, 0, 0.0305), grip: 0.19))
            #expect(try !success(.zero, grip: 0.21))
        }
    }

    @Test func canBesideThePotOnTheArmsSide() throws {
        try TestSupport.withODE {
            let ep = try Self.episode("move_can_pot")
            let pot = ep.objectFrame("pot")!.p, arm = try #require(ep.actingArm)
            let side = arm == 0 ? -1.0 : 1.0
            func success(d: Double, dy: Double = 0, tilt: Double = 0, z: Double = 0, open: Double = 1) throws -> Bool {
                Self.setGrippers(ep, [open, 1])
                Self.place(ep, "can", frameAt: Vec3(pot.x + side * d, pot.y + dy, pot.z + z), q: Quat(axis: .unitX, angle: tilt))
                return try Self.evaluate(ep, contacts: [])
            }
            #expect(try success(d: 0.199, dy: 0.034, tilt: 14.9 * .pi / 180))
            #expect(try !success(d: 0.201))
            #expect(try !success(d: -0.05))
            #expect(try !success(d: 0.18, dy: 0.036))
            #expect(try !success(d: 0.18, tilt: 15.1 * .pi / 180))
            #expect(try !success(d: 0.18, z: 0.0015))
            #expect(try !success(d: 0.18, open: 0.79))
        }
    }

    @Test func pillBottleStandingOnThePad() throws {
        try TestSupport.withODE {
            let ep = try Self.episode("move_pillbottle_pad")
            let pad = ep.objectFrame("pad")!.p
            func success(dx: Double, dy: Double = 0, z: Double = 0.741, open: Double = 0.81) throws -> Bool {
                Self.setGrippers(ep, [open, open])
                Self.place(ep, "pillbottle", frameAt: Vec3(pad.x + dx, pad.y + dy, z))
                return try Self.evaluate(ep, contacts: [])
            }
            #expect(try success(dx: 0.0295, dy: -0.0295, z: 0.7459))
            #expect(try !success(dx: 0.0305))
            #expect(try !success(dx: 0, z: 0.7461))
            #expect(try !success(dx: 0, open: 0.8))
        }
    }

    @Test func playingCardsBeyondTwentyThreeCentimetres() throws {
        try TestSupport.withODE {
            let ep = try Self.episode("move_playingcard_away")
            let c = ep.objectFrame("playingcards")!.p
            func success(x: Double, open: Double = 1) throws -> Bool {
                Self.setGrippers(ep, [open, 1])
                Self.place(ep, "playingcards", frameAt: Vec3(x, c.y, c.z))
                return try Self.evaluate(ep, contacts: [])
            }
            #expect(try success(x: -0.2305))
            #expect(try success(x: 0.2305))
            #expect(try !success(x: 0.2295))
            #expect(try !success(x: 0.3, open: 0.5))
        }
    }

    @Test func bottleOneAndAHalfCentimetresAboveWhereItSettled() throws {
        try TestSupport.withODE {
            let ep = try Self.episode("shake_bottle")
            let start = ep.settledFrame("bottle")!
            func success(_ dz: Double) throws -> Bool {
                Self.place(ep, "bottle", frameAt: start.p + Vec3(0, 0, dz), q: start.q)
                return try Self.evaluate(ep, contacts: [])
            }
            #expect(try success(0.0151))
            #expect(try !success(0.0149))
        }
    }
}
