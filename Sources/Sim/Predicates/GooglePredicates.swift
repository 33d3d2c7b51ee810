import Foundation
import Physics
import VLMath

/// Helpers shared by the Google Robot predicates (simplerenv-tasks.md §3.4–§3.7); thresholds come from the task
/// file (`success.thresholds`, each commented with its section there).
enum GooglePredicates {
    /// The object touches nothing but the robot above `threshold` (§1.5 "no foreign contact").
    static func touchesOnlyRobot(_ a: Actor, contacts: ContactQuery, threshold: Double) -> Bool {
        !contacts.impulses(on: a).contains { !$0.key.isRobot && $0.value.norm > threshold }
    }
}

/// Pick coke can (§3.4): a `lifted` latch cleared when not grasped and set when the can is more than `lift` above
/// its settled height with no foreign contact; success = latch now, or ≥ `significant_steps` steps with the latch
/// set and the can more than `significant_lift` up.
final class LiftPredicate: TaskPredicate {
    let grasp: GraspConfig
    let impulse: Double, lift: Double, significantLift: Double, significantSteps: Int, consecutiveSteps: Int
    private var consecutive = 0, significant = 0
    private var lifted = false, graspedEver = false, consecutiveEver = false

    init(_ spec: SuccessSpec, grasp: GraspConfig) throws {
        self.grasp = grasp
        impulse = spec.contactImpulse
        lift = try spec.threshold("lift")
        significantLift = try spec.threshold("significant_lift")
        significantSteps = Int(try spec.threshold("significant_steps"))
        consecutiveSteps = Int(try spec.threshold("consecutive_grasp_steps"))
    }

    func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        e.tracksGrasp = true
        guard let src = ep.objects["source"] else { return e }
        let source = Actor.object(role: "source")
        let grasped = GraspCheck.isGrasped(source, grasp: grasp, contacts: contacts, linkPose: ep.linkPose)
        let dz = src.origin(ep.world).p.z - src.settledOrigin.p.z  // actor-origin height (§3.4)
        consecutive = grasped ? consecutive + 1 : 0
        graspedEver = graspedEver || grasped
        consecutiveEver = consecutiveEver || consecutive >= consecutiveSteps
        if !grasped { lifted = false }
        if GooglePredicates.touchesOnlyRobot(source, contacts: contacts, threshold: impulse) && dz > lift { lifted = true }
        if lifted && dz > significantLift { significant += 1 }
        e.success = lifted || significant >= significantSteps
        e.graspedNow = grasped
        e.graspedEver = graspedEver
        e.consecutiveGrasp = consecutiveEver
        e.taskStats = ["consec_grasp": consecutiveEver, "grasped": graspedEver, "lifted_object": lifted,
                       "lifted_significantly_5": significant >= significantSteps]
        return e
    }
}

/// Move near (§3.5), current-step values: nothing knocked over, the source (and only it) moved, near the target,
/// and closer to it than to any other object.
final class MoveNearPredicate: TaskPredicate {
    let keepDistractor: Double, keepMoved: Double, moved: Double, nearMargin: Double, closestMargin: Double

    init(_ spec: SuccessSpec) throws {
        keepDistractor = try spec.threshold("distractor_keep_height")
        keepMoved = try spec.threshold("keep_height")
        moved = try spec.threshold("moved")
        nearMargin = try spec.threshold("near_margin")
        closestMargin = try spec.threshold("closest_margin")
    }

    func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        guard let src = ep.objects["source"], let tgt = ep.objects["target"] else { return e }
        let others = ep.objects.values.filter { $0.role != "source" && $0.role != "target" }.sorted { $0.role < $1.role }
        func p(_ o: SceneObject) -> Vec3 { ep.world.pose(of: o.body).p }
        func drop(_ o: SceneObject) -> Double { p(o).z - o.settledPose.p.z }
        func shift(_ o: SceneObject) -> Double { (p(o) - o.settledPose.p).normXY }
        let keep = others.allSatisfy { drop($0) > keepDistractor } && drop(src) > keepMoved && drop(tgt) > keepMoved
        let ds = shift(src)
        let rest = others + [tgt]
        let movedCorrect = ds > moved && rest.allSatisfy { shift($0) < ds }
        let movedWrong = rest.contains { shift($0) > moved && shift($0) > ds }
        let s = p(src), t = p(tgt)
        let reach = Vec3(tgt.settledBBox.x, tgt.settledBBox.y, 0).norm / 2 + Vec3(src.settledBBox.x, src.settledBBox.y, 0).norm / 2
        let dt = (s - t).normXY
        let near = dt < reach + nearMargin
        let closest = others.allSatisfy { dt < (s - p($0)).normXY + closestMargin }
        e.success = keep && movedCorrect && near && closest
        e.movedCorrectObject = movedCorrect
        e.movedWrongObject = movedWrong
        e.taskStats = ["all_obj_keep_height": keep, "moved_correct_obj": movedCorrect, "moved_wrong_obj": movedWrong,
                       "near_tgt_obj": near, "is_closest_to_tgt": closest]
        return e
    }
}

/// Open / close drawer (§3.6): the target drawer's joint at or beyond the threshold at the current step.
final class DrawerPredicate: TaskPredicate {
    let joint: String, opening: Bool, threshold: Double

    init(_ spec: SuccessSpec) throws {
        guard let j = spec.joint else { throw DataFileError(file: "success", field: "joint", message: "is required for \(spec.kind)") }
        joint = j
        opening = spec.kind == "drawer_open"
        threshold = try spec.threshold(opening ? "open" : "closed")
    }

    func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        let q = ep.propJoint(joint) ?? .nan
        e.success = opening ? q >= threshold : q <= threshold
        e.taskStats = [opening ? "drawer_open" : "drawer_closed": e.success]
        return e
    }
}

/// Open top drawer and place apple (§3.7): the last sub-task active, the drawer open at least `open`, and the apple
/// has touched the drawer's interior bottom at some evaluated step.
final class PlaceInDrawerPredicate: TaskPredicate {
    let joint: String, bottom: String, impulse: Double, open: Double, wideOpen: Double
    private var touched = false, openedWide = false

    init(_ spec: SuccessSpec) throws {
        guard let j = spec.joint, let b = spec.contactLink else {
            throw DataFileError(file: "success", field: spec.joint == nil ? "joint" : "contact_link", message: "is required for place_in_drawer")
        }
        joint = j; bottom = b; impulse = spec.contactImpulse
        open = try spec.threshold("open")
        wideOpen = try spec.threshold("wide_open")
    }

    func evaluate(_ ep: Episode, contacts: ContactQuery) -> TaskEvaluation {
        var e = TaskEvaluation()
        let q = ep.propJoint(joint) ?? .nan
        let j = contacts.impulses(on: .object(role: "source"))[.prop(name: bottom)] ?? .zero
        touched = touched || j.norm > impulse
        openedWide = openedWide || q >= wideOpen
        let lastSubtask = ep.subtaskIndex == (ep.assets.task.subtasks?.count ?? 0)
        e.success = lastSubtask && q >= open && touched
        e.taskStats = ["has_contact": touched, "is_drawer_open": openedWide, "final_subtask": lastSubtask]
        return e
    }
}
