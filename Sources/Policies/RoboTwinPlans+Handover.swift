import Foundation
import VLMath

/// The two-arm plans (RoboTwin envs/handover_mic.py, pick_diverse_bottles.py, place_burger_fries.py `play_once`):
/// the same arm choices and grasp/place order as RoboTwin's scripts, with our grasps.
extension RoboTwinPlans {
    /// `w` moved by `arm`.
    static func on(_ arm: Int, _ w: [W]) -> [W] { w.map { var w = $0; w.arm = arm; return w } }

    /// Two arms' waypoints side by side: the i-th of each in one action (the longer list's rest alone).
    static func together(_ a: [W], _ b: [W]) -> [W] {
        var out: [W] = []
        for i in 0..<max(a.count, b.count) {
            for (k, list) in [a, b].enumerated() where i < list.count {
                var w = list[i]
                w.withPrevious = k == 1 && i < a.count
                out.append(w)
            }
        }
        return out
    }

    /// Where the microphone's functional point is handed over: RoboTwin's `handover_middle_pose` (0, −0.05, 0.98)
    /// (envs/handover_mic.py) raised 2 cm, since the microphone droops in the first gripper and must stay above 0.92 m.
    static let handoverPoint = Vec3(0, -0.05, 1.0)

    /// handover_mic: the arm on the microphone's side grips it in the middle from above, lifts 12 cm and brings the
    /// functional point's end to the handover point, still pointing at the robot; the other arm comes from the
    /// robot's side and closes across that end wherever it has slipped to in the first gripper;
    /// the first arm opens and rises clear, and the receiver pulls the microphone 6 cm towards its own side.
    static func handoverMic(_ s: E.Scene) throws -> [W] {
        let grasp = s.arm, receive = 1 - grasp
        let mic = try s.frame("microphone"), fp = try s.point("microphone", "functional")
        let top = try s.top("microphone"), height = s.halfExtents["microphone"]?.z ?? 0.04
        // The TCP 3.5 cm below the top: the gripper body ends 3 cm above the TCP and must clear the microphone.
        let jaw = E.jaw(across: heading(mic, .unitX))
        var w = on(grasp, E.pick(Vec3(mic.p.x, mic.p.y, top - 0.035), jaw: jaw, lift: 0.12))
        let gripTCP = w[w.count - 2].at
        func handed(_ p: Vec3) -> Vec3 { handoverPoint + (p - fp) }
        w.append(W(at: handed(gripTCP), jaw: jaw, gripper: 0, arm: grasp))
        let receiveTCP = handed(Vec3(fp.x, fp.y, top - height / 2))
        let approach = on(receive, Array(E.pick(receiveTCP, jaw: .pi, tilt: 0).prefix(4)))
        w += approach.map { var w = $0; w.tracks = ("microphone", "functional", handoverPoint); return w }
        w.append(W(at: handed(gripTCP), jaw: jaw, gripper: 1, arm: grasp))
        w.append(W(at: handed(gripTCP) + Vec3(0, 0, 0.08), jaw: jaw, gripper: 1, arm: grasp))
        w.append(W(at: receiveTCP + Vec3(-s.side * 0.06, 0, 0), jaw: .pi, gripper: 0, tilt: 0, arm: receive,
                   tracks: ("microphone", "functional", handoverPoint)))
        return w
    }

    /// Where pick_diverse_bottles carries each bottle's functional point: inside RoboTwin's ±0.1 m of its targets
    /// (∓0.06, −0.105), farther apart (the widest bottles are 14.9 cm across) and 6 cm above the 0.89 m bar.
    static let bottleDrop = (x: 0.12, y: -0.06, z: 0.95)

    /// pick_diverse_bottles: both arms at once, each grips its bottle from the robot's side (the body when it fits
    /// the jaw, else the neck), lifts 10 cm and carries it to the front of the robot without releasing.
    static func pickDiverseBottles(_ s: E.Scene) throws -> [W] {
        let plans = try [(0, "left_bottle"), (1, "right_bottle")].map { arm, role -> [W] in
            let radius = s.halfExtents[role]?.x ?? 0.04
            let held = try s.point(role, radius <= 0.0425 ? "body" : "neck"), fp = try s.point(role, "functional")
            var w = E.pick(held, jaw: .pi, lift: 0.10, tilt: 0)
            let grip = w[w.count - 2].at, sign = arm == 0 ? -1.0 : 1.0
            let target = Vec3(sign * bottleDrop.x, bottleDrop.y, bottleDrop.z) + (grip - fp)
            w.append(W(at: Vec3(target.x, target.y, max(target.z, w.last!.at.z)), jaw: .pi, gripper: 0, tilt: 0))
            return on(arm, w)
        }
        return together(plans[0], plans[1])
    }

    /// A top grasp of a flat object across its narrower horizontal side, at its `middle` point (the frame's origin
    /// when it has none), after a push when an open pad would come down on another object (`clearingPush`; the grasp
    /// then tracks `middle`). Returns the waypoints and the scene as the plan expects it after them.
    static func pickFlat(_ s: E.Scene, _ role: String, lift: Double) throws -> (waypoints: [W], scene: E.Scene) {
        let f = try s.frame(role), half = s.halfExtents[role] ?? Vec3(0.03, 0.03, 0.02)
        let centre = s.points[role]?["middle"] ?? f.p, top = try s.top(role)
        let jaw = E.jaw(across: heading(f, half.x < half.y ? .unitX : .unitY))
        let push = try E.clearingPush(s, role, grasp: Vec3(centre.x, centre.y, E.graspHeight(top)), jaw: jaw)
        let after = s.moving(role, by: push.moved)
        var w = E.pick(Vec3(centre.x, centre.y, top) + push.moved, jaw: jaw, lift: lift)
        if !push.waypoints.isEmpty, let middle = after.points[role]?["middle"] {
            w = w.map { var w = $0; w.tracks = (role, "middle", middle); return w }
        }
        w = push.waypoints + w
        // First above a point 6 cm nearer the robot: from the folded home, IK for the far approach point can pick a
        // branch whose straight joint move sweeps the arm under the table's edge.
        return ([W(at: w[0].at - Vec3(0, 0.06, 0), jaw: w[0].jaw, gripper: w[0].gripper)] + w, after)
    }

    /// Carries a held object so its functional point lands over `slot`, just above it, opens and backs off upwards.
    static func placeHeld(_ s: E.Scene, _ role: String, pick: [W], onto slot: Vec3) throws -> [W] {
        let grip = pick[pick.count - 2], fp = try s.point(role, "functional")
        let place = slot + (grip.at - fp) + Vec3(0, 0, 0.005)
        return [W(at: place + Vec3(0, 0, 0.08), jaw: grip.jaw, gripper: 0), W(at: place, jaw: grip.jaw, gripper: 0),
                W(at: place, jaw: grip.jaw, gripper: 1), W(at: place + Vec3(0, 0, 0.08), jaw: grip.jaw, gripper: 1)]
    }

    /// place_burger_fries: the left arm picks the hamburger and the right arm the fries at once, lifting 10 cm (fries
    /// lying so close to the tray that the open jaw would land on its rim are pushed clear first); the left sets the
    /// hamburger on the tray's left slot and opens; then, while the left moves aside, the right sets the fries on the
    /// right slot and opens.
    static func placeBurgerFries(_ s: E.Scene) throws -> [W] {
        let (burger, burgerScene) = try pickFlat(s, "hamburger", lift: 0.10)
        let (fries, friesScene) = try pickFlat(s, "fries", lift: 0.10)
        let leftSlot = try s.point("tray", "left_slot"), rightSlot = try s.point("tray", "right_slot")
        let placeBurger = try placeHeld(burgerScene, "hamburger", pick: burger, onto: leftSlot)
        let placeFries = try placeHeld(friesScene, "fries", pick: fries, onto: rightSlot)
        let aside = W(at: Vec3(-0.3, leftSlot.y - 0.05, placeBurger.last!.at.z), jaw: placeBurger.last!.jaw, gripper: 1)
        return together(on(0, burger), on(1, fries)) + on(0, placeBurger)
            + together(on(1, placeFries), on(0, [aside]))
    }
}
