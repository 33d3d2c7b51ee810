import Foundation
import ImageIO
import Kinematics
import Render
import VLMath

/// One first observation rendered by SimplerEnv itself (`simpler-reference-frames/<env>/<episode>.{json,png,seg.png}`):
/// the robot's base pose and joint positions, every object's and cabinet link's world pose, the RGB render on black
/// and the per-pixel actor ids. `compare` draws our scene at exactly those poses — robot links placed by our own
/// kinematics, camera from our own mount — and measures how well our images match.
public struct ReferenceFrame: Decodable {
    public struct PoseWXYZ: Decodable {
        var p: [Double]
        var q_wxyz: [Double]
        var pose: Pose { Pose(p: Vec3(p[0], p[1], p[2]), q: Quat(w: q_wxyz[0], x: q_wxyz[1], y: q_wxyz[2], z: q_wxyz[3]).normalized) }
    }
    public struct Actor: Decodable { var name: String; var kind: String }
    public struct Object: Decodable { var name: String; var id: Int; var pose_world: PoseWXYZ }
    public struct Articulation: Decodable {
        var name: String
        var root_pose_world: PoseWXYZ
        var qpos: [Double]
        var joint_names: [String]
    }
    public struct Image: Decodable {
        var width: Int; var height: Int; var file: String; var seg_file: String
        /// Actor ids drawn in front of the overlay photo (the rest, e.g. the always-overlaid sink, never show).
        var foreground_ids: [Int]
    }

    public var task: String
    public var episode: Int
    var image: Image
    var seg_id_to_name: [String: Actor]
    var robot_base_pose: PoseWXYZ
    var robot_qpos: [Double]
    var robot_joint_names: [String]
    var urdf_version: String?
    var objects: [Object]
    var articulations: [Articulation]?

    /// SimplerEnv env folder → our task with the same robot, camera and props (objects come from the frame).
    public static let tasks = [
        "widowx_carrot_on_plate": "widowx_carrot_on_plate", "widowx_spoon_on_towel": "widowx_spoon_on_towel",
        "widowx_stack_cube": "widowx_stack_cube", "widowx_put_eggplant_in_basket": "widowx_put_eggplant_in_basket",
        "google_robot_pick_coke_can": "google_pick_coke_can_horizontal", "google_robot_move_near": "google_move_near",
        "google_robot_open_drawer": "google_open_top_drawer", "google_robot_open_drawer_ibl": "google_open_top_drawer",
    ]

    /// How our render of one reference frame compares with SimplerEnv's.
    public struct Comparison: Sendable {
        public var task: String
        public var episode: Int
        /// Intersection over union of the robot masks (all links together).
        public var robotIoU: Double
        /// Per object the policy sees (SimplerEnv name, foreground ids only; the cabinet's links together as
        /// `cabinet`): mask IoU, for objects visible in either image.
        public var objectIoU: [(name: String, iou: Double)]
        /// Mean absolute RGB difference (0…255, over channels) inside SimplerEnv's robot mask.
        public var robotRGBError: Double
        /// What each visual was drawn from.
        public var sources: [String: SimplerVisuals.Source]
    }

    public static func load(_ json: URL) throws -> ReferenceFrame {
        try DataFile.loadForeign(ReferenceFrame.self, from: json)
    }

    /// Renders the frame's scene with our robot, camera and visuals and compares masks and colours.
    public func compare(directory: URL, scenes: URL, assetRoot: SimplerAssetRoot?) throws -> Comparison {
        let file = directory.appendingPathComponent("\(episode).json").path
        guard let ours = Self.tasks[task] else {
            throw DataFileError(file: file, field: "task", message: "unknown SimplerEnv env '\(task)' (known: \(Self.tasks.keys.sorted().joined(separator: ", ")))")
        }
        let assets = try TaskAssets(task: ours, root: scenes)
        var models: [String: ObjectModel] = [:]
        // Objects our stage builds from parts (the sink) are compared with that part's mask.
        for o in objects {
            guard let id = Self.ourModel(o.name, scenes: scenes) else { continue }
            models[o.name] = try assets.model(id)
        }
        var look = VariantVisual()
        look.robotColour = urdf_version.flatMap { $0.isEmpty ? nil : $0 }
        let visuals = try SceneVisuals(assets: assets, look: look, objects: models, assetRoot: assetRoot)
        var q: [String: Double] = [:]
        for (n, v) in zip(robot_joint_names, robot_qpos) { q[n] = v }
        let links = KinematicTree(assets.robot).linkPoses(q, base: robot_base_pose.pose)
        let objectPoses = Dictionary(uniqueKeysWithValues: objects.map { ($0.name, $0.pose_world.pose) })
        var propPoses: [String: Pose] = [:]
        // The cabinet: our prop URDF (its own link names) placed by our kinematics at the frame's root pose and qpos.
        for (a, prop) in zip(articulations ?? [], assets.task.articulations ?? []) {
            guard let urdf = assets.props[prop.name] else { continue }
            let q = Dictionary(uniqueKeysWithValues: zip(a.joint_names, a.qpos))
            for (l, pose) in KinematicTree(urdf).linkPoses(q, base: a.root_pose_world.pose) { propPoses["\(prop.name)/\(l)"] = pose }
        }
        let scene = visuals.renderScene(object: { objectPoses[$0] }, link: { links[$0] }, propLink: { propPoses[$0] })
        guard let mount = assets.setup.cameras.first, let parent = links[mount.link] else {
            throw DataFileError(file: "setups/\(assets.setup.name).json", field: "cameras", message: "no camera on a robot link")
        }
        let out = Rasterizer().render(scene, camera: mount.camera(on: parent), outputs: [.rgb, .segmentation])
        guard let rgb = out.rgb, let seg = out.segmentation else { throw DataFileError(file: file, field: "", message: "render failed") }

        let refSeg = try PNGDecoder.decodeGray16(Data(contentsOf: directory.appendingPathComponent(image.seg_file)))
        let refRGB = try readPNG(directory.appendingPathComponent(image.file)).rgb
        guard refSeg.width == rgb.width, refSeg.height == rgb.height, refRGB.width == rgb.width, refRGB.height == rgb.height else {
            throw DataFileError(file: file, field: "image", message: "\(refSeg.width)×\(refSeg.height) reference, \(rgb.width)×\(rgb.height) camera")
        }
        // Group labels per pixel: "robot", an object name, or "cabinet".
        func refLabel(_ id: UInt16) -> String? {
            guard let a = seg_id_to_name["\(id)"] else { return nil }
            if a.kind == "robot_link" { return "robot" }
            if a.kind.hasPrefix("articulation_link") { return "cabinet" }
            return a.name == "arena" ? nil : a.name
        }
        func ourLabel(_ id: UInt32) -> String? {
            guard let n = visuals.actorNames[id] else { return nil }
            if n.hasPrefix("robot:") { return "robot" }
            if n.hasPrefix("object:") { return String(n.dropFirst(7)) }
            guard n.hasPrefix("prop:"), !n.hasPrefix("prop:background/") else { return nil }
            return n.contains("/") ? "cabinet" : String(n.dropFirst(5))
        }
        var refCache: [UInt16: String?] = [:], ourCache: [UInt32: String?] = [:]
        var inter: [String: Int] = [:], union: [String: Int] = [:]
        var rgbError = 0, robotPixels = 0
        for i in 0..<refSeg.values.count {
            let r = refCache[refSeg.values[i]] ?? { let l = refLabel(refSeg.values[i]); refCache[refSeg.values[i]] = l; return l }()
            let o = ourCache[seg.ids[i]] ?? { let l = ourLabel(seg.ids[i]); ourCache[seg.ids[i]] = l; return l }()
            if let r { union[r, default: 0] += 1; if r == o { inter[r, default: 0] += 1 } }
            if let o, o != r { union[o, default: 0] += 1 }
            if r == "robot" {
                robotPixels += 1
                for c in 0..<3 { rgbError += abs(Int(rgb.pixels[3 * i + c]) - Int(refRGB.pixels[3 * i + c])) }
            }
        }
        func iou(_ k: String) -> Double { Double(inter[k] ?? 0) / Double(max(1, union[k] ?? 0)) }
        let seen = Set(image.foreground_ids)
        let names = (objects.filter { seen.contains($0.id) }.map(\.name) + (articulations?.isEmpty == false ? ["cabinet"] : []))
            .filter { (union[$0] ?? 0) > 0 }
        return Comparison(task: task, episode: episode, robotIoU: iou("robot"), objectIoU: names.map { ($0, iou($0)) },
                          robotRGBError: Double(rgbError) / Double(max(1, 3 * robotPixels)), sources: visuals.visualSources)
    }

    /// Our object model for a SimplerEnv model id: the same id, or the unbaked one (`baked_opened_pepsi_can` →
    /// `opened_pepsi_can`: same geometry, lighting baked into the texture).
    /// nil when we have no such object model (a stage part instead).
    static func ourModel(_ name: String, scenes: URL) -> String? {
        var id = name
        if id.hasPrefix("baked_") { id.removeFirst(6) }
        if id.hasSuffix("_v2") { id.removeLast(3) }
        return [name, id].first { FileManager.default.fileExists(atPath: scenes.appendingPathComponent("objects/\($0).json").path) }
    }
}
