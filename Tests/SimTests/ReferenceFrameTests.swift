import Foundation
import Testing
import TestSupport
@testable import Sim

/// Our first frames against SimplerEnv's own renders (`../shared/assets/simpler-reference-frames`): with
/// SimplerEnv's meshes (`../shared/assets/simpler-meshes`) the robot and every object the policy sees overlap
/// SimplerEnv's masks with IoU ≥ 0.9; the procedural box robot does not, so the check can tell them apart.
@Suite struct ReferenceFrameTests {
    static let frames = TestSupport.sharedAssets.appendingPathComponent("simpler-reference-frames")
    static let meshes = SimplerAssetRoot(url: TestSupport.sharedAssets.appendingPathComponent("simpler-meshes"), origin: .flag)
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    static func compare(_ env: String, _ episode: Int, root: SimplerAssetRoot?) throws -> ReferenceFrame.Comparison {
        let dir = frames.appendingPathComponent(env)
        return try ReferenceFrame.load(dir.appendingPathComponent("\(episode).json")).compare(directory: dir, scenes: scenes, assetRoot: root)
    }

    /// One frame per robot, task family and object format: DAE objects (carrot, spoon, towel), a VM recolour-free
    /// Google frame with the 25k-triangle can, the cabinet, and the baked GLBs with a collision-mesh stand-in.
    @Test(arguments: [("widowx_carrot_on_plate", 0), ("widowx_spoon_on_towel", 0), ("google_robot_pick_coke_can", 0),
                      ("google_robot_open_drawer", 0), ("google_robot_move_near", 0)])
    func realMeshesMatchSimplerEnv(env: String, episode: Int) throws {
        #expect(FileManager.default.fileExists(atPath: Self.frames.path), "the reference frames are expected in ../shared/assets")
        let c = try Self.compare(env, episode, root: Self.meshes)
        #expect(c.robotIoU >= 0.9, "\(env)/\(episode): robot IoU \(c.robotIoU)")
        #expect(!c.objectIoU.isEmpty)
        for o in c.objectIoU { #expect(o.iou >= 0.9, "\(env)/\(episode): \(o.name) IoU \(o.iou)") }
        #expect(c.sources.values.contains { if case .mesh = $0 { return true } else { return false } })
    }

    @Test func proceduralRobotIsFlagged() throws {
        let c = try Self.compare("widowx_carrot_on_plate", 0, root: nil)
        #expect(c.robotIoU < 0.8, "box robot IoU \(c.robotIoU)")
        #expect(c.sources.isEmpty)
    }
}
