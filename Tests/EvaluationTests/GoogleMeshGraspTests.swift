import Foundation
import Policies
import Sim
import Testing
import TestSupport
import VLMath

/// The Google Robot's coke can on SimplerEnv's collision hull (`opened_coke_can/collision.obj`, 20 g): it settles
/// lying on the table, and the scripted expert's 60 N·m pinch lifts it and holds it still in the hand. Episode 1 is
/// the position where, before box corners became one contact each, the squeezed can left the hand at 594 rad/s
/// ("physics diverged", docs/collision.md § Google Robot).
@Suite struct GoogleMeshGraspTests {
    static let meshes = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    @Test func cokeCanSettlesOnItsHullAndIsLifted() throws {
        // Swift Testing runs suites concurrently and Debian's ODE is not safe to step from two threads at once.
        try TestSupport.withODE {
            let assets = try TaskAssets(task: "google_pick_coke_can_horizontal", root: Self.scenes,
                                        collision: .meshes(SimplerCollisionAssets(root: Self.meshes)))
            #expect(assets.collisionSource == .simplerMeshes)
            let episode = try Episode(assets: assets, index: 1)
            let settled = try #require(episode.objectPose("source"))
            // Lying (its axis, model y, horizontal) on the table top 0.87 m, the hull's centre one radius (33 mm) above.
            #expect(abs(settled.q.act(.unitY).z) < 0.02, "axis tilted: \(settled.q.act(.unitY))")
            #expect(abs(settled.p.z - 0.903) < 0.003, "settled at z = \(settled.p.z)")

            let policy = ScriptedPolicy()
            try policy.reset(EpisodeContext(episodeID: "google-robot/google_pick_coke_can_horizontal/base/1/0", suite: "google-robot",
                                            task: assets.task.name, seed: 0, instruction: episode.instruction,
                                            maxSteps: assets.task.maxSteps, controlFrequency: assets.controlFrequency,
                                            successKind: assets.task.success.kind, actionSpace: assets.setup.actionSpace))
            var lift = 0.0, held: Pose?, slip = 0.0, pivot = 0.0, heldSteps = 0
            while !episode.isDone {
                let observation = episode.observe(policy.observationSpec, instruction: episode.instruction)
                // A diverging world throws `PhysicsError.diverged` here.
                for action in try policy.act(observation) where !episode.isDone { try episode.apply(action) }
                let can = try #require(episode.objectPose("source"))
                lift = max(lift, can.p.z - settled.p.z)
                guard episode.evaluation.graspedNow, let tcp = episode.linkPose("link_gripper_tcp") else { continue }
                let inHand = tcp.inverse * can
                heldSteps += 1
                if let h = held {
                    slip = max(slip, (inHand.p - h.p).norm)
                    pivot = max(pivot, (h.q.conjugate * inHand.q).normalized.angle)
                } else { held = inHand }
            }
            #expect(episode.evaluation.success)
            #expect(lift > 0.10, "lifted only \(lift) m (the expert lifts 15 cm)")
            #expect(heldSteps >= 10, "held for \(heldSteps) control steps")
            #expect(slip < 0.01 && pivot < 10 * .pi / 180, "moved in the hand: slip \(slip) m, pivot \(pivot) rad")
        }
    }
}
