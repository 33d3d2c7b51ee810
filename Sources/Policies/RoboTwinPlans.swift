import Foundation
import VLMath

/// The waypoint plans of `RoboTwinExpert`, one per RoboTwin task (RoboTwin envs/<task>.py describes RoboTwin's own
/// expert for each; these follow the same idea with our grasps).
enum RoboTwinPlans {
    typealias W = RoboTwinExpert.Waypoint
    typealias E = RoboTwinExpert

    /// Horizontal angle of an object frame's axis.
    static func heading(_ f: Pose, _ axis: Vec3) -> Double { let a = f.q.act(axis); return atan2(a.y, a.x) }

    /// beat_block_hammer: grip the handle, lift, bring the head's face down onto the block's top.
    static func beatBlockHammer(_ s: E.Scene) throws -> [W] {
        let hammer = try s.frame("hammer"), face = try s.point("hammer", "face"), top = try s.point("block", "top")
        let jaw = E.jaw(across: heading(hammer, .unitX))
        var w = E.pick(hammer.p, jaw: jaw, lift: 0.07)
        let grip = w[w.count - 2].at, offset = face - grip
        let strike = top - offset + Vec3(0, 0, -0.005)
        w += [W(at: strike + Vec3(0, 0, 0.05), jaw: jaw, gripper: 0), W(at: strike, jaw: jaw, gripper: 0)]
        return w
    }

    /// click_bell: a closed gripper above the bell's contact point, pressed onto the button, lifted back.
    static func clickBell(_ s: E.Scene) throws -> [W] {
        let cp = try s.point("bell", "contact"), top = try s.top("bell")
        let above = Vec3(cp.x, cp.y, top + E.padBelowTCP + 0.10), press = Vec3(cp.x, cp.y, top + E.padBelowTCP - 0.01)
        return [W(at: above, jaw: .pi, gripper: 0), W(at: press, jaw: .pi, gripper: 0), W(at: above, jaw: .pi, gripper: 0)]
    }

    /// Picks an upright object 3 cm below its top and sets it down at `target` (xy) with its origin at `restZ`, then
    /// opens and backs off. `tilt` and `jaw` choose the grasp: from
    /// the robot's side with the jaw along x, or from above with the jaw along y so the opening fingers stay clear
    /// of whatever stands beside the object in x.
    static func carryUpright(_ s: E.Scene, role: String, target: Vec3, restZ: Double,
                             lift: Double = 0.08, tilt: Double = 0, jaw: Double = .pi) throws -> [W] {
        let f = try s.frame(role)
        let graspZ = try s.top(role) - 0.03
        var w = E.pick(Vec3(f.p.x, f.p.y, graspZ), jaw: jaw, lift: lift, tilt: tilt)
        let grip = w[w.count - 2].at.z - f.p.z  // TCP above the object's origin while held
        let place = Vec3(target.x, target.y, restZ + grip)
        let back = tilt > .pi / 4 ? Vec3(0, 0, 0.08) : Vec3(0, -0.08, 0.02)
        w += [W(at: place + Vec3(0, 0, lift), jaw: jaw, gripper: 0, tilt: tilt), W(at: place, jaw: jaw, gripper: 0, tilt: tilt),
              W(at: place, jaw: jaw, gripper: 1, tilt: tilt), W(at: place + back, jaw: jaw, gripper: 1, tilt: tilt)]
        return w
    }

    /// move_pillbottle_pad: the bottle onto the pad's centre.
    static func movePillbottlePad(_ s: E.Scene) throws -> [W] {
        let pad = try s.frame("pad")
        return try carryUpright(s, role: "pillbottle", target: pad.p, restZ: E.tableTop + 0.003)
    }

    /// move_can_pot: the can carried above the pot's rim (the 10 g pot slides at a touch) and set down beside it,
    /// 0.196 m from its centre on the arm's side (RoboTwin's expert aims at 0.18; our pots' handle bars reach 0.12
    /// and the fingers around the can 0.0625 past its axis).
    static func moveCanPot(_ s: E.Scene) throws -> [W] {
        let pot = try s.frame("pot"), rim = try s.top("pot") - pot.p.z
        return try carryUpright(s, role: "can", target: pot.p + Vec3(s.side * 0.196, 0, 0), restZ: E.tableTop + 0.003,
                                lift: max(0.08, rim + 0.03))
    }

    /// move_playingcard_away: grip the card box across its narrow side, carry it outwards past |x| = 0.23, release.
    static func movePlayingcardAway(_ s: E.Scene) throws -> [W] {
        let card = try s.frame("playingcards"), half = s.halfExtents["playingcards"] ?? Vec3(0.03, 0.05, 0.011)
        let jaw = E.jaw(across: heading(card, half.x < half.y ? .unitX : .unitY))
        var w = E.pick(Vec3(card.p.x, card.p.y, try s.top("playingcards")), jaw: jaw, lift: 0.05)
        let away = Vec3(s.side * 0.33, card.p.y, w.last!.at.z)
        w += [W(at: away, jaw: jaw, gripper: 0), W(at: away, jaw: jaw, gripper: 1), W(at: away + Vec3(0, 0, 0.06), jaw: jaw, gripper: 1)]
        return w
    }

    /// shake_bottle: grip the lying bottle across its body (or its neck when the body is wider than the jaw), lift,
    /// shake twice sideways.
    static func shakeBottle(_ s: E.Scene) throws -> [W] {
        let bottle = try s.frame("bottle"), r = s.halfExtents["bottle"]?.x ?? 0.04
        let p = try s.point("bottle", r <= 0.0425 ? "body" : "neck")
        let jaw = E.jaw(across: heading(bottle, .unitZ) + .pi / 2)
        var w = E.pick(p, jaw: jaw, lift: 0.10)
        let up = w.last!.at
        for dx in [0.05, -0.05, 0.0] { w.append(W(at: up + Vec3(dx, 0, 0), jaw: jaw, gripper: 0)) }
        return w
    }
}
