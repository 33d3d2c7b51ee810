import Foundation
import VLMath

/// Forward kinematics and static loads over a whole URDF tree.
///
/// `q` maps a joint name to its position (rad or m) for movable joints; a missing entry means 0. A mimic joint
/// never reads its own entry: it follows `multiplier · q[master] + offset`, like a coupled drive would.
public struct KinematicTree: Sendable {
    public let model: URDFModel
    /// Joint indices into `model.joints`, parents before children (depth-first from the root, file order).
    let order: [Int]

    public init(_ model: URDFModel) {
        self.model = model
        var order: [Int] = [], stack = [model.rootLink]
        let byParent = Dictionary(grouping: model.joints.indices, by: { model.joints[$0].parent })
        while let link = stack.popLast() {
            for j in (byParent[link] ?? []).reversed() { stack.append(model.joints[j].child) }
            order.append(contentsOf: byParent[link] ?? [])
        }
        self.order = order
    }

    /// The position of joint `joint` under `q`, following its mimic master if it has one.
    public func position(of joint: URDFJoint, in q: [String: Double]) -> Double {
        guard joint.type.isMovable else { return 0 }
        if let m = joint.mimic { return m.multiplier * (q[m.joint] ?? 0) + m.offset }
        return q[joint.name] ?? 0
    }

    /// The pose of every link frame in the world, the root link placed at `base`.
    public func linkPoses(_ q: [String: Double], base: Pose = .identity) -> [String: Pose] {
        var poses: [String: Pose] = [model.rootLink: base]
        poses.reserveCapacity(model.links.count)
        for j in order {
            let joint = model.joints[j]
            poses[joint.child] = poses[joint.parent]! * joint.origin * joint.motion(position(of: joint, in: q))
        }
        return poses
    }

    /// Joint torques (revolute, N·m) and forces (prismatic, N) that hold the robot still against gravity: the
    /// recursive Newton–Euler result at zero velocity and acceleration, i.e. Pinocchio's generalized gravity.
    /// `gravity` is expressed in the root link frame, e.g. Vec3(0, 0, -9.81).
    ///
    /// With `foldingMimic` (the default) a mimic joint's load is added to its master's, scaled by the multiplier
    /// (virtual work: δq_mimic = multiplier · δq_master), and only non-mimic joints are returned — the load a
    /// single coupled actuator sees. Without it every movable joint gets its own entry, for simulators that
    /// drive each joint of a mimic pair separately.
    public func gravityTorques(_ q: [String: Double], gravity: Vec3, foldingMimic: Bool = true) -> [String: Double] {
        let poses = linkPoses(q)
        // Subtree mass and first moment of mass (Σ m·c) per link, in the root frame.
        var mass: [String: Double] = [:], moment: [String: Vec3] = [:]
        for link in model.links {
            let m = link.inertial?.mass ?? 0
            mass[link.name] = m
            moment[link.name] = m * poses[link.name]!.apply(link.inertial?.origin.p ?? .zero)
        }
        for j in order.reversed() {
            let joint = model.joints[j]
            mass[joint.parent]! += mass[joint.child]!
            moment[joint.parent]! += moment[joint.child]!
        }
        var torques: [String: Double] = [:]
        for joint in model.joints where joint.type.isMovable {
            let frame = poses[joint.child]!
            let axis = frame.q.act(joint.axis)  // the axis is the same in the joint frame and the moved child frame
            let m = mass[joint.child]!
            let load: Double
            switch joint.type {
            case .prismatic: load = -axis.dot(m * gravity)
            default: load = -axis.dot((moment[joint.child]! - m * frame.p).cross(gravity))
            }
            if foldingMimic, let mimic = joint.mimic {
                torques[mimic.joint, default: 0] += mimic.multiplier * load
            } else {
                torques[joint.name, default: 0] += load
            }
        }
        return torques
    }
}
