import Foundation
import Physics
import VLMath

/// Task success and episode statistics at the current control step (simplerenv-tasks.md §2.6, §2.7).
public struct TaskEvaluation: Sendable, Equatable {
    public var success = false
    /// The source object was grasped at some step so far (Bridge "grasp"/partial success, §2.7).
    public var graspedEver = false
    public var graspedNow = false
    /// Grasped for ≥ 5 consecutive control steps at some point.
    public var consecutiveGrasp = false
    public var movedCorrectObject = false
    public var movedWrongObject = false
    public var sourceOnTarget = false
    public var sourceTouchesOnlyTarget = true

    public init() {}

    /// Final-step statistics for the results file.
    public var stats: [String: Bool] {
        ["consecutive_grasp": consecutiveGrasp, "grasped_now": graspedNow, "moved_correct_obj": movedCorrectObject,
         "moved_wrong_obj": movedWrongObject, "src_on_target": sourceOnTarget]
    }
}

/// Evaluates SimplerEnv's `on_target` predicate and accumulates the grasp statistics step by step.
struct SuccessTracker {
    let spec: SuccessSpec
    let grasp: GraspConfig
    private var consecutive = 0
    private var graspedEver = false
    private var consecutiveEver = false

    /// Consecutive grasped control steps that count as a stable grasp (§2.7).
    static let consecutiveGraspSteps = 5
    /// Displacement that counts as "moved" for moved_correct/wrong_obj (§2.7).
    static let movedThreshold = 0.03

    init(spec: SuccessSpec, grasp: GraspConfig) { self.spec = spec; self.grasp = grasp }

    mutating func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        guard let src = ep.objects["source"], let tgt = ep.objects["target"] else { return e }
        let s = ep.world.pose(of: src.body).p, t = ep.world.pose(of: tgt.body).p
        e.sourceOnTarget = Self.onTarget(source: s, target: t, sourceBBox: src.settledBBox, targetBBox: tgt.settledBBox,
                                         xyMargin: spec.xyMargin, zSlack: spec.zSlack)
        e.sourceTouchesOnlyTarget = Self.touchesOnly(.object(role: "source"), allowed: .object(role: "target"),
                                                     contacts: contacts, threshold: spec.contactImpulse)
        e.success = e.sourceOnTarget && (!spec.exclusiveContact || e.sourceTouchesOnlyTarget)

        e.graspedNow = isGrasped(.object(role: "source"), ep: ep, contacts: contacts)
        consecutive = e.graspedNow ? consecutive + 1 : 0
        graspedEver = graspedEver || e.graspedNow
        consecutiveEver = consecutiveEver || consecutive >= Self.consecutiveGraspSteps
        e.graspedEver = graspedEver
        e.consecutiveGrasp = consecutiveEver

        let ds = (s - src.settledPose.p).normXY, dt = (t - tgt.settledPose.p).normXY
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

    /// WidowX `check_grasp` (§1.5): each finger feels an impulse from the object of at least `min_impulse`, within
    /// `max_angle` of its opening direction.
    func isGrasped(_ object: Actor, ep: Episode, contacts: ContactQuery) -> Bool {
        let maxAngle = grasp.maxAngleDegrees * .pi / 180
        for finger in grasp.fingers {
            let j = contacts.impulse(onRobotLinks: finger.links, from: object)
            guard j.norm >= grasp.minImpulse, let pose = ep.linkPose(finger.links[0]) else { return false }
            let axis = pose.q.act(finger.axis)
            let angle = acos((j.dot(axis) / j.norm).clamped(-1, 1))
            if angle > maxAngle { return false }
        }
        return true
    }
}
