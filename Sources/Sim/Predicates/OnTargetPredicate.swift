import Foundation
import Physics
import VLMath

/// SimplerEnv's Bridge predicate `on_target` (simplerenv-tasks.md §2.6) with the grasp and moved-object
/// statistics of §2.7, evaluated once per control step.
final class OnTargetPredicate: TaskPredicate {
    let spec: SuccessSpec
    let grasp: GraspConfig
    private var consecutive = 0
    private var graspedEver = false
    private var consecutiveEver = false

    /// Consecutive grasped control steps that count as a stable grasp (§2.7).
    static let consecutiveGraspSteps = 5
    /// Displacement that counts as "moved" for moved_correct/wrong_obj (§2.7).
    static let movedThreshold = 0.03

    init(_ spec: SuccessSpec, grasp: GraspConfig) {
        self.spec = spec; self.grasp = grasp
    }

    func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        e.tracksGrasp = true
        guard let src = ep.objects["source"], let tgt = ep.objects["target"] else { return e }
        let s = ep.world.pose(of: src.body).p, t = ep.world.pose(of: tgt.body).p
        e.sourceOnTarget = Self.onTarget(source: s, target: t, sourceBBox: src.settledBBox, targetBBox: tgt.settledBBox,
                                         xyMargin: spec.xyMargin ?? 0, zSlack: spec.zSlack ?? 0)
        e.sourceTouchesOnlyTarget = Self.touchesOnly(.object(role: "source"), allowed: .object(role: "target"),
                                                     contacts: contacts, threshold: spec.contactImpulse)
        e.success = e.sourceOnTarget && (!(spec.exclusiveContact ?? false) || e.sourceTouchesOnlyTarget)

        e.graspedNow = GraspCheck.isGrasped(.object(role: "source"), grasp: grasp, contacts: contacts, linkPose: ep.linkPose)
        consecutive = e.graspedNow ? consecutive + 1 : 0
        graspedEver = graspedEver || e.graspedNow
        consecutiveEver = consecutiveEver || consecutive >= Self.consecutiveGraspSteps
        e.graspedEver = graspedEver
        e.consecutiveGrasp = consecutiveEver

        let ds = (src.origin(ep.world).p - src.settledOrigin.p).normXY, dt = (tgt.origin(ep.world).p - tgt.settledOrigin.p).normXY
        e.movedCorrectObject = ds > Self.movedThreshold && ds > dt
        e.movedWrongObject = dt > Self.movedThreshold && dt > ds
        return e
    }

    /// Source centre within the target's half-diagonal + margin in xy, and above it within the z window (§2.6).
    static func onTarget(source s: Vec3, target t: Vec3, sourceBBox: Vec3, targetBBox: Vec3,
                         xyMargin: Double, zSlack: Double) -> Bool {
        let o = s - t
        let ht = targetBBox / 2, hs = sourceBBox / 2
        let xy = o.normXY <= Vec3(ht.x, ht.y, 0).norm + xyMargin
        let z = o.z > 0 && o.z - ht.z - hs.z <= zSlack
        return xy && z
    }

    /// No contact impulse above `threshold` between `actor` and anything but `allowed` or the robot (§1.5, §2.6).
    static func touchesOnly(_ actor: Actor, allowed: Actor, contacts: ContactQuery, threshold: Double) -> Bool {
        for (other, j) in contacts.impulses(on: actor) where other != allowed && !other.isRobot {
            if j.norm > threshold { return false }
        }
        return true
    }
}

/// The finger-contact grasp tests of §1.5.
enum GraspCheck {
    /// WidowX `check_grasp`: each finger feels an impulse from the object of at least `min_impulse`, within
    /// `max_angle` of its opening direction. Google (`per_link`): per side, the larger of the link impulses reaches
    /// `min_impulse` and the best of the links' angles is within `max_angle` (80°).
    static func isGrasped(_ object: Actor, grasp: GraspConfig, contacts: ContactQuery,
                          linkPose: (String) -> Pose?) -> Bool {
        let maxAngle = grasp.maxAngleDegrees * .pi / 180
        func angle(_ j: Vec3, _ link: String, _ axis: Vec3) -> Double? {
            guard j.norm > 0, let pose = linkPose(link) else { return nil }
            return acos((j.dot(pose.q.act(axis)) / j.norm).clamped(-1, 1))
        }
        for finger in grasp.fingers {
            if grasp.perLink == true {
                let js = finger.links.map { contacts.impulse(onRobotLinks: [$0], from: object) }
                guard js.map(\.norm).max() ?? 0 >= grasp.minImpulse else { return false }
                let best = zip(js, finger.links).compactMap { angle($0, $1, finger.axis) }.min() ?? .infinity
                if best > maxAngle { return false }
            } else {
                let j = contacts.impulse(onRobotLinks: finger.links, from: object)
                guard j.norm >= grasp.minImpulse, let a = angle(j, finger.links[0], finger.axis), a <= maxAngle else { return false }
            }
        }
        return true
    }
}
