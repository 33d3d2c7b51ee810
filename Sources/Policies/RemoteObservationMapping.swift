import Foundation
import PolicyTransport
import Sim
import VLMath

/// Builds a server request from a simulator observation according to a configuration: images as uint8 arrays,
/// the state vector from named components, the prompt, constants and the optional harness key.
public struct RemoteObservationMapping {
    public let configuration: RemotePolicyConfiguration

    /// State components and their widths. Poses are the TCP in the robot base frame; rotations as static-xyz
    /// roll/pitch/yaw, axis-angle or a quaternion (x, y, z, w). `joints` is every controlled joint (arm, then
    /// gripper); `gripper_joints` only those whose name says finger/gripper.
    static let widths: [String: Int] = [
        "ee_pos": 3, "ee_rpy": 3, "ee_axis_angle": 3, "ee_quat_xyzw": 4, "ee_quat_wxyz": 4,
        "gripper_open": 1, "gripper_closed": 1,
    ]
    static let variableWidth: Set<String> = ["joints", "arm_joints", "gripper_joints"]
    public static var componentNames: [String] { (Array(widths.keys) + variableWidth).sorted() }
    static func stateWidth(_ c: String) -> Int? { widths[c] ?? (variableWidth.contains(c) ? -1 : nil) }

    public init(_ configuration: RemotePolicyConfiguration) { self.configuration = configuration }

    /// The cameras the renderer must provide, at the sizes the server expects.
    public var cameraRequests: [CameraRequest] {
        configuration.images.map { CameraRequest(camera: $0.camera, width: $0.width, height: $0.height) }
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
        }
        if let s = configuration.state {
            let values = s.components.flatMap { Self.component($0, observation.robot) }
            m[s.key] = .ndarray(try NDArray(converting: values, to: NDArray.DType(numpy: s.dtype ?? "<f4")!))
        }
        if let key = configuration.promptKey { m[key] = .string(observation.instruction) }
        for (k, v) in (configuration.constants ?? [:]).sorted(by: { $0.key < $1.key }) { m[k] = .string(v) }
        if configuration.harnessKey == true, let e = episode {
            m["__harness__"] = .map(["task": .string(e.task), "episode_id": .string(Self.fileStem(e)),
                                     "step": .int(Int64(observation.step))])
        }
        return m
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

    static func isGripperJoint(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("finger") || n.contains("gripper")
    }

    static func component(_ name: String, _ r: RobotState) -> [Double] {
        let q = r.tcpPose.q
        switch name {
        case "ee_pos": return [r.tcpPose.p.x, r.tcpPose.p.y, r.tcpPose.p.z]
        case "ee_rpy": let e = q.rollPitchYaw; return [e.roll, e.pitch, e.yaw]
        case "ee_axis_angle": let v = q.rotationVector; return [v.x, v.y, v.z]
        case "ee_quat_xyzw": return [q.x, q.y, q.z, q.w]
        case "ee_quat_wxyz": return [q.w, q.x, q.y, q.z]
        case "gripper_open": return [r.gripperOpening]
        case "gripper_closed": return [1 - r.gripperOpening]
        case "joints": return r.jointPositions
        case "arm_joints": return zip(r.jointNames, r.jointPositions).filter { !isGripperJoint($0.0) }.map { $0.1 }
        case "gripper_joints": return zip(r.jointNames, r.jointPositions).filter { isGripperJoint($0.0) }.map { $0.1 }
        default: preconditionFailure("component '\(name)' passed validation")
        }
    }
}
