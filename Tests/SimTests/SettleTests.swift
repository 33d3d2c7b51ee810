import Foundation
import Testing
import TestSupport
import VLMath
@testable import Sim

@Suite struct SettleTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    @Test(arguments: ["widowx_spoon_on_towel", "widowx_carrot_on_plate", "widowx_stack_cube", "widowx_put_eggplant_in_basket"])
    func objectsRestOnTheirSupport(task: String) throws {
        try TestSupport.withODE {
        let assets = try TaskAssets(task: task, root: Self.root)
        for index in [0, 5, 23] {
            let ep = try Episode(assets: assets, index: index)
            for slot in assets.task.objects {
                let pose = try #require(ep.objectPose(slot.role))
                print(task, index, slot.role, pose.p, ep.world.linearVelocity(of: ep.objects[slot.role]!.body).norm)
            }
            print("tcp", ep.linkPose("ee_gripper_link")!.p)
        }
        }
    }
}
