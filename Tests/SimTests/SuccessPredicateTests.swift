import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics
@testable import Sim

/// `on_target`, the contact test and the finger grasp test on constructed states, one case per threshold edge
/// (simplerenv-tasks.md §2.6 derived thresholds: carrot 0.0808 / 0.042, cube 0.0242 / 0.050, spoon 0.0737 / 0.038,
/// eggplant 0.0793 / 0.080).
@Suite struct SuccessPredicateTests {
    static func assets(_ t: String) throws -> (ObjectModel, ObjectModel, SuccessSpec) {
        let a = try TaskAssets(task: t, root: SettleTests.root)
        return (a.objects["source"]!, a.objects["target"]!, a.task.success)
    }

    @Test(arguments: [("widowx_carrot_on_plate", 0.0808, 0.0420), ("widowx_stack_cube", 0.0242, 0.0500),
                      ("widowx_spoon_on_towel", 0.0737, 0.0380), ("widowx_put_eggplant_in_basket", 0.0793, 0.0800)])
    func thresholdEdges(task: String, xyRadius: Double, zMax: Double) throws {
        let (src, tgt, spec) = try Self.assets(task)
        let t = Vec3(-0.2, 0.1, 0.88)
        func on(_ o: Vec3) -> Bool {
            OnTargetPredicate.onTarget(source: t + o, target: t, sourceBBox: src.bbox, targetBBox: tgt.bbox,
                                    xyMargin: spec.xyMargin!, zSlack: spec.zSlack!)
        }
        let radius = Vec3(tgt.bbox.x / 2, tgt.bbox.y / 2, 0).norm + spec.xyMargin!
        let zEdge = tgt.bbox.z / 2 + src.bbox.z / 2 + spec.zSlack!
        #expect(abs(radius - xyRadius) < 1e-4, "xy radius \(radius) vs spec \(xyRadius)")
        #expect(abs(zEdge - zMax) < 1e-4, "z window \(zEdge) vs spec \(zMax)")
        let z = zEdge / 2, d = 1e-6
        #expect(on(Vec3(0, 0, z)))
        #expect(on(Vec3(radius - d, 0, z)) && !on(Vec3(radius + d, 0, z)))
        let diag = (radius - d) / 2.0.squareRoot()
        #expect(on(Vec3(diag, -diag, z)) && !on(Vec3(diag + 2 * d, -diag - 2 * d, z)))
        #expect(on(Vec3(0, 0, zEdge - d)) && !on(Vec3(0, 0, zEdge + d)))
        #expect(on(Vec3(0, 0, d)) && !on(Vec3(0, 0, 0)) && !on(Vec3(0, 0, -0.01)))
    }

    static let sourceGeom = GeomHandle(index: 0), targetGeom = GeomHandle(index: 1), tableGeom = GeomHandle(index: 2)
    static let fingerGeom = GeomHandle(index: 3)
    static let actors: [GeomHandle: Actor] = [sourceGeom: .object(role: "source"), targetGeom: .object(role: "target"),
                                              tableGeom: .prop(name: "table"), fingerGeom: .robot(link: "left_finger_link")]
    static func contact(_ a: GeomHandle, _ b: GeomHandle, _ j: Vec3) -> ContactRecord {
        ContactRecord(geomA: a, geomB: b, bodyA: nil, bodyB: nil, position: .zero, normal: .unitZ, depth: 0, impulseOnA: j)
    }

    @Test func exclusiveContactThreshold() {
        func only(_ cs: [ContactRecord]) -> Bool {
            OnTargetPredicate.touchesOnly(.object(role: "source"), allowed: .object(role: "target"),
                                       contacts: ContactQuery(contacts: cs, actorOf: Self.actors), threshold: 1e-6)
        }
        #expect(only([]))
        #expect(only([Self.contact(Self.sourceGeom, Self.targetGeom, Vec3(0, 0, 0.01))]))
        #expect(only([Self.contact(Self.fingerGeom, Self.sourceGeom, Vec3(0, 0.5, 0))]))
        #expect(only([Self.contact(Self.sourceGeom, Self.tableGeom, Vec3(0, 0, 0.9e-6))]))
        #expect(!only([Self.contact(Self.sourceGeom, Self.tableGeom, Vec3(0, 0, 1.1e-6))]))
        // Impulses from one other actor are summed before thresholding; the table may be geom B as well.
        #expect(only([Self.contact(Self.tableGeom, Self.sourceGeom, Vec3(0, 0, 2e-6)),
                      Self.contact(Self.sourceGeom, Self.tableGeom, Vec3(0, 0, 2e-6))]))
    }

    /// The finger test on a real settled scene with constructed finger contacts: magnitude and angle edges.
    @Test func graspNeedsBothFingersWithinTheAngle() throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: "widowx_stack_cube", root: SettleTests.root)
            let ep = try Episode(assets: assets, index: 0)
            let geomOf: [String: GeomHandle] = Dictionary(ep.actorOf.compactMap { g, a in
                if case .robot(let l) = a, l.hasSuffix("finger_link") { return (l, g) } else { return nil }
            }, uniquingKeysWith: { a, _ in a })
            let src = ep.actorOf.first { $0.value == .object(role: "source") }!.key
            let left = ep.linkPose("left_finger_link")!.q, right = ep.linkPose("right_finger_link")!.q
            func grasped(_ jl: Vec3, _ jr: Vec3) -> Bool {
                let cs = [Self.contact(geomOf["left_finger_link"]!, src, jl), Self.contact(src, geomOf["right_finger_link"]!, -jr)]
                return GraspCheck.isGrasped(.object(role: "source"), grasp: ep.assets.setup.grasp!, contacts: ContactQuery(contacts: cs, actorOf: ep.actorOf), linkPose: ep.linkPose)
            }
            let openL = left.act(Vec3(0, 1, 0)), openR = right.act(Vec3(0, -1, 0))
            let side = left.act(Vec3(0, 0, 1))
            #expect(grasped(openL * 0.01, openR * 0.01))
            #expect(!grasped(openL * 0.01, .zero))
            #expect(!grasped(openL * 0.9e-6, openR * 0.01))
            func tilt(_ axis: Vec3, _ deg: Double) -> Vec3 {
                (axis * cos(deg * .pi / 180) + side * sin(deg * .pi / 180)) * 0.01
            }
            #expect(grasped(tilt(openL, 59), openR * 0.01))
            #expect(!grasped(tilt(openL, 61), openR * 0.01))
        }
    }
}
