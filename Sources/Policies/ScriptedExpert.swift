import Foundation
import Sim
import VLMath

/// A privileged pick-and-place expert for the `on_target` tasks. It reads object poses, plans waypoints
/// (above source → grasp → lift → above target → place → release → retreat) and emits the same 7-D delta actions a
/// VLA would, so every episode exercises the real controller, IK and contact physics. It mirrors the controller's
/// target accumulation (align2, simplerenv-tasks.md §2.3) to know where its commands put the target.
public final class ScriptedExpert: Policy {
    enum Phase: Int { case approach, descend, close, lift, transport, lower, release, retreat }

    /// Tuning of the expert (not from the spec: it is our own policy).
    struct Tuning {
        var freeStep = 0.05          // m per action in free space
        var fineStep = 0.02          // m per action near objects
        var yawStep = 0.35           // rad per action
        var approachClearance = 0.07 // m above the source centre before descending
        var carryClearance = 0.10    // m above the higher of source and target while carrying
        var padBelowTCP = 0.0156     // finger pads reach this far past the TCP (widowx URDF, §6.1)
        var padClearance = 0.004     // keep pad tips this far above the object's support (a tilted wrist lowers one pad)
        var releaseDrop = 0.006      // release with the object's bottom this far above the target's top
        var coarseTolerance = 0.015
        var fineTolerance = 0.006
        var closeSteps = 3
        var releaseSteps = 2
        var phaseTimeout = 14
    }
    let tuning = Tuning()

    private var phase = Phase.approach
    public var phaseName: String { "\(phase)" }
    private var phaseSteps = 0
    private var commanded = Pose.identity  // the controller's target pose, tracked exactly
    private var yaw = 0.0                  // commanded rotation about base z since reset
    private var started = false
    private var graspOffset = Vec3.zero    // object centre − TCP at grasp time (base frame)
    private var graspZ = 0.0
    private var carryZ = 0.0               // fixed at the first step from the resting objects

    public init() {}
    public var observationSpec: ObservationSpec { ObservationSpec(privileged: true) }

    public func reset(_ episode: EpisodeContext) throws {
        phase = .approach; phaseSteps = 0; started = false; yaw = 0
    }

    public func act(_ obs: Observation) throws -> [[Double]] {
        guard let priv = obs.privileged, let src = priv.objectPoses["source"], let tgt = priv.objectPoses["target"],
              let hs = priv.objectHalfExtents["source"], let ht = priv.objectHalfExtents["target"] else {
            throw PolicyError.missingPrivilegedState
        }
        let tcp = obs.robot.tcpPose
        let t = tuning
        if !started { commanded = tcp; carryZ = max(src.p.z, tgt.p.z) + t.carryClearance; started = true }
        let desiredYaw = Self.graspYaw(src.q)
        graspZ = max(src.p.z, src.p.z - abs(src.q.act(hs).z) + t.padBelowTCP + t.padClearance)

        var goal = commanded.p, gripper = 1.0, targetYaw = yaw, fine = false, tol = t.coarseTolerance
        switch phase {
        case .approach:
            goal = Vec3(src.p.x, src.p.y, src.p.z + t.approachClearance); targetYaw = desiredYaw
        case .descend:
            goal = Vec3(src.p.x, src.p.y, graspZ); targetYaw = desiredYaw; fine = true; tol = t.fineTolerance
        case .close:
            goal = commanded.p; gripper = -1; targetYaw = yaw
        case .lift:
            goal = Vec3(commanded.p.x, commanded.p.y, carryZ); gripper = -1
        case .transport, .lower:
            // Steer the object (not the TCP) over the target, using where it actually sits in the hand.
            let off = src.p - tcp.p
            let placeZ = tgt.p.z + abs(tgt.q.act(ht).z) + abs(src.q.act(hs).z) + t.releaseDrop - off.z
            goal = Vec3(tgt.p.x - off.x, tgt.p.y - off.y, phase == .transport ? carryZ : placeZ)
            gripper = -1; fine = phase == .lower; tol = phase == .lower ? t.fineTolerance : t.coarseTolerance
        case .release:
            goal = commanded.p; gripper = 1
        case .retreat:
            goal = Vec3(commanded.p.x, commanded.p.y, carryZ); gripper = 1
        }

        // Move the commanded target toward the goal, bounded per step, and mirror the controller's update.
        let maxStep = fine ? t.fineStep : t.freeStep
        var dp = goal - commanded.p
        if dp.norm > maxStep { dp = dp * (maxStep / dp.norm) }
        let dyaw = (targetYaw - yaw).clamped(-t.yawStep, t.yawStep)
        let dR = Quat(axis: .unitZ, angle: dyaw)
        commanded = Pose(p: tcp.p + dp + dR.act(commanded.p - tcp.p), q: (dR * commanded.q).normalized)
        yaw += dyaw

        // Advance when the measured TCP has reached the goal (or the phase times out).
        phaseSteps += 1
        let reached = (tcp.p - goal).norm < tol && abs(targetYaw - yaw) < 1e-9
        let dwellDone = (phase == .close && phaseSteps >= t.closeSteps) || (phase == .release && phaseSteps >= t.releaseSteps)
        if phase != .retreat && (dwellDone || (phase != .close && phase != .release && reached) || phaseSteps >= t.phaseTimeout) {
            phase = Phase(rawValue: phase.rawValue + 1)!
            phaseSteps = 0
        }
        return [[dp.x, dp.y, dp.z, 0, 0, dyaw, gripper]]
    }

    /// Rotation about vertical that puts the fingers' closing axis across the object's long (local x) axis,
    /// folded into (−π/2, π/2] since a parallel gripper is symmetric.
    static func graspYaw(_ q: Quat) -> Double {
        let x = q.act(.unitX)
        var a = atan2(x.y, x.x)
        while a > .pi / 2 { a -= .pi }
        while a <= -.pi / 2 { a += .pi }
        return a
    }
}
