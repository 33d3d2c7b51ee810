import Foundation
import Sim

extension RemotePolicyConfiguration {
    /// Why this preset cannot drive `assets`' task, or nil when it fits: every camera it asks for is mounted on the
    /// task's robot, the gripper state components have gripper joints to read, and its actions are as wide as the
    /// task's action space declares. Checked for every task before episode 0, so a preset for another robot fails the run
    /// at once (exit 2) instead of erroring every episode.
    public func mismatch(with assets: TaskAssets) -> String? {
        let setup = assets.setup
        let cameras = setup.cameras.map(\.name)
        if let im = images.first(where: { !cameras.contains($0.camera) }) {
            return "no camera '\(im.camera)' on robot \(setup.name) (has: \(cameras.joined(separator: ", ")))"
        }
        let gripperReads: Set<String> = ["gripper_open", "gripper_closed", "gripper_joints"]
        if setup.controller.arms.allSatisfy({ $0.gripperJoints.isEmpty }), let c = state?.components.first(where: gripperReads.contains) {
            return "state component '\(c)' but robot \(setup.name) has no gripper joints"
        }
        if let width = actionDim, width != setup.actionSpace.dimension {
            return "action_dim \(width), but task \(assets.task.name)'s action space has \(setup.actionSpace.dimension) entries (\(setup.actionSpace.name))"
        }
        return nil
    }
}
