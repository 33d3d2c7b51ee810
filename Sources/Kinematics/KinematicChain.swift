import Foundation
import VLMath

/// The serial chain of movable joints from `base` down to `tip` (plus a constant `tipOffset`), as used by an
/// end-effector controller: forward kinematics, the geometric Jacobian and inverse kinematics, all expressed in
/// the base link frame. Fixed joints on the path are folded into constant transforms at construction.
public struct KinematicChain: Sendable {
    /// One degree of freedom: the constant transform from the previous DOF's moved frame (or the base link frame)
    /// to this joint's frame, then the joint motion along/about `axis`.
    struct Segment: Sendable {
        var before: Pose
        var axis: Vec3
        var prismatic: Bool
    }

    let segments: [Segment]
    /// Constant transform from the last DOF's moved frame to the tip (fixed joints and `tipOffset`).
    let after: Pose
    public let jointNames: [String]
    public var lowerLimits: [Double]
    public var upperLimits: [Double]
    /// Initial Levenberg–Marquardt damping λ² of the IK solve (see `inverse`).
    public var initialDamping: Double = 1e-4

    public var dof: Int { segments.count }

    public init(model: URDFModel, base: String, tip: String, tipOffset: Pose = .identity) throws {
        for name in [base, tip] where model.link(named: name) == nil {
            throw KinematicsError.unknownLink(robot: model.name, link: name)
        }
        // Walk up from the tip to the base.
        let parentJoint = Dictionary(model.joints.map { ($0.child, $0) }, uniquingKeysWith: { a, _ in a })
        var path: [URDFJoint] = [], link = tip
        while link != base {
            guard let j = parentJoint[link] else {
                throw KinematicsError.notAnAncestor(robot: model.name, base: base, tip: tip)
            }
            path.append(j); link = j.parent
        }
        path.reverse()
        var segments: [Segment] = [], names: [String] = [], lower: [Double] = [], upper: [Double] = []
        var pending = Pose.identity
        for j in path {
            pending = pending * j.origin
            guard j.type.isMovable else { continue }
            if j.mimic != nil { throw KinematicsError.mimicInChain(robot: model.name, joint: j.name) }
            segments.append(Segment(before: pending, axis: j.axis, prismatic: j.type == .prismatic))
            names.append(j.name)
            let bounded = j.type != .continuous && j.limit != nil
            lower.append(bounded ? j.limit!.lower : -.infinity)
            upper.append(bounded ? j.limit!.upper : .infinity)
            pending = .identity
        }
        self.segments = segments
        self.after = pending * tipOffset
        jointNames = names; lowerLimits = lower; upperLimits = upper
    }

    /// Tip pose in the base link frame.
    public func forward(_ q: [Double]) -> Pose {
        precondition(q.count == dof, "KinematicChain.forward: \(q.count) joint values for \(dof) joints")
        var t = Pose.identity
        for (s, v) in zip(segments, q) { t = t * s.before * motion(s, v) }
        return t * after
    }

    /// The 6×dof geometric Jacobian of the tip: rows vx, vy, vz (tip-origin velocity) then ωx, ωy, ωz, all in the
    /// base frame (Pinocchio's LOCAL_WORLD_ALIGNED frame Jacobian).
    public func jacobian(_ q: [Double]) -> Matrix {
        var j = [Double](repeating: 0, count: 6 * dof)
        _ = forwardAndJacobian(q, into: &j)
        return Matrix(rows: 6, cols: dof, data: j)
    }

    /// Joint motion: translation along the axis, or rotation about it (the axis is unit length).
    @inline(__always) func motion(_ s: Segment, _ v: Double) -> Pose {
        if s.prismatic { return Pose(p: s.axis * v) }
        let h = sin(v / 2)
        return Pose(q: Quat(w: cos(v / 2), x: s.axis.x * h, y: s.axis.y * h, z: s.axis.z * h))
    }

    /// Tip pose and the row-major 6×dof Jacobian written into `jac` (which must hold 6·dof values).
    func forwardAndJacobian(_ q: [Double], into jac: inout [Double]) -> Pose {
        precondition(q.count == dof && jac.count == 6 * dof, "KinematicChain: expected \(dof) joint values")
        var t = Pose.identity
        // Joint axes and points in the base frame, kept in the Jacobian's columns until the tip is known.
        for (k, s) in segments.enumerated() {
            t = t * s.before
            let a = t.q.act(s.axis)
            jac[k] = t.p.x; jac[dof + k] = t.p.y; jac[2 * dof + k] = t.p.z
            jac[3 * dof + k] = a.x; jac[4 * dof + k] = a.y; jac[5 * dof + k] = a.z
            t = t * motion(s, q[k])
        }
        t = t * after
        for (k, s) in segments.enumerated() {
            let a = Vec3(jac[3 * dof + k], jac[4 * dof + k], jac[5 * dof + k])
            let lin: Vec3
            if s.prismatic {
                lin = a
                jac[3 * dof + k] = 0; jac[4 * dof + k] = 0; jac[5 * dof + k] = 0
            } else {
                lin = a.cross(t.p - Vec3(jac[k], jac[dof + k], jac[2 * dof + k]))
            }
            jac[k] = lin.x; jac[dof + k] = lin.y; jac[2 * dof + k] = lin.z
        }
        return t
    }
}

public enum KinematicsError: Error, CustomStringConvertible, Equatable {
    case unknownLink(robot: String, link: String)
    case notAnAncestor(robot: String, base: String, tip: String)
    case mimicInChain(robot: String, joint: String)

    public var description: String {
        switch self {
        case let .unknownLink(r, l): return "robot '\(r)': no link named '\(l)'"
        case let .notAnAncestor(r, b, t): return "robot '\(r)': link '\(b)' is not an ancestor of link '\(t)'"
        case let .mimicInChain(r, j):
            return "robot '\(r)': mimic joint '\(j)' lies on the chain; chains take independent joints only"
        }
    }
}
