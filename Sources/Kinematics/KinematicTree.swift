import Foundation
import VLMath

/// Forward kinematics and static loads over a whole URDF tree.
///
/// `q` maps a joint name to its position (rad or m) for movable joints; a missing entry means 0. A mimic joint
/// never reads its own entry: it follows `multiplier · q[master] + offset`, like a coupled drive would.
public struct KinematicTree: Sendable {
    public let model: URDFModel
    /// Link names in file order; `linkPoseList` returns poses in this order.
    public let linkNames: [String]

    /// One joint, in an order where parents come before children, with everything the passes need by index.
    struct Step: Sendable {
        var joint: URDFJoint
        var parent: Int, child: Int
        /// Name of the joint whose entry in `q` drives this one (itself, or its mimic master).
        var source: String
    }
    let steps: [Step]
    let linkMass: [Double]
    let linkCentreOfMass: [Vec3]

    public init(_ model: URDFModel) {
        self.model = model
        linkNames = model.links.map(\.name)
        let index = Dictionary(linkNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let byParent = Dictionary(grouping: model.joints, by: \.parent)
        var steps: [Step] = [], stack = [model.rootLink]
        while let link = stack.popLast() {  // depth-first from the root, children in file order
            let children = byParent[link] ?? []
            for j in children.reversed() { stack.append(j.child) }
            steps += children.map {
                Step(joint: $0, parent: index[$0.parent]!, child: index[$0.child]!, source: $0.mimic?.joint ?? $0.name)
            }
        }
        self.steps = steps
        linkMass = model.links.map { $0.inertial?.mass ?? 0 }
        linkCentreOfMass = model.links.map { $0.inertial?.origin.p ?? .zero }
    }

    /// The position of joint `joint` under `q`, following its mimic master if it has one.
    public func position(of joint: URDFJoint, in q: [String: Double]) -> Double {
        guard joint.type.isMovable else { return 0 }
        if let m = joint.mimic { return m.multiplier * (q[m.joint] ?? 0) + m.offset }
        return q[joint.name] ?? 0
    }

    @inline(__always) private func position(_ step: Step, _ q: [String: Double]) -> Double {
        guard step.joint.type.isMovable else { return 0 }
        let v = q[step.source] ?? 0
        guard let m = step.joint.mimic else { return v }
        return m.multiplier * v + m.offset
    }

    /// The pose of every link frame in the world, the root link placed at `base`.
    public func linkPoses(_ q: [String: Double], base: Pose = .identity) -> [String: Pose] {
        Dictionary(uniqueKeysWithValues: zip(linkNames, linkPoseList(q, base: base)))
    }

    /// `linkPoses` as an array in `linkNames` order (no dictionary building: for per-sub-step use).
    public func linkPoseList(_ q: [String: Double], base: Pose = .identity) -> [Pose] {
        var poses = [Pose](repeating: base, count: linkNames.count)
        for s in steps { poses[s.child] = poses[s.parent] * s.joint.origin * s.joint.motion(position(s, q)) }
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
        let poses = linkPoseList(q)
        // Subtree mass and first moment of mass (Σ m·c) per link, in the root frame, accumulated leaves-up.
        var mass = linkMass
        var moment = [Vec3](repeating: .zero, count: linkMass.count)
        for i in linkMass.indices { moment[i] = linkMass[i] * poses[i].apply(linkCentreOfMass[i]) }
        for s in steps.reversed() {
            let (m, c) = (mass[s.child], moment[s.child])
            mass[s.parent] += m
            moment[s.parent] += c
        }
        var torques: [String: Double] = [:]
        for s in steps where s.joint.type.isMovable {
            let frame = poses[s.child]
            let axis = frame.q.act(s.joint.axis)  // the axis is the same in the joint frame and the moved child frame
            let m = mass[s.child]
            let load = s.joint.type == .prismatic ? -axis.dot(m * gravity)
                : -axis.dot((moment[s.child] - m * frame.p).cross(gravity))
            if foldingMimic, let mimic = s.joint.mimic {
                torques[mimic.joint, default: 0] += mimic.multiplier * load
            } else {
                torques[s.joint.name, default: 0] += load
            }
        }
        return torques
    }
}
