import CODE
import Foundation
import VLMath

public struct JointHandle: Hashable, Sendable { public let index: Int }

public enum JointKind: Sendable { case hinge, slider, fixed }

/// An implicit PD position drive on a joint motor (ode-grasping.md §4, §7.4): each step
/// `vel = (K·(q*−q) + D·v*)/(hK + D)`, `CFM = 1/(hK + D)`, `FMax` = force limit, so the motor row produces
/// F = K·(q*−q) + D·(v*−q̇) evaluated implicitly — stable at K≈1000–2000 at 500 Hz where explicit PD diverges.
public struct JointDrive: Sendable {
    public var stiffness: Double
    public var damping: Double
    public var forceLimit: Double
    public var target: Double
    public var targetVelocity: Double
    public init(stiffness: Double, damping: Double, forceLimit: Double, target: Double = 0, targetVelocity: Double = 0) {
        self.stiffness = stiffness; self.damping = damping; self.forceLimit = forceLimit
        self.target = target; self.targetVelocity = targetVelocity
    }
}

struct JointState {
    let joint: OpaquePointer
    let kind: JointKind
    var drive: JointDrive?
    /// Passive viscous damping (N·s/m or N·m·s/rad) and dry friction (N or N·m), e.g. drawer slides.
    var passiveDamping: Double = 0
    var passiveFriction: Double = 0
    /// Hinge angle unwrapping: ODE reports angles in (−π, π]; a joint that turns past ±π would make a PD error
    /// jump by 2π, so positions are tracked continuously across the wrap.
    var lastRawAngle: Double = 0
    var turns: Int = 0
    var angle: Double { lastRawAngle + 2 * .pi * Double(turns) }

    mutating func track(_ raw: Double) {
        let d = raw - lastRawAngle
        if d > .pi { turns -= 1 } else if d < -.pi { turns += 1 }
        lastRawAngle = raw
    }
}

extension PhysicsWorld {
    /// Connects `child` to `parent` (nil = the world). `anchor` and `axis` are in world coordinates at the time
    /// of the call; the joint's position reads 0 in the current configuration.
    public func addJoint(_ kind: JointKind, parent: BodyHandle?, child: BodyHandle, anchor: Vec3 = .zero,
                         axis: Vec3 = .unitX, limits: ClosedRange<Double>? = nil) -> JointHandle {
        let j: OpaquePointer
        let pb = parent.map { bodies[$0.index] }
        switch kind {
        case .hinge:
            j = dJointCreateHinge(world, nil)
            dJointAttach(j, bodies[child.index], pb)
            dJointSetHingeAnchor(j, anchor.x, anchor.y, anchor.z)
            dJointSetHingeAxis(j, axis.x, axis.y, axis.z)
        case .slider:
            j = dJointCreateSlider(world, nil)
            dJointAttach(j, bodies[child.index], pb)
            dJointSetSliderAxis(j, axis.x, axis.y, axis.z)
        case .fixed:
            j = dJointCreateFixed(world, nil)
            dJointAttach(j, bodies[child.index], pb)
            dJointSetFixed(j)
        }
        joints.append(JointState(joint: j, kind: kind))
        let h = JointHandle(index: joints.count - 1)
        if kind == .hinge { joints[h.index].lastRawAngle = dJointGetHingeAngle(j) }
        if let limits { setLimits(h, limits) }
        return h
    }

    /// ODE applies a drive pulling a joint off its stop as an explicit torque of up to FMax for one step (its
    /// "fudge factor" hack); on a light link (a 33 g Google finger with a 60 N·m limit) that spins it up to hundreds
    /// of rad/s. A zero fudge factor leaves the motor row to move the joint off the stop implicitly.
    static let stopFudgeFactor = 0.0
    /// Slack added to both stops. ODE treats a joint exactly on its stop as "at the limit" and then drives it only by
    /// the fudge-factor force, which is zero here: a WidowX finger reset to its upper limit 0.037 stayed open for
    /// several control steps while the other finger closed, shoving the object sideways (docs/collision.md).
    static let stopSlack = 1e-6
    /// Speed at which a passive joint's viscous force stops growing (see `applyDrives`).
    static let passiveSpeedCap = 10.0

    /// Joint stops. Hinge ranges spanning a full turn (URDF ±π) are left unlimited: ODE measures hinge angles in
    /// (−π, π], so stops at ±π are ill-defined; the IK already keeps targets inside the range.
    public func setLimits(_ joint: JointHandle, _ limits: ClosedRange<Double>) {
        let s = joints[joint.index]
        if s.kind == .hinge && limits.upperBound - limits.lowerBound >= 2 * .pi - 1e-3 { return }
        switch s.kind {
        case .hinge:
            dJointSetHingeParam(s.joint, Int32(dParamLoStop), limits.lowerBound - Self.stopSlack)
            dJointSetHingeParam(s.joint, Int32(dParamHiStop), limits.upperBound + Self.stopSlack)
            dJointSetHingeParam(s.joint, Int32(dParamFudgeFactor), Self.stopFudgeFactor)
        case .slider:
            dJointSetSliderParam(s.joint, Int32(dParamLoStop), limits.lowerBound - Self.stopSlack)
            dJointSetSliderParam(s.joint, Int32(dParamHiStop), limits.upperBound + Self.stopSlack)
            dJointSetSliderParam(s.joint, Int32(dParamFudgeFactor), Self.stopFudgeFactor)
        case .fixed: break
        }
    }

    /// Joint coordinate: hinge angle (rad, relative to the attach configuration) or slider displacement (m).
    public func position(of joint: JointHandle) -> Double {
        let s = joints[joint.index]
        switch s.kind {
        case .hinge: return s.angle
        case .slider: return dJointGetSliderPosition(s.joint)
        case .fixed: return 0
        }
    }

    /// Re-reads hinge angles after the bodies were moved by hand (teleports restart the unwrapping).
    public func resyncJointAngles() {
        for i in joints.indices where joints[i].kind == .hinge {
            joints[i].lastRawAngle = dJointGetHingeAngle(joints[i].joint)
            joints[i].turns = 0
        }
    }

    /// Follows every hinge across the ±π wrap; called after each step.
    func trackHingeAngles() {
        for i in joints.indices where joints[i].kind == .hinge { joints[i].track(dJointGetHingeAngle(joints[i].joint)) }
    }

    public func velocity(of joint: JointHandle) -> Double {
        let s = joints[joint.index]
        switch s.kind {
        case .hinge: return dJointGetHingeAngleRate(s.joint)
        case .slider: return dJointGetSliderPositionRate(s.joint)
        case .fixed: return 0
        }
    }

    public func setDrive(_ joint: JointHandle, _ drive: JointDrive?) { joints[joint.index].drive = drive }
    public func drive(of joint: JointHandle) -> JointDrive? { joints[joint.index].drive }

    public func setDriveTarget(_ joint: JointHandle, position: Double, velocity: Double = 0) {
        joints[joint.index].drive?.target = position
        joints[joint.index].drive?.targetVelocity = velocity
    }

    /// Passive joint damping and dry friction, applied through the same motor row when the joint has no drive.
    public func setPassive(_ joint: JointHandle, damping: Double, friction: Double) {
        joints[joint.index].passiveDamping = damping
        joints[joint.index].passiveFriction = friction
    }

    /// Writes every joint's motor parameters for the coming step.
    func applyDrives() {
        let h = settings.timeStep
        for s in joints where s.kind != .fixed {
            let q = s.kind == .hinge ? s.angle : dJointGetSliderPosition(s.joint)
            var vel = 0.0, cfm = settings.cfm, fmax = 0.0
            if let d = s.drive {
                let denom = h * d.stiffness + d.damping
                vel = (d.stiffness * (d.target - q) + d.damping * d.targetVelocity) / denom
                cfm = 1 / denom
                fmax = d.forceLimit
            } else if s.passiveDamping > 0 || s.passiveFriction > 0 {
                // Velocity target 0: viscous part through CFM = 1/D, Coulomb part as the force cap.
                // The viscous cap is D × 10 m/s (rad/s), not "unbounded": ODE pushes a powered joint resting on a stop
                // with an explicit force of FMax, which at 1e6 N drove a closed drawer 10 cm through its stop.
                vel = 0
                cfm = s.passiveDamping > 0 ? 1 / s.passiveDamping : settings.cfm
                fmax = s.passiveFriction + s.passiveDamping * Self.passiveSpeedCap
            }
            let set = s.kind == .hinge ? dJointSetHingeParam : dJointSetSliderParam
            set(s.joint, Int32(dParamVel), vel)
            set(s.joint, Int32(dParamFMax), fmax)
            set(s.joint, Int32(dParamCFM), cfm)
        }
    }
}
