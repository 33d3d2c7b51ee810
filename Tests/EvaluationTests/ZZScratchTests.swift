import Foundation
import Testing
import TestSupport
import VLMath
@testable import Policies
@testable import Sim

@Suite struct ZZScratch {
    @Test func trace() throws {
        let task = "widowx_put_eggplant_in_basket"
        let meshes = try SimplerCollisionAssets(root: TestSupport.sharedAssets.appendingPathComponent("simpler-meshes"))
        let a = try TaskAssets(task: task, collision: .meshes(meshes))
        try TestSupport.withODE {
            let ep = try Episode(assets: a, index: 1)
            let p = ScriptedExpert()
            try p.reset(EpisodeContext(episodeID: "x", suite: "widowx", task: task, seed: 0, instruction: "", maxSteps: a.task.maxSteps, controlFrequency: 5))
            let s0 = ep.privilegedState()
            print("TR settled", s0.objectPoses["source"]!, s0.objectHalfExtents["source"]!, ep.objectPose("source")!.q.act(.unitZ))
            while !ep.isDone && ep.step < 40 {
                let obs = ep.observe(p.observationSpec, instruction: "")
                let act = try p.act(obs)
                for x in act { try ep.apply(x) }
                let tcp = ep.robotState().tcpPose
                let src = ep.privilegedState().objectPoses["source"]!
                print(String(format: "TR %2d %-10@ g=%+.0f open=%.2f grasp=%d tcp=(%.3f %.3f %.4f) src=(%.3f %.3f %.4f)", ep.step, p.phaseName, act.last![6], ep.robotState().gripperOpening, ep.evaluation.graspedNow ? 1 : 0, tcp.p.x, tcp.p.y, tcp.p.z, src.p.x, src.p.y, src.p.z))
            }
        }
    }
}
