import Foundation
import Physics
import Policies
import Sim
import VLMath

/// The contact study of docs/collision.md (on demand, never run by the tests).
///
/// `vlaser-perf collision-contacts [--primitives]`: drop, release, push and tumble cases of light objects on the Bridge
/// table in ODE, one JSON line per case, the same cases as benchmarks/collision/sapien_reference.py runs in PhysX.
/// `vlaser-perf collision-grasps [--primitives] [episodes-per-task]`: the scripted expert grasping off-centre by 1–3 cm,
/// along and across the object, and what the grasp does (drop, slip, pivot). The asset copy is located as for `sim`.
enum CollisionStudy {
    static let tableTop = 0.87
    static let dt = 1.0 / 500

    static func assets(_ args: [String], task: String) throws -> TaskAssets {
        try TaskAssets(task: task, collision: args.contains("--primitives") ? .primitives : .locate)
    }

    // MARK: Contacts

    static func contacts(_ args: [String]) throws {
        let a = try assets(args, task: "widowx_stack_cube")
        let carrotAssets = try assets(args, task: "widowx_carrot_on_plate")
        let spoonAssets = try assets(args, task: "widowx_spoon_on_towel")
        func library(_ id: String) -> TaskAssets {
            id.contains("carrot") || id.contains("plate") ? carrotAssets : id.contains("spoon") ? spoonAssets : a
        }
        func world() throws -> PhysicsWorld {
            var s = PhysicsSettings(); s.timeStep = dt
            let w = PhysicsWorld(settings: s)
            try w.addGeom(.box(size: Vec3(1.6, 1.6, 0.1)), body: nil, offset: Pose(p: Vec3(-0.3, 0, tableTop - 0.05)))
            return w
        }
        func run(_ w: PhysicsWorld, _ seconds: Double, _ each: () -> Void = {}) throws {
            for _ in 0..<Int((seconds / dt).rounded()) { each(); try w.step() }
        }
        func origin(_ w: PhysicsWorld, _ o: (body: BodyHandle, modelInBody: Pose)) -> Pose { w.pose(of: o.body) * o.modelInBody }
        func state(_ p: Pose) -> [String: Any] {
            let tilt = acos(p.q.act(.unitZ).z.clamped(-1, 1)) * 180 / .pi
            let x = p.q.act(.unitX)
            return ["p": [p.p.x, p.p.y, p.p.z].map { ($0 * 1e5).rounded() / 1e5 }, "tilt": (tilt * 100).rounded() / 100,
                    "yaw": (atan2(x.y, x.x) * 180 / .pi * 100).rounded() / 100]
        }
        func emit(_ fields: [String: Any]) throws {
            let d = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            print(String(decoding: d, as: UTF8.self))
        }
        let mm = { (d: Double) in (d * 1e5).rounded() / 100 }

        for h in [0.01, 0.03, 0.065, 0.10] {
            for dx in [0.0, 0.005, 0.010, 0.015] {
                let w = try world()
                let yellow = try a.addObject("baked_yellow_cube_3cm", at: Pose(p: Vec3(0, 0, tableTop + 0.015)), in: w)
                try run(w, 0.3)
                let green = try a.addObject("baked_green_cube_3cm", at: Pose(p: Vec3(dx, 0, tableTop + 0.045 + h)), in: w)
                let y0 = origin(w, yellow).p
                try run(w, 1.5)
                let g = origin(w, green).p, y = origin(w, yellow).p
                let stacked = g.z - y.z > 0.02 && (g - y).normXY <= 0.0242
                try emit(["case": "drop_on_cube", "h": h, "dx": dx, "green": state(origin(w, green)),
                          "yellow_moved_mm": mm((y - y0).norm), "stacked": stacked])
            }
        }
        for h in [0.01, 0.04] {
            for dx in [0.0, 0.02, 0.04] {
                let w = try world()
                let plate = try library("plate").addObject("bridge_plate_objaverse_larger", at: Pose(p: Vec3(0, 0, tableTop)), in: w)
                try run(w, 0.3)
                let carrot = try library("carrot").addObject("bridge_carrot_generated_modified",
                                                              at: Pose(p: Vec3(dx, 0, tableTop + 0.006 + 0.0178 + h)), in: w)
                let p0 = origin(w, plate).p
                try run(w, 1.5)
                let c = origin(w, carrot).p, p = origin(w, plate).p
                try emit(["case": "release_over_plate", "h": h, "dx": dx, "carrot": state(origin(w, carrot)),
                          "plate_moved_mm": mm((p - p0).norm), "on_plate": (c - p).normXY <= 0.0808 && c.z > p.z])
            }
        }
        let pushed: [(String, Double)] = [("baked_green_cube_3cm", tableTop + 0.015), ("bridge_plate_objaverse_larger", tableTop),
                                          ("bridge_carrot_generated_modified", tableTop + 0.0178),
                                          ("bridge_spoon_generated_modified", tableTop + 0.0117)]
        for (id, z) in pushed {
            for dy in [0.0, 0.01] {
                let w = try world()
                let o = try library(id).addObject(id, at: Pose(p: Vec3(0, 0, z)), in: w)
                try run(w, 0.3)
                let o0 = origin(w, o).p
                let size = Vec3(0.02, 0.016, 0.03)
                let finger = w.addBody(name: "pusher", pose: Pose(p: Vec3(-0.09, dy, tableTop + 0.001 + 0.015)),
                                       mass: .solid(.box(size: size), mass: 10), kinematic: true)
                try w.addGeom(.box(size: size), body: finger)
                let speed = 0.05
                try run(w, 0.12 / speed) { w.setVelocity(finger, linear: Vec3(speed, 0, 0), angular: .zero) }
                try run(w, 0.5) { w.setVelocity(finger, linear: .zero, angular: .zero) }
                try emit(["case": "push", "model": id, "dy": dy, "object": state(origin(w, o)), "moved_mm": mm((origin(w, o).p - o0).norm)])
            }
        }
        let tumbled: [(String, Double)] = [("bridge_spoon_generated_modified", 30), ("bridge_carrot_generated_modified", 60),
                                           ("eggplant", 45), ("baked_green_cube_3cm", 30)]
        let eggAssets = try assets(args, task: "widowx_put_eggplant_in_basket")
        for (id, roll) in tumbled {
            let w = try world()
            let o = try (id == "eggplant" ? eggAssets : library(id)).addObject(
                id, at: Pose(p: Vec3(0, 0, tableTop + 0.06), q: Quat(axis: .unitX, angle: roll * .pi / 180)), in: w)
            try run(w, 2.0)
            try emit(["case": "tumble", "model": id, "roll": roll, "object": state(origin(w, o))])
        }
    }

    // MARK: Offset grasps

    /// Shows the expert the source object displaced by `offset` (in the object's frame), so it grasps off-centre by
    /// that much and plans the rest of the pick-and-place consistently with it.
    final class OffsetExpert: Policy {
        let expert = ScriptedExpert()
        let offset: Vec3
        private(set) var gripper = 1.0
        init(offset: Vec3) { self.offset = offset }
        var observationSpec: ObservationSpec { expert.observationSpec }
        func reset(_ episode: EpisodeContext) throws { try expert.reset(episode) }
        func act(_ observation: Observation) throws -> [[Double]] {
            var obs = observation
            if let src = obs.privileged?.objectPoses["source"] {
                obs.privileged!.objectPoses["source"] = Pose(p: src.p + src.q.act(offset), q: src.q)
            }
            let a = try expert.act(obs)
            gripper = a.last?[6] ?? 1
            return a
        }
    }

    static func grasps(_ args: [String]) throws {
        let perTask = args.compactMap(Int.init).first ?? 8
        print("task                      axis    offset  success  grasped  drops  slip mm (mean/max)  pivot deg (mean/max)")
        for task in ["widowx_spoon_on_towel", "widowx_carrot_on_plate"] {
            let a = try assets(args, task: task)
            for (axis, dir) in [("along", Vec3.unitX), ("across", Vec3.unitY)] {
                for cm in [0.0, 1, 2, 3] where axis == "along" || cm > 0 {
                    var success = 0, grasped = 0, drops = 0, slips: [Double] = [], pivots: [Double] = []
                    for k in 0..<perTask {
                        let ep = try Episode(assets: a, index: k * a.episodeCount / perTask)
                        let policy = OffsetExpert(offset: dir * (cm / 100))
                        try policy.reset(EpisodeContext(episodeID: "\(task)/\(k)", suite: "widowx", task: task, seed: 0,
                                                        instruction: ep.instruction, maxSteps: a.task.maxSteps,
                                                        controlFrequency: a.controlFrequency))
                        var held: Pose?, slip = 0.0, pivot = 0.0, closedSteps = 0, wasHeld = false, dropped = false
                        while !ep.isDone {
                            let obs = ep.observe(policy.observationSpec, instruction: ep.instruction)
                            for action in try policy.act(obs) where !ep.isDone { try ep.apply(action) }
                            closedSteps = policy.gripper < 0 ? closedSteps + 1 : 0
                            let tcp = ep.basePose * ep.robotState().tcpPose
                            let rel = tcp.inverse * ep.objectPose("source")!
                            if ep.evaluation.graspedNow && closedSteps > 0 {
                                if let h = held {
                                    slip = max(slip, (rel.p - h.p).norm)
                                    pivot = max(pivot, (h.q.conjugate * rel.q).normalized.angle * 180 / .pi)
                                } else { held = rel }
                                wasHeld = true
                            } else if wasHeld && closedSteps > 2 { dropped = true }
                        }
                        success += ep.evaluation.success ? 1 : 0
                        grasped += ep.evaluation.graspedEver ? 1 : 0
                        drops += dropped ? 1 : 0
                        if held != nil { slips.append(slip * 1000); pivots.append(pivot) }
                    }
                    func stat(_ v: [Double]) -> String {
                        v.isEmpty ? "–" : String(format: "%.1f / %.1f", v.reduce(0, +) / Double(v.count), v.max()!)
                    }
                    print(task.padding(toLength: 26, withPad: " ", startingAt: 0) + axis.padding(toLength: 8, withPad: " ", startingAt: 0)
                          + String(format: "%4.0f cm %5d/%-3d %5d/%-3d %5d  ", cm, success, perTask, grasped, perTask, drops)
                          + stat(slips).padding(toLength: 20, withPad: " ", startingAt: 0) + stat(pivots))
                }
            }
        }
    }
}
