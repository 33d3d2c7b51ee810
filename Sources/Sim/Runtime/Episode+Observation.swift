import Foundation
import ImageIO
import VLMath

extension Episode {
    /// Proprioception in the robot base frame: per arm its joints, then its gripper joints; the TCP pose and
    /// gripper opening of every arm.
    public func robotState() -> RobotState {
        let q = robot.jointPositions(world)
        let names = controller.arms.flatMap { $0.config.joints + $0.config.gripperJoints }
        let handles = names.map { robot.joint($0)! }
        let arms = controller.arms.map { arm -> ArmState in
            let finger = assets.robot.joint(named: arm.config.gripperJoints[0])?.limit
            let opening = finger.map { ((q[arm.config.gripperJoints[0]]! - $0.lower) / ($0.upper - $0.lower)).clamped(0, 1) } ?? 0
            return ArmState(name: arm.config.name, tcpPose: arm.chain.forward(arm.config.joints.map { q[$0]! }),
                            gripperOpening: opening)
        }
        return RobotState(jointNames: names, jointPositions: names.map { q[$0]! },
                          jointVelocities: handles.map { world.velocity(of: $0) }, arms: arms)
    }

    /// Ground-truth object poses (robot base frame) and collision half extents, for the scripted expert.
    public func privilegedState() -> PrivilegedState {
        let base = basePose.inverse
        var poses: [String: Pose] = [:], halves: [String: Vec3] = [:]
        for (role, o) in objects {
            poses[role] = base * world.pose(of: o.body)
            halves[role] = o.model.collisionHalfExtents
        }
        var links: [String: Pose] = [:], joints: [String: Double] = [:]
        for (name, art) in props {
            for g in art.groups { for l in g.links { links["\(name)/\(l)"] = art.linkPose(l, in: world).map { base * $0 } } }
            for (j, h) in art.jointHandles { joints["\(name)/\(j)"] = world.position(of: h) }
        }
        return PrivilegedState(objectPoses: poses, objectHalfExtents: halves, propLinkPoses: links, propJoints: joints,
                               subtask: subtaskIndex)
    }

    /// The observation for the current step. Images are rendered only for the cameras the policy asks for.
    public func observe(_ spec: ObservationSpec, instruction: String, images: [String: RGBImage] = [:]) -> Observation {
        Observation(step: step, instruction: instruction, robot: robotState(), images: images,
                    privileged: spec.privileged ? privilegedState() : nil)
    }
}
