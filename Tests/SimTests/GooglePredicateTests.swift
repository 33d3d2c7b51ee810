import Foundation
import Testing
import VLMath
@testable import Physics
@testable import Sim
import TestSupport

/// Google success predicates on constructed states at their threshold edges (simplerenv-tasks.md §3.4, §3.6).
@Suite struct GooglePredicateTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    /// Lift latch: set when the can is > 1 cm above its settled height with no foreign contact.
    @Test func liftLatchThreshold() throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "google_pick_coke_can_standing", root: Self.root), index: 3)
            let can = ep.objects["source"]!
            func success(_ dz: Double) throws -> Bool {
                let pred = try SuccessPredicates.make(ep.assets.task.success, grasp: ep.assets.setup.grasp)
                ep.world.setPose(can.body, Pose(p: can.settledPose.p + Vec3(0, 0, dz), q: can.settledPose.q))
                return pred.evaluate(ep, contacts: ContactQuery(contacts: [], actorOf: ep.actorOf)).success
            }
            #expect(try success(0.0105))
            #expect(try !success(0.0095))
        }
    }

    /// Drawer open ⇔ joint ≥ 0.15 m; close ⇔ ≤ 0.05 m; close tasks start at 0.2 m.
    @Test(arguments: [("google_open_middle_drawer", 0.1501, true), ("google_open_middle_drawer", 0.1499, false),
                      ("google_close_middle_drawer", 0.0499, true), ("google_close_middle_drawer", 0.0501, false)])
    func drawerThresholds(task: String, q: Double, expected: Bool) throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: task, root: Self.root), index: 0)
            if task.contains("close") { #expect(abs(ep.propJoint("cabinet/middle_drawer_joint")! - 0.2) < 1e-6) }
            ep.props["cabinet"]!.setConfiguration(["middle_drawer_joint": q], in: ep.world)
            let pred = try SuccessPredicates.make(ep.assets.task.success, grasp: ep.assets.setup.grasp)
            #expect(pred.evaluate(ep, contacts: ContactQuery(contacts: [], actorOf: ep.actorOf)).success == expected)
        }
    }

    /// Move near: the source beside the target, on the far side from the distractor, just inside / outside
    /// ½‖bbox_t,xy‖ + ½‖bbox_s,xy‖ + 0.10 (§3.5).
    @Test func moveNearRadius() throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "google_move_near", root: Self.root), index: 0)
            let src = ep.objects["source"]!, tgt = ep.objects["target"]!, other = ep.objects["distractor"]!
            let t = tgt.settledPose.p, u = Vec3(t.x - other.settledPose.p.x, t.y - other.settledPose.p.y, 0).normalized
            let radius = Vec3(tgt.settledBBox.x, tgt.settledBBox.y, 0).norm / 2 + Vec3(src.settledBBox.x, src.settledBBox.y, 0).norm / 2 + 0.10
            func success(_ d: Double) throws -> Bool {
                let pred = try SuccessPredicates.make(ep.assets.task.success, grasp: ep.assets.setup.grasp)
                ep.world.setPose(src.body, Pose(p: Vec3(t.x + u.x * d, t.y + u.y * d, src.settledPose.p.z), q: src.settledPose.q))
                return pred.evaluate(ep, contacts: ContactQuery(contacts: [], actorOf: ep.actorOf)).success
            }
            #expect(try success(radius - 0.001))
            #expect(try !success(radius + 0.001))
        }
    }

    /// Apple in drawer: the bottom contact counts above 1e-6 N·s, and success waits for the second sub-task (§3.7).
    @Test func placeInDrawerNeedsContactAndSubtask() throws {
        try TestSupport.withODE {
            let ep = try Episode(assets: try TaskAssets(task: "google_place_apple_in_closed_top_drawer", root: Self.root), index: 0)
            ep.props["cabinet"]!.setConfiguration(["top_drawer_joint": 0.2], in: ep.world)
            let apple = ep.actorOf.first { $0.value == .object(role: "source") }!.key
            let bottom = ep.actorOf.first { $0.value == .prop(name: "cabinet/top_drawer_bottom") }!.key
            func stats(_ j: Double) throws -> TaskEvaluation {
                let pred = try SuccessPredicates.make(ep.assets.task.success, grasp: ep.assets.setup.grasp)
                let c = ContactRecord(geomA: apple, geomB: bottom, bodyA: nil, bodyB: nil, position: .zero, normal: .unitZ,
                                      depth: 0, impulseOnA: Vec3(0, 0, j))
                return pred.evaluate(ep, contacts: ContactQuery(contacts: [c], actorOf: ep.actorOf))
            }
            #expect(try stats(1.1e-6).taskStats?["has_contact"] == true)
            #expect(try stats(0.9e-6).taskStats?["has_contact"] == false)
            #expect(ep.subtaskIndex == 0 && ep.instruction == "open top drawer")
            #expect(try !stats(1e-3).success)  // sub-task 1 is not active before step 100
        }
    }

    /// Move near layouts follow id = triplet·12 + layout·6 + pair (§3.5).
    @Test func moveNearLayoutIndexing() throws {
        let task = try DataFile.load(TaskDefinition.self, from: Self.root.appendingPathComponent("tasks/google_move_near.json"))
        #expect(task.episodeCount == 60)
        let l = try #require(try task.layout(12 * 2 + 6 + 3))  // triplet 2 (0-based), layout B, pair (1, 2)
        let byRole = Dictionary(uniqueKeysWithValues: l.placements.map { ($0.role, $0) })
        #expect(byRole["source"]!.model == "opened_redbull_can" && byRole["source"]!.xy == (-0.33, 0.19))
        #expect(byRole["target"]!.model == "toy_apple" && byRole["target"]!.xy == (-0.13, 0.34))
        #expect(byRole["distractor"]!.model == "opened_coke_can" && byRole["distractor"]!.xy == (-0.13, 0.04))
    }
}
