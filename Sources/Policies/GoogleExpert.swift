import Foundation
import Sim
import VLMath

/// Privileged scripted experts for the Google Robot tasks (pick coke can, move near, drawers, apple in drawer).
/// Each task is a list of waypoints (TCP position, orientation, gripper) that the expert walks through with
/// bounded 7-D delta actions from the measured TCP — the same relative actions a VLA sends through the real
/// planner controller (simplerenv-tasks.md §3.3). Gripper values are relative: +1 closes, −1 opens, 0 holds.
/// Everything is in the robot base frame (x toward the scene, z up).
public final class GoogleExpert: Policy {
    /// A goal the TCP walks to; `hold` steps are spent there after arriving (or after `timeout`).
    struct Waypoint {
        var position: Vec3
        var orientation: Quat
        var gripper: Double
        var tolerance = 0.012
        var hold = 0
        var maxStep = GoogleExpert.freeSpaceStep
        /// When set, the TCP height is steered so the held source's centre reaches this height (where the object
        /// actually sits in the hand decides, not where the TCP is).
        var sourceHeight: Double?
        /// Steps after which the expert moves on even if the waypoint was not reached.
        var timeout = GoogleExpert.timeout
    }

    /// Tuning of our own policy (not from the spec).
    static let timeout = 20
    /// Step bound of free-space moves; slower moves are contact moves (pushing, pulling, placing).
    static let freeSpaceStep = 0.10
    static let maxRotationStep = 0.3
    /// Approach pitch below horizontal: the default pose's ≈ 71° to pick a can; 75° for move near (at 60° the lower
    /// finger meets the table before it closes on a 3.7 cm sponge); 60° for the apple on the cabinet top; a
    /// shallow 30° hook to open drawers so the fingers reach behind a drawer front while the palm stays clear of the
    /// board above (at 45° it met the top board from one base pose); 45° to push a drawer closed; 20° with the fingers closing horizontally for tall objects taken from the side.
    static let liftPitch = 71.0 * .pi / 180
    static let movePickPitch = 75.0 * .pi / 180
    static let applePitch = 60.0 * .pi / 180
    static let hookPitch = 30.0 * .pi / 180
    static let pushPitch = 45.0 * .pi / 180
    static let sidePitch = 20.0 * .pi / 180
    /// TCP height above the support: at most 4 cm for objects taken from above (deeper, the palm meets a standing
    /// can's rim), 7 cm for tall objects taken from the side.
    static let maxGraspHeight = 0.04
    static let sideGraspHeight = 0.07
    /// Horizontal distance from the base within which the carry pose is comfortably reachable (measured: farther,
    /// IK fails at the pick pitch and the arm stops, so places beyond it are penalised).
    static let comfortableReach = 0.70
    /// The source counts as held while its centre is this close to the TCP.
    static let heldRadius = 0.12

    let kind: String
    private var plan: [Waypoint] = []
    private var current = 0
    private var stepsHere = 0
    private var heldSteps = 0
    /// Scales free-space steps; halved while the TCP does not move (the planner controller holds the arm when IK
    /// fails, §3.3, which happens for long steps near the workspace edge), reset once it moves again. Contact moves
    /// stall by design and keep their step.
    private var stepScale = 1.0
    private var lastTCP: Vec3?
    private var targetDrawer = "top"

    public init(kind: String) { self.kind = kind }
    public var observationSpec: ObservationSpec { ObservationSpec(privileged: true) }
    public func reset(_ episode: EpisodeContext) throws {
        plan = []; current = 0; stepsHere = 0; heldSteps = 0; stepScale = 1; lastTCP = nil
        // The drawer named by the instruction ("open top drawer"); the apple task uses the top drawer.
        targetDrawer = ["top", "middle", "bottom"].first { episode.instruction.contains($0) } ?? "top"
    }

    public func act(_ obs: Observation) throws -> [[Double]] {
        guard let priv = obs.privileged else { throw PolicyError.missingPrivilegedState }
        if plan.isEmpty { plan = try makePlan(priv) }
        guard current < plan.count else { return [[0, 0, 0, 0, 0, 0, 0]] }
        var w = plan[current]
        let tcp = obs.robot.tcpPose
        // Steer by the held object only while it is in the hand (a dropped object must not send the arm flying).
        if let h = w.sourceHeight, let src = priv.objectPoses["source"], (src.p - tcp.p).norm < Self.heldRadius {
            w.position.z = tcp.p.z + (h - src.p.z)
        }
        var dp = w.position - tcp.p
        if let last = lastTCP, dp.norm > w.tolerance, w.maxStep >= Self.freeSpaceStep {
            stepScale = (tcp.p - last).norm < 0.002 ? max(stepScale / 2, 0.1) : 1
        }
        lastTCP = tcp.p
        let maxStep = w.maxStep * stepScale
        if dp.norm > maxStep { dp = dp * (maxStep / dp.norm) }
        var r = (w.orientation * tcp.q.conjugate).normalized.rotationVector
        if r.norm > Self.maxRotationStep { r = r * (Self.maxRotationStep / r.norm) }
        stepsHere += 1
        let arrived = (w.position - tcp.p).norm < w.tolerance || stepsHere >= w.timeout
        if arrived { heldSteps += 1 }
        if arrived && heldSteps > w.hold { current += 1; stepsHere = 0; heldSteps = 0; stepScale = 1 }
        return [[dp.x, dp.y, dp.z, r.x, r.y, r.z, w.gripper]]
    }

    /// Orientation with the approach axis (TCP z) pitched `pitch` below horizontal toward base +x rotated by `yaw`,
    /// fingers closing in the vertical plane of the approach (as in the default pose), then rolled by `roll` about
    /// the approach axis.
    static func approach(pitch: Double, yaw: Double, roll: Double = 0) -> Quat {
        let z = Vec3(cos(pitch), 0, -sin(pitch)), y = Vec3(-sin(pitch), 0, -cos(pitch))
        let x = y.cross(z)
        return (Quat(axis: .unitZ, angle: yaw) * Quat(Mat3(columns: x, y, z)) * Quat(axis: .unitZ, angle: roll)).normalized
    }

    func makePlan(_ p: PrivilegedState) throws -> [Waypoint] {
        switch kind {
        case "lift": return try liftPlan(p)
        case "move_near": return try moveNearPlan(p)
        case "drawer_open", "drawer_close", "place_in_drawer": return try drawerPlan(p)
        default: throw PolicyError.unknown("scripted expert for success kind '\(kind)'")
        }
    }

    /// Where and how the fingers close on an object (`grasp(_:half:pitch:)`).
    struct Grasp {
        var point: Vec3
        var roll: Double
        var pitch: Double
        /// Height of the surface the object rests on.
        var support: Double
        var orientation: Quat { GoogleExpert.approach(pitch: pitch, yaw: 0, roll: roll) }
    }

    /// Grasp point and wrist roll for an object: the TCP at the object's centre (kept above its support), fingers
    /// closing across the longer side of its footprint (a lying can's axis, a sponge's 10 cm side). Rolling about
    /// the approach axis (rather than turning the approach) keeps the closing direction horizontal, so both fingers
    /// meet the object at the same height and squeeze it evenly.
    static func grasp(_ pose: Pose, half: Vec3, pitch: Double) -> Grasp {
        let extent = pose.q.boundingHalfExtents(half)
        // Tall standing objects (the bottle) cannot enter the hand from above (the finger bases meet 8 cm above the
        // fingertips): take them from the side, fingers closing horizontally, low on the body.
        if extent.z > 2.5 * max(extent.x, extent.y) {
            let support = pose.p.z - extent.z
            return Grasp(point: Vec3(pose.p.x, pose.p.y, support + Self.sideGraspHeight), roll: .pi / 2, pitch: Self.sidePitch,
                         support: support)
        }
        let axes = [(pose.q.act(.unitX), half.x), (pose.q.act(.unitY), half.y), (pose.q.act(.unitZ), half.z)]
        let support = pose.p.z - pose.q.boundingHalfExtents(half).z
        let flat = axes.filter { abs($0.0.z) < 0.7 }.sorted { $0.1 > $1.1 }
        var roll = 0.0
        // Footprints within 20 % of square (upright cans, fruit) are taken across base x, the default pose's plane.
        if flat.count == 2 && flat[0].1 > 1.2 * flat[1].1 {
            // The rolled closing direction's horizontal part is (−sin(pitch)·cos θ, sin θ); make it ⟂ the long side.
            let long = flat[0].0
            roll = atan2(sin(pitch) * long.x, long.y)
            while roll > .pi / 2 { roll -= .pi }
            while roll <= -.pi / 2 { roll += .pi }
        }
        // A lying can is pinched 1 cm below its axis: squeezed above it, the fingers' arcs roll it out of the hand.
        let lyingCan = abs(pose.q.act(.unitY).z) < 0.7 && half.y > 1.6 * half.x
        let z = lyingCan ? max(pose.p.z - 0.01, support + 0.022) : min(max(pose.p.z, support + 0.025), support + Self.maxGraspHeight)
        return Grasp(point: Vec3(pose.p.x, pose.p.y, z), roll: roll, pitch: pitch, support: support)
    }

    /// Approach along the grasp's orientation, close, lift to `liftTo`.
    func pick(_ g: Grasp, liftTo: Double) -> [Waypoint] {
        let q = g.orientation
        // From the fingertips back along the approach.
        let pre = g.point + q.act(Vec3(0, 0, -1)) * 0.10
        return [
            Waypoint(position: pre, orientation: q, gripper: -1, tolerance: 0.02),
            Waypoint(position: g.point, orientation: q, gripper: -1, tolerance: 0.008, maxStep: 0.03),
            Waypoint(position: g.point, orientation: q, gripper: 1, tolerance: 1, hold: 3),
            Waypoint(position: Vec3(g.point.x, g.point.y, liftTo), orientation: q, gripper: 1, tolerance: 0.02, maxStep: 0.04),
        ]
    }

    func liftPlan(_ p: PrivilegedState) throws -> [Waypoint] {
        guard let s = p.objectPoses["source"], let h = p.objectHalfExtents["source"] else { throw PolicyError.missingPrivilegedState }
        var w = pick(Self.grasp(s, half: h, pitch: Self.liftPitch), liftTo: s.p.z + 0.15)
        w.append(Waypoint(position: w.last!.position, orientation: w.last!.orientation, gripper: 1, tolerance: 1, hold: 200))
        return w
    }

    func moveNearPlan(_ p: PrivilegedState) throws -> [Waypoint] {
        guard let s = p.objectPoses["source"], let t = p.objectPoses["target"], let hs = p.objectHalfExtents["source"],
              let ht = p.objectHalfExtents["target"] else { throw PolicyError.missingPrivilegedState }
        let others = p.objectPoses.filter { $0.key != "source" && $0.key != "target" }.map(\.value.p)
        let g = Self.grasp(s, half: hs, pitch: Self.movePickPitch)
        // Carry high enough that the held object's bottom clears every other object's top by 3 cm.
        let tops = p.objectPoses.filter { $0.key != "source" }.compactMap { kv in
            p.objectHalfExtents[kv.key].map { kv.value.p.z + kv.value.q.boundingHalfExtents($0).z }
        }
        let carry = max(g.support + 0.16, (tops.max() ?? 0) + (g.point.z - g.support) + 0.03)
        var w = pick(g, liftTo: carry)
        // Place beside the target, on the side facing away from any other object, clear of the target's footprint.
        // Half the success radius (bboxes as placed, §3.5) plus a 4 cm gap: clear of the target, well inside "near".
        func halfXY(_ q: Quat, _ h: Vec3) -> Double { let b = q.boundingHalfExtents(h); return hypot(b.x, b.y) }
        let reach = halfXY(t.q, ht) + halfXY(s.q, hs) + 0.04
        var best = Vec3.zero, bestScore = -Double.infinity
        for k in 0..<16 {
            let a = Double(k) * .pi / 8
            let c = t.p + Vec3(cos(a), sin(a), 0) * reach
            let clearance = others.map { ($0 - c).normXY }.min() ?? 1
            let fromSource = (c - s.p).normXY
            // Penalised: places out of comfortable reach (IK fails there and the arm stops) and places beyond the
            // target seen from the robot (the arm would reach over it).
            let beyond = max(0, (c - t.p).x)
            let score = min(clearance, 0.3) - 0.2 * fromSource - 2 * max(0, c.normXY - Self.comfortableReach) - beyond
            if score > bestScore { bestScore = score; best = c }
        }
        let q = w.last!.orientation
        let place = Vec3(best.x, best.y, g.point.z)
        w += [
            Waypoint(position: Vec3(place.x, place.y, carry), orientation: q, gripper: 1, tolerance: 0.02),
            Waypoint(position: place, orientation: q, gripper: 1, tolerance: 0.01, maxStep: 0.03, sourceHeight: s.p.z + 0.005),
            // Ease the squeeze off before opening fully: a sudden release pops a light object out of the fingers.
            Waypoint(position: place, orientation: q, gripper: -0.15, tolerance: 1, hold: 4),
            Waypoint(position: place, orientation: q, gripper: -1, tolerance: 1, hold: 1),
            Waypoint(position: place + Vec3(0, 0, 0.10), orientation: q, gripper: 0, tolerance: 0.02, maxStep: 0.03),
            Waypoint(position: place + Vec3(0, 0, 0.10), orientation: q, gripper: 0, tolerance: 1, hold: 200),
        ]
        return w
    }

    /// Open: hook the closed fingers behind the drawer front and pull. Close: push the front home. Apple: open,
    /// then pick the apple from the cabinet top and drop it into the open drawer.
    func drawerPlan(_ p: PrivilegedState) throws -> [Waypoint] {
        let name = targetDrawer
        guard let link = p.propLinkPoses["cabinet/\(name)_drawer"], let q0 = p.propJoints["cabinet/\(name)_drawer_joint"] else {
            throw PolicyError.missingPrivilegedState
        }
        let hook = Self.approach(pitch: kind == "drawer_close" ? Self.pushPitch : Self.hookPitch, yaw: atan2(-link.q.act(.unitX).y, -link.q.act(.unitX).x))
        func at(_ x: Double, _ z: Double, opening: Double) -> Vec3 { link.p + link.q.act(Vec3(x + opening - q0, 0, z)) }
        var w: [Waypoint] = []
        if kind == "drawer_close" {
            // Push the front home at mid-height, then lift clear before backing off (the fingers would hook it).
            // Low drawers are far down: wait until the fingers are in front of the front before pushing.
            w += [Waypoint(position: at(0.45, 0.03, opening: q0), orientation: hook, gripper: 1, tolerance: 0.02, timeout: 45),
                  Waypoint(position: at(0.36, 0.03, opening: q0), orientation: hook, gripper: 1, tolerance: 0.015, maxStep: 0.03),
                  Waypoint(position: at(0.30, 0.03, opening: -0.02), orientation: hook, gripper: 1, tolerance: 0.015, maxStep: 0.05),
                  Waypoint(position: at(0.33, 0.16, opening: 0), orientation: hook, gripper: 1, tolerance: 0.02, maxStep: 0.04),
                  Waypoint(position: at(0.45, 0.16, opening: 0), orientation: hook, gripper: 1, tolerance: 0.02),
                  Waypoint(position: at(0.45, 0.16, opening: 0), orientation: hook, gripper: 0, tolerance: 1, hold: 200)]
            return w
        }
        let pull = kind == "place_in_drawer" ? 0.30 : 0.24
        w += [Waypoint(position: at(0.40, 0.13, opening: 0), orientation: hook, gripper: 1, tolerance: 0.02),
              Waypoint(position: at(0.34, 0.12, opening: 0), orientation: hook, gripper: 1, tolerance: 0.012, maxStep: 0.03),
              Waypoint(position: at(0.27, 0.11, opening: 0), orientation: hook, gripper: 1, tolerance: 0.012, maxStep: 0.03),
              Waypoint(position: at(0.22, 0.0, opening: 0), orientation: hook, gripper: 1, tolerance: 0.012, maxStep: 0.03),
              Waypoint(position: at(0.22, 0.0, opening: pull), orientation: hook, gripper: 1, tolerance: 0.015, maxStep: 0.04),
              Waypoint(position: at(0.22, 0.15, opening: pull), orientation: hook, gripper: 1, tolerance: 0.02)]
        if kind == "drawer_open" {
            w.append(Waypoint(position: at(0.45, 0.15, opening: pull), orientation: hook, gripper: 0, tolerance: 1, hold: 200))
            return w
        }
        guard let apple = p.objectPoses["source"], let h = p.objectHalfExtents["source"] else { throw PolicyError.missingPrivilegedState }
        let above = apple.p.z + 0.15
        w.append(Waypoint(position: Vec3(apple.p.x, apple.p.y, above), orientation: hook, gripper: -1, tolerance: 0.03))
        w += pick(Self.grasp(apple, half: h, pitch: Self.applePitch), liftTo: above)
        let drop = at(0.16, 0.14, opening: pull)
        let q = w.last!.orientation
        w += [Waypoint(position: Vec3(drop.x, drop.y, above), orientation: q, gripper: 1, tolerance: 0.02),
              Waypoint(position: drop, orientation: q, gripper: 1, tolerance: 0.015, maxStep: 0.03),
              Waypoint(position: drop, orientation: q, gripper: -1, tolerance: 1, hold: 3),
              Waypoint(position: Vec3(drop.x, drop.y, above), orientation: q, gripper: -1, tolerance: 0.02),
              Waypoint(position: Vec3(drop.x, drop.y, above), orientation: q, gripper: 0, tolerance: 1, hold: 400)]
        return w
    }
}
