import Evaluation
import Foundation
import Physics
import Policies
import Sim
import VLMath

/// The contact study of docs/collision.md (on demand, never run by the tests).
///
/// `vlaser-perf collision-contacts [--primitives] [--erp=X] [--cfm=X] [--max-correcting-vel=X]`: drop, release, push
/// and tumble cases of light objects on the Bridge table in ODE, one JSON line per case, the same cases as
/// benchmarks/collision/sapien_reference.py runs in PhysX; the options override the solver settings.
/// `vlaser-perf collision-settle [--primitives] [FRAMES_DIR]`: settled poses of the Bridge tasks against SimplerEnv's
/// reference frames (default ../shared/assets/simpler-reference-frames): position and tilt differences per object.
/// `vlaser-perf collision-grasp-rig [--primitives]`: a WidowX-like gripper on a stiff carriage grasps objects at points
/// along their long axis, lifts and carries them (benchmarks/collision/sapien_grasp_reference.py in PhysX).
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
        func option(_ name: String) -> Double? {
            args.first { $0.hasPrefix("--\(name)=") }.flatMap { Double($0.dropFirst(name.count + 3)) }
        }
        func world() throws -> PhysicsWorld {
            var s = PhysicsSettings(); s.timeStep = dt
            s.erp = option("erp") ?? s.erp
            s.cfm = option("cfm") ?? s.cfm
            s.maxCorrectingVelocity = option("max-correcting-vel") ?? s.maxCorrectingVelocity
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

    // MARK: Settled poses

    static func settle(_ args: [String]) throws {
        let frames = URL(fileURLWithPath: args.first { !$0.hasPrefix("--") } ?? "../shared/assets/simpler-reference-frames")
        struct Ref: Decodable {
            struct Object: Decodable { var name: String; var pose_world: P }
            struct P: Decodable { var p: [Double]; var q_wxyz: [Double] }
            var objects: [Object]
        }
        func tilt(_ q: Quat) -> Double { acos(q.act(.unitZ).z.clamped(-1, 1)) * 180 / .pi }
        print("task                           role    episodes  position mm (median / max)  tilt deg (median / max)")
        for task in try TaskAssets.taskNames(suite: "widowx") {
            let a = try assets(args, task: task)
            var byRole: [String: [(Double, Double)]] = [:]
            for index in stride(from: 0, to: a.episodeCount, by: 2) {
                let url = frames.appendingPathComponent("\(task)/\(index).json")
                guard let data = try? Data(contentsOf: url) else { continue }
                let ref = try JSONDecoder().decode(Ref.self, from: data)
                let ep = try Episode(assets: a, index: index)
                for (role, model) in ep.objectModels {
                    guard let r = ref.objects.first(where: { $0.name == model.id }), let mine = ep.objectPose(role) else { continue }
                    let q = r.pose_world.q_wxyz
                    let theirs = Quat(w: q[0], x: q[1], y: q[2], z: q[3])
                    let p = Vec3(r.pose_world.p[0], r.pose_world.p[1], r.pose_world.p[2])
                    byRole[role, default: []].append(((mine.p - p).norm * 1000, abs(tilt(mine.q) - tilt(theirs))))
                }
            }
            for (role, v) in byRole.sorted(by: { $0.key > $1.key }) {
                func stat(_ x: [Double]) -> String { let s = x.sorted(); return String(format: "%.2f / %.2f", s[s.count / 2], s.last!) }
                print(task.padding(toLength: 31, withPad: " ", startingAt: 0) + role.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + String(format: "%8d  ", v.count) + stat(v.map(\.0)).padding(toLength: 28, withPad: " ", startingAt: 0) + stat(v.map(\.1)))
            }
        }
    }

    // MARK: Grasp rig

    static func graspRig(_ args: [String]) throws {
        let cases: [(String, String, Double, [Double])] = [
            ("widowx_spoon_on_towel", "bridge_spoon_generated_modified", tableTop + 0.0117, [-0.0027, 0.0087, 0.02, 0.04]),
            ("widowx_carrot_on_plate", "bridge_carrot_generated_modified", tableTop + 0.0178, [-0.005, 0.0068, 0.03]),
            ("widowx_put_eggplant_in_basket", "eggplant", tableTop + 0.0203, [-0.0056, 0.0002, 0.02])]
        for (task, id, z, points) in cases {
            let lib = try assets(args, task: task)
            for x in points {
                let r = try graspOnce(lib, id, z, x)
                let d = try JSONSerialization.data(withJSONObject: ["case": "grasp", "model": id, "x": x].merging(r) { a, _ in a },
                                                   options: [.sortedKeys])
                print(String(decoding: d, as: UTF8.self))
            }
        }
    }

    /// Pad geometry of simplerenv-tasks.md §6.1 (the same numbers as the PhysX script).
    static let padHalf = Vec3(0.0145, 0.008, 0.02765)   // along the object axis, closing direction, vertical
    static let padAboveTCP = 0.01205
    static let open = 0.037, closed = 0.014

    static func graspOnce(_ lib: TaskAssets, _ id: String, _ z: Double, _ x: Double) throws -> [String: Any] {
        var s = PhysicsSettings(); s.timeStep = dt
        let w = PhysicsWorld(settings: s)
        try w.addGeom(.box(size: Vec3(1.6, 1.6, 0.1)), body: nil, offset: Pose(p: Vec3(-0.3, 0, tableTop - 0.05)))
        let o = try lib.addObject(id, at: Pose(p: Vec3(0, 0, z)), in: w)
        for _ in 0..<Int(1.0 / dt) { try w.step() }
        let origin = w.pose(of: o.body) * o.modelInBody
        let boundsZ = try lib.boundsCenter(id).z
        var tcp = origin.apply(Vec3(x, 0, 0))
        tcp.z = origin.p.z + boundsZ + 0.0051
        let palm = w.addBody(name: "palm", pose: Pose(p: tcp), mass: .solid(.sphere(radius: 0.01), mass: 0.2), kinematic: true)
        for side in [1.0, -1.0] {
            let size = Vec3(2 * padHalf.x, 2 * padHalf.y, 2 * padHalf.z)
            let f = w.addBody(name: "finger", pose: Pose(p: tcp + Vec3(0, side * (open - 0.003), padAboveTCP)),
                              mass: .solid(.box(size: size), mass: 0.01625))
            w.setGravityEnabled(f, false)
            try w.addGeom(.box(size: size), body: f, material: SurfaceMaterial(friction: 2.0), collisionGroup: 9)
            let j = w.addJoint(.slider, parent: palm, child: f, axis: Vec3(0, side, 0), limits: (0.015 - open)...0)
            w.setDrive(j, JointDrive(stiffness: 1000, damping: 200, forceLimit: 60, target: closed - open))
        }
        func moveTo(_ p: Vec3) throws {
            w.setVelocity(palm, linear: (p - w.pose(of: palm).p) / dt, angular: .zero)
            try w.step()
        }
        func relative() -> Pose { w.pose(of: palm).inverse * (w.pose(of: o.body) * o.modelInBody) }
        for _ in 0..<Int(0.4 / dt) { try moveTo(tcp) }
        let t0 = relative()
        let n = Int(1.0 / dt)
        for k in 0..<n { try moveTo(tcp + Vec3(0, 0, 0.10 * Double(k + 1) / Double(n))) }
        let t1 = relative()
        let m = Int(0.4 / dt)
        for k in 0..<m { try moveTo(tcp + Vec3(0.10 * Double(k + 1) / Double(m), 0, 0.10)) }
        for _ in 0..<Int(0.5 / dt) { try moveTo(tcp + Vec3(0.10, 0, 0.10)) }
        let t2 = relative()
        func deg(_ a: Pose, _ b: Pose) -> Double { ((a.q.conjugate * b.q).normalized.angle * 180 / .pi * 100).rounded() / 100 }
        func mm(_ a: Pose, _ b: Pose) -> Double { ((a.p - b.p).norm * 1e5).rounded() / 100 }
        return ["slip_lift_mm": mm(t0, t1), "pivot_lift_deg": deg(t0, t1), "slip_carry_mm": mm(t0, t2),
                "pivot_carry_deg": deg(t0, t2), "held": (w.pose(of: o.body) * o.modelInBody).p.z > z + 0.05]
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

    /// `vlaser-perf collision-trace TASK INDEX [--primitives]`: the expert's first 30 steps of one episode — phase,
    /// gripper command, finger joints, grasp, TCP and object pose (robot base frame).
    static func traceEpisode(_ args: [String]) throws {
        let positional = args.filter { !$0.hasPrefix("--") }
        guard positional.count == 2, let index = Int(positional[1]) else { throw EvaluationError.usage("collision-trace TASK INDEX") }
        let task = positional[0]
        let a = try assets(args, task: task)
        let ep = try Episode(assets: a, index: index)
        let policy = OffsetExpert(offset: .zero)
        try policy.reset(EpisodeContext(episodeID: "t", suite: "widowx", task: task, seed: 0, instruction: "", maxSteps: a.task.maxSteps, controlFrequency: 5))
        while !ep.isDone && ep.step < 30 {
            let obs = ep.observe(policy.observationSpec, instruction: "")
            for action in try policy.act(obs) { try ep.apply(action) }
            let tcp = ep.robotState().tcpPose
            let src = ep.privilegedState().objectPoses["source"]!
            let q = ep.jointPositions
            print(String(format: "%2d %@ g=%+.0f fingers=(%.4f %.4f) grasp=%d tcp=(%.3f %.3f %.4f) yaw=%.2f src=(%.3f %.3f %.4f) srcyaw=%.2f", ep.step, policy.expert.phaseName, policy.gripper, q["left_finger"] ?? -1, q["right_finger"] ?? -1, ep.evaluation.graspedNow ? 1 : 0, tcp.p.x, tcp.p.y, tcp.p.z, atan2(tcp.q.act(.unitY).y, tcp.q.act(.unitY).x), src.p.x, src.p.y, src.p.z, atan2(src.q.act(.unitX).y, src.q.act(.unitX).x)))
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
