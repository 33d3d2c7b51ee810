import Foundation
import PolicyTransport
import Sim
import VLMath

/// Builds a server request from a simulator observation according to a configuration: images as uint8 arrays,
/// the state vector from named components, the prompt, constants and the optional harness key.
public struct RemoteObservationMapping {
    public let configuration: RemotePolicyConfiguration

    /// State components and their widths (docs/policy-servers.md § State fields). Poses are the TCP in the robot
    /// base frame, as SimplerEnv's `agent.eef_pos`; rotations as static-xyz roll/pitch/yaw, axis-angle, or a
    /// quaternion with w ≥ 0 (transforms3d `mat2quat`) in either order. `ee_rpy_topdown` is open-pi-zero's Bridge
    /// proprio: the roll/pitch/yaw of R·Dᵀ, the TCP rotation relative to the Bridge data's top-down gripper pose
    /// (`topDown`). `joints` is every controlled joint (arm, then gripper), `arm_joints` / `gripper_joints` the two
    /// groups of the robot's controller. `joint_action` and `endpose` are RoboTwin's (RoboTwin envs/_base_task.py get_obs), every arm
    /// in turn: its joint drive targets then its commanded gripper value; its world-frame TCP x, y, z, roll, pitch,
    /// yaw then the gripper value (`RoboTwinArmReport`; 14 each for Aloha-AgileX).
    static let widths: [String: Int] = [
        "ee_pos": 3, "ee_rpy": 3, "ee_rpy_topdown": 3, "ee_axis_angle": 3, "ee_quat_xyzw": 4, "ee_quat_wxyz": 4,
        "gripper_open": 1, "gripper_closed": 1,
    ]
    static let variableWidth: Set<String> = ["joints", "arm_joints", "gripper_joints", "joint_action", "endpose"]
    /// The components only set-ups whose controller keeps drive targets report (`RobotSetup.reportsJointTargets`).
    public static let roboTwinComponents: Set<String> = ["joint_action", "endpose"]
    public static var componentNames: [String] { (Array(widths.keys) + variableWidth).sorted() }
    static func stateWidth(_ c: String) -> Int? { widths[c] ?? (variableWidth.contains(c) ? -1 : nil) }

    /// The Bridge data's reference gripper rotation D (rows; bridge_data_robot `widowx_controller.py` default
    /// rotation, used by open-pi-zero `src/agent/env_adapter/simpler.py` BridgeSimplerAdapter): the EE pose in Bridge
    /// proprio is relative to a top-down gripper, not to the robot base.
    static let topDown = Mat3(rows: Vec3(0, 0, 1), Vec3(0, 1, 0), Vec3(-1, 0, 0))

    public init(_ configuration: RemotePolicyConfiguration) { self.configuration = configuration }

    /// The cameras the renderer must provide, at the sizes the server expects.
    public var cameraRequests: [CameraRequest] {
        configuration.images.map {
            CameraRequest(camera: $0.camera, width: $0.width, height: $0.height, depth: $0.depthKey != nil,
                          segmentation: $0.segmentationKey != nil)
        }
    }

    public func request(_ observation: Observation, episode: EpisodeContext?) throws -> WireMap {
        var m = WireMap()
        for im in configuration.images {
            guard let image = observation.images[im.camera] else {
                throw RemotePolicyError.observation("no image from camera '\(im.camera)' (has: \(observation.images.keys.sorted().joined(separator: ", ")))")
            }
            guard image.width == im.width, image.height == im.height else {
                throw RemotePolicyError.observation("camera '\(im.camera)' image is \(image.width)×\(image.height), preset wants \(im.width)×\(im.height)")
            }
            m[im.key] = .ndarray(try Self.array(image.pixels, width: image.width, height: image.height, chw: im.layout == "chw"))
            if let key = im.depthKey, let d = observation.depth[im.camera] {
                m[key] = .ndarray(NDArray(float32: d.values, shape: [d.height, d.width]))
            }
            if let key = im.segmentationKey, let s = observation.segmentation[im.camera] {
                m[key] = .ndarray(try NDArray(converting: s.ids.map(Double.init), to: .int32, shape: [s.height, s.width]))
            }
        }
        if let s = configuration.state {
            let values = s.components.flatMap { Self.component($0, observation.robot) }
            m[s.key] = .ndarray(try NDArray(converting: values, to: NDArray.DType(numpy: s.dtype ?? "<f4")!))
        }
        if let key = configuration.promptKey { m[key] = .string(observation.instruction) }
        for (k, v) in (configuration.constants ?? [:]).sorted(by: { $0.key < $1.key }) { m[k] = .string(v) }
        if configuration.harnessKey == true, let e = episode { m["__harness__"] = .map(Self.harness(e, step: observation.step)) }
        return m
    }

    /// What a server learns about the episode (docs/policy-servers.md § Episode identity): the task, the episode id
    /// as the action log names its file, the trial, the episode's seed (uint64; seed a stochastic policy with it to
    /// repeat a run) and the control step (0 = a new episode).
    static func harness(_ e: EpisodeContext, step: Int) -> WireMap {
        ["task": .string(e.task), "episode_id": .string(fileStem(e)), "trial": .int(Int64(e.trial)),
         "seed": e.seed > UInt64(Int64.max) ? .uint(e.seed) : .int(Int64(e.seed)), "step": .int(Int64(step))]
    }

    /// The episode id as the action log names its file (`/` → `__`), so a replay server finds
    /// `DIR/actions/<task>/<stem>.jsonl`.
    static func fileStem(_ e: EpisodeContext) -> String {
        ActionLog.path(runDirectory: URL(fileURLWithPath: "/"), task: e.task, episodeID: e.episodeID).deletingPathExtension().lastPathComponent
    }

    static func array(_ pixels: [UInt8], width: Int, height: Int, chw: Bool) throws -> NDArray {
        guard chw else { return try NDArray(uint8: pixels, shape: [height, width, 3]) }
        var planar = [UInt8](repeating: 0, count: pixels.count)
        let n = width * height
        for i in 0..<n { for c in 0..<3 { planar[c * n + i] = pixels[i * 3 + c] } }
        return try NDArray(uint8: planar, shape: [3, height, width])
    }

    static func component(_ name: String, _ r: RobotState) -> [Double] {
        let raw = r.tcpPose.q
        let q = raw.w < 0 ? Quat(w: -raw.w, x: -raw.x, y: -raw.y, z: -raw.z) : raw  // mat2quat's sign: w ≥ 0
        switch name {
        case "ee_pos": return [r.tcpPose.p.x, r.tcpPose.p.y, r.tcpPose.p.z]
        case "ee_rpy": let e = q.rollPitchYaw; return [e.roll, e.pitch, e.yaw]
        case "ee_rpy_topdown": let e = Quat(Mat3(q) * topDown.transposed).rollPitchYaw; return [e.roll, e.pitch, e.yaw]
        case "ee_axis_angle": let v = q.rotationVector; return [v.x, v.y, v.z]
        case "ee_quat_xyzw": return [q.x, q.y, q.z, q.w]
        case "ee_quat_wxyz": return [q.w, q.x, q.y, q.z]
        case "gripper_open": return [r.gripperOpening]
        case "gripper_closed": return [1 - r.gripperOpening]
        case "joints": return r.jointPositions
        case "arm_joints": return Array(r.jointPositions.prefix(r.armJointCount))
        case "gripper_joints": return Array(r.jointPositions.dropFirst(r.armJointCount))
        case "joint_action": return r.arms.flatMap { $0.roboTwin!.jointAction }  // PresetFit checked the controller
        case "endpose": return r.arms.flatMap { $0.roboTwin!.endposeWithGripper }
        default: preconditionFailure("component '\(name)' passed validation")
        }
    }
}
