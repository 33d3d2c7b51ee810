import Foundation
import ImageIO
import VLMath

extension Episode {
    /// Proprioception in the robot base frame (arm joints, then gripper joints).
    public func robotState() -> RobotState {
        let c = assets.setup.controller
        let names = c.armJoints + c.gripperJoints
        let q = robot.jointPositions(world)
        let handles = names.map { robot.joint($0)! }
        let arm = c.armJoints.map { q[$0]! }
        let finger = assets.robot.joint(named: c.gripperJoints[0])?.limit
        let opening = finger.map { ((q[c.gripperJoints[0]]! - $0.lower) / ($0.upper - $0.lower)).clamped(0, 1) } ?? 0
        return RobotState(jointNames: names, jointPositions: names.map { q[$0]! },
                          jointVelocities: handles.map { world.velocity(of: $0) },
                          tcpPose: controller.chain.forward(arm), gripperOpening: opening)
    }

    /// Ground-truth object poses (robot base frame) and collision half extents, for the scripted expert: each object
    /// as the box bounding its collision shapes.
    public func privilegedState() -> PrivilegedState {
        let base = basePose.inverse
        var poses: [String: Pose] = [:], halves: [String: Vec3] = [:]
        for (role, o) in objects {
            poses[role] = base * o.boundsPose(world)
            halves[role] = o.collision.halfExtents
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
