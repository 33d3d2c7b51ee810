import Foundation
import Kinematics
import TestSupport
import VLMath

/// The robot description files under test, loaded once per use from the repository.
enum RobotFiles {
    static func url(_ name: String) -> URL {
        TestSupport.repoRoot.appendingPathComponent("scenes/robots/\(name).urdf")
    }
    static func load(_ name: String) throws -> URDFModel { try URDFModel.load(contentsOf: url(name)) }

    /// The WidowX arm joints in SimplerEnv's qpos order (simplerenv-tasks.md §2.1).
    static let widowxArm = ["waist", "shoulder", "elbow", "forearm_roll", "wrist_angle", "wrist_rotate"]
    /// The Google Robot qpos order (simplerenv-tasks.md §3.1).
    static let googleQpos = ["joint_torso", "joint_shoulder", "joint_bicep", "joint_elbow", "joint_forearm",
                             "joint_wrist", "joint_gripper", "joint_finger_right", "joint_finger_left",
                             "joint_head_pan", "joint_head_tilt"]
}

/// Quaternion closeness up to sign (q and −q are the same rotation).
func quatDistance(_ a: Quat, _ b: Quat) -> Double {
    let d = a.w * b.w + a.x * b.x + a.y * b.y + a.z * b.z
    return d >= 0 ? (Quat(w: a.w - b.w, x: a.x - b.x, y: a.y - b.y, z: a.z - b.z)).norm
        : (Quat(w: a.w + b.w, x: a.x + b.x, y: a.y + b.y, z: a.z + b.z)).norm
}
