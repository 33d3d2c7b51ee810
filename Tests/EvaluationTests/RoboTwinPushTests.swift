import Foundation
@testable import Policies
import Testing
import TestSupport
import VLMath

/// The expert's push before a top grasp (`RoboTwinExpert.clearingPush`): on a made-up table with a carton lying
/// beside a tray's rim the open jaw would land on, the closed gripper pushes the carton away from the tray by just
/// enough; with room for the jaw it plans no push; boxed in, none. End to end: a seed of place_burger_fries' rim band
/// (the fries at x 0.2003, the pads over the rim) is solved.
@Suite struct RoboTwinPushTests {
    typealias E = RoboTwinExpert

    /// A tray (static, 0.307 × 0.187 × 0.031 m, yawed −4.7° as place_burger_fries') at the origin and a 0.071 ×
    /// 0.096 × 0.033 m carton lying with its centre (`middle`) at (x, y), its origin at its −y end as the fries files'.
    static func scene(cartonX x: Double, y: Double = -0.05, trayHalf: (Double, Double) = (0.1535, 0.0935)) -> E.Scene {
        let tray = Pose(p: Vec3(0, -0.12, 0.741), q: Quat(axis: .unitZ, angle: -4.7 * .pi / 180))
        let carton = Pose(p: Vec3(x, y - 0.048, 0.7565))
        return E.Scene(frames: ["tray": tray, "fries": carton],
                       points: ["fries": ["middle": Vec3(x, y, 0.7565)]],
                       bounds: ["tray": tray, "fries": carton],
                       halfExtents: ["tray": Vec3(trayHalf.0, trayHalf.1, 0.031), "fries": Vec3(0.0355, 0.096, 0.0165)], arm: 1)
    }

    static func push(_ s: E.Scene) throws -> (waypoints: [E.Waypoint], moved: Vec3) {
        let m = try #require(s.points["fries"]?["middle"])
        return try E.clearingPush(s, "fries", grasp: Vec3(m.x, m.y, E.graspHeight(0.773)), jaw: .pi)
    }

    @Test func aCartonWithRoomForTheJawIsNotPushed() throws {
        let p = try Self.push(Self.scene(cartonX: 0.27))
        #expect(p.waypoints.isEmpty && p.moved == .zero)
    }

    @Test func aCartonBesideTheRimIsPushedAwayJustEnough() throws {
        let s = Self.scene(cartonX: 0.2003)
        let p = try Self.push(s)
        #expect(!p.waypoints.isEmpty)
        // Away from the tray (along +x or +y, the carton's sides), never towards it, and at most the search's limit.
        #expect(p.moved.x >= 0 && p.moved.y >= 0 && p.moved.norm > 0 && p.moved.norm <= E.maxPush)
        let tray = try s.footprint("tray").grown(by: E.graspClearance)
        let m = try #require(s.points["fries"]?["middle"])
        #expect(E.openPads(at: m, jaw: .pi).contains { $0.overlaps(tray) }, "the unpushed grasp lands on the rim")
        #expect(!E.openPads(at: m + p.moved, jaw: .pi).contains { $0.overlaps(tray) }, "the pushed grasp is clear")
        // Just enough: one search step less still lands on the rim.
        let shorter = p.moved * ((p.moved.norm - E.pushResolution) / p.moved.norm)
        #expect(E.openPads(at: m + shorter, jaw: .pi).contains { $0.overlaps(tray) })
        // The closed gripper comes down clear of the tray and the carton, low, then moves along the push.
        let down = p.waypoints[1]
        #expect(p.waypoints.allSatisfy { $0.gripper == 0 } && abs(down.at.z - E.graspHeight(E.tableTop)) < 1e-9)
        let pusher = E.Footprint(centre: down.at, heading: down.jaw, half: (E.closedJawHalf, E.padWidth / 2))
        let carton = try s.body("fries")
        #expect(!pusher.overlaps(tray) && !pusher.overlaps(carton))
        // The scene after the push has the carton (its points, frame and bounds) where the push leaves it.
        let after = s.moving("fries", by: p.moved)
        #expect(after.points["fries"]?["middle"] == m + p.moved && after.frames["tray"]?.p == s.frames["tray"]?.p)
    }

    @Test func aCartonBoxedInIsNotPushed() throws {
        // The carton inside a large tray, its rims all around: the pusher would come down on the tray on every side.
        let p = try Self.push(Self.scene(cartonX: 0.2003, trayHalf: (0.40, 0.40)))
        #expect(p.waypoints.isEmpty && p.moved == .zero)
    }

    @Test func footprintsOverlapOnlyWhereTheyMeet() {
        let a = E.Footprint(centre: .zero, heading: 0, half: (0.1, 0.05))
        #expect(a.overlaps(a.moved(by: Vec3(0.19, 0, 0))) && !a.overlaps(a.moved(by: Vec3(0.21, 0, 0))))
        // Turned 45°: the corner reaches 0.05·√2 ≈ 0.0707 along x beyond the centre of a 0.1-wide square.
        let square = E.Footprint(centre: Vec3(0.12, 0, 0), heading: .pi / 4, half: (0.05, 0.05))
        let wall = E.Footprint(centre: .zero, heading: 0, half: (0.05, 0.5))
        #expect(wall.overlaps(square) && !wall.overlaps(square.moved(by: Vec3(0.025, 0, 0))))
        #expect(a.radius(along: Vec3(0, 1, 0)) == 0.05)
    }

    /// Candidate seed 100052 of place_burger_fries (the fries at x 0.2003, y −0.148, the deepest tray at y −0.148):
    /// the open jaw's tray-side pad would land on the rim; the expert pushes the fries out first and solves it.
    @Test func aSeedOfTheRimBandIsSolved() throws {
        let edited = try TestSupport.editedScenes("tasks/place_burger_fries.json", replacing: "\"seed_base\": 100000",
                                                  with: "\"seed_base\": 100052")
        let out = try TestSupport.makeTempDir().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", "robotwin", "--task", "place_burger_fries", "--policy", "scripted",
                                     "--episodes", "0", "--scenes", edited.scenes.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("place_burger_fries: expert seed filter kept 1 of 1 candidates"), "\(r.stderr)")
        let recs = try RoboTwinSuiteTests.records(out)
        #expect(recs.count == 1 && recs.first?["success"] as? Bool == true, "\(recs)")
        #expect(try RoboTwinSuiteTests.seeds(out)["place_burger_fries"] == [100052])
    }
}
