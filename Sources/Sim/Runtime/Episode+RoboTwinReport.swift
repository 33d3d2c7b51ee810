import Foundation
import VLMath

/// One arm's part of RoboTwin's observation (`get_obs`, RoboTwin envs/_base_task.py get_obs): `joint_action` and `endpose`.
public struct RoboTwinArmReport: Sendable, Equatable {
    /// The joint drive targets last written (RoboTwin reports targets, not measured positions).
    public var jointTargets: [Double]
    /// The commanded gripper value, 0 = closed … 1 = open (the clipped request, as RoboTwin reports it).
    public var gripperCommand: Double
    /// The TCP in the world frame: x, y, z (m) and the static-xyz roll, pitch, yaw of the `ee_link` rotation times
    /// the arm's `endpose_rotation` (RoboTwin `robot.py` `_trans_endpose`: link6 · global_trans_matrix ·
    /// delta_matrix, position link6 + gripper_bias along its x; quaternion → sxyz Euler as its data pipeline stores it).
    public var endpose: [Double]

    public init(jointTargets: [Double], gripperCommand: Double, endpose: [Double]) {
        self.jointTargets = jointTargets; self.gripperCommand = gripperCommand; self.endpose = endpose
    }

    /// RoboTwin's per-arm `joint_action` entries: the arm's joints, then its gripper.
    public var jointAction: [Double] { jointTargets + [gripperCommand] }
    /// RoboTwin's per-arm `endpose` entries: x, y, z, roll, pitch, yaw, gripper.
    public var endposeWithGripper: [Double] { endpose + [gripperCommand] }
}

extension RobotSetup {
    /// Whether the set-up's controller keeps drive targets and gripper commands, so observations carry
    /// `RoboTwinArmReport`s (remote presets asking for `joint_action` / `endpose` need it).
    public var reportsJointTargets: Bool { [JointMoveController.kind, JointMoveController.poseKind].contains(controller.kind) }
}

extension Episode {
    /// Arm `i`'s RoboTwin report, its TCP `tcp` given in the robot base frame; nil unless the controller keeps
    /// drive targets.
    func roboTwinReport(arm i: Int, tcp: Pose) -> RoboTwinArmReport? {
        let targets = jointTargets, grippers = gripperCommands
        guard i < targets.count, i < grippers.count else { return nil }
        let world = basePose * tcp
        let axes = controller.arms[i].config.endposeRotation.map { Mat3(rows: Vec3($0[0], $0[1], $0[2]), Vec3($0[3], $0[4], $0[5]), Vec3($0[6], $0[7], $0[8])) }
        let e = Quat(world.rotation * (axes ?? .identity)).rollPitchYaw
        return RoboTwinArmReport(jointTargets: targets[i], gripperCommand: grippers[i],
                                 endpose: [world.p.x, world.p.y, world.p.z, e.roll, e.pitch, e.yaw])
    }
}
