import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics
@testable import Sim

/// Acceptance for the drop-and-settle procedure (simplerenv-tasks.md §1.2): every object rests on its support at
/// support height + half its collision height (±0.5 mm), at rest, and drifts < 1 mm over a further 5 s.
@Suite(.serialized) struct SettleTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    /// Top of the highest stage part under (x, y).
    static func supportHeight(_ stage: StageDefinition, x: Double, y: Double) -> Double {
        var top = -Double.infinity
        for part in stage.parts {
            guard let size = part.primitive.size, let p = part.primitive.pose?.p else { continue }
            if abs(x - p.x) <= size.x / 2 && abs(y - p.y) <= size.y / 2 { top = max(top, p.z + size.z / 2) }
        }
        return top
    }

    @Test(arguments: ["widowx_spoon_on_towel", "widowx_carrot_on_plate", "widowx_stack_cube", "widowx_put_eggplant_in_basket"])
    func objectsRestOnTheirSupport(task: String) throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: task, root: Self.root)
            for index in [0, 7, 23] {
                let ep = try Episode(assets: assets, index: index)
                var rest: [String: Vec3] = [:]
                for slot in assets.task.objects {
                    let o = ep.objects[slot.role]!
                    let p = ep.world.pose(of: o.body).p
                    let support = Self.supportHeight(assets.stage, x: p.x, y: p.y)
                    let halfHeight = o.model.collision[0].size!.z / 2
                    #expect(abs(p.z - (support + halfHeight)) < 0.0005,
                            "\(task) #\(index) \(slot.role): centre z \(p.z), expected \(support + halfHeight)")
                    #expect(ep.world.linearVelocity(of: o.body).norm < 1e-3)
                    #expect(ep.world.angularVelocity(of: o.body).norm < 1e-2)
                    rest[slot.role] = p
                }
                // A further 5 s with the robot holding its initial pose.
                for _ in 0..<Int(5 / ep.world.settings.timeStep) { try ep.world.step() }
                for (role, p0) in rest {
                    let drift = (ep.world.pose(of: ep.objects[role]!.body).p - p0).norm
                    #expect(drift < 0.001, "\(task) #\(index) \(role) drifted \(drift) m")
                }
            }
        }
    }
}

/// Episode grids decode as the spec's worked examples (simplerenv-tasks.md §2.5).
@Suite struct EpisodeGridTests {
    static func grid(_ task: String) throws -> EpisodeGrid {
        try DataFile.load(TaskDefinition.self, from: SettleTests.root.appendingPathComponent("tasks/\(task).json")).episodes!
    }
    static func near(_ a: (Double, Double), _ b: (Double, Double)) -> Bool { abs(a.0 - b.0) < 1e-12 && abs(a.1 - b.1) < 1e-12 }

    @Test func spoonExamples() throws {
        let g = try Self.grid("widowx_spoon_on_towel")
        #expect(g.count == 24)
        let e0 = g.placement(0)!, e1 = g.placement(1)!, e2 = g.placement(2)!
        #expect(Self.near(e0.sourceXY, (-0.235, -0.075)) && Self.near(e0.targetXY, (-0.235, 0.075)))
        #expect(e0.sourceOrientation == .identity)
        #expect(Self.near(e1.sourceXY, (-0.235, -0.075)) && abs(e1.sourceOrientation.angle - .pi / 2) < 1e-9)
        #expect(Self.near(e2.sourceXY, (-0.235, -0.075)) && Self.near(e2.targetXY, (-0.085, -0.075)))
        #expect(g.placement(24) == nil && g.placement(-1) == nil)
    }

    @Test func cubeAndEggplantExamples() throws {
        let cubes = try Self.grid("widowx_stack_cube")
        #expect(cubes.count == 24)
        #expect(Self.near(cubes.placement(0)!.sourceXY, (-0.21, -0.05)) && Self.near(cubes.placement(0)!.targetXY, (-0.21, 0.05)))
        #expect(Self.near(cubes.placement(12)!.sourceXY, (-0.26, -0.10)) && Self.near(cubes.placement(12)!.targetXY, (-0.26, 0.10)))
        let egg = try Self.grid("widowx_put_eggplant_in_basket")
        #expect(egg.count == 24)
        #expect(Self.near(egg.placement(0)!.sourceXY, (-0.115, 0.191)) && egg.placement(0)!.sourceOrientation == .identity)
        let last = egg.placement(23)!
        #expect(Self.near(last.sourceXY, (-0.095, 0.221)) && Self.near(last.targetXY, (-0.125, 0.025)))
        #expect(abs(last.sourceOrientation.rotationVector.z + .pi / 4) < 1e-9)  // yaw −45°
        let carrot = try Self.grid("widowx_carrot_on_plate")
        #expect(abs(carrot.placement(0)!.sourceOrientation.rotationVector.norm - .pi) < 1e-9)
    }
}
