import Foundation
import VLMath

/// Hand-built scenes for tests, benchmarks and the viewer demo: they need no physics. The WidowX pose comes from
/// a small forward-kinematics walk of the wx250s joint table (simplerenv-tasks.md §6.1) at the §2.1 initial qpos.
public enum DemoScenes {
    public struct Demo {
        public var scene: RenderScene
        public var camera: PinholeCamera
        /// Segmentation ids kept under the §1.4 overlay (robot links and task objects).
        public var keep: Set<UInt32>
    }

    /// Segmentation ids: the table, the task objects (source = 2, target = 3), the sink, then one per robot link.
    public static let tableID: UInt32 = 1, carrotID: UInt32 = 2, plateID: UInt32 = 3, sinkID: UInt32 = 4, firstRobotLinkID: UInt32 = 10
    /// Flat-table robot base pose (simplerenv-tasks.md §2.1): (0.147, 0.028, 0.870), yaw π.
    public static let widowxBase = Pose(p: Vec3(0.147, 0.028, 0.870), q: Quat(w: 0, x: 0, y: 0, z: 1))
    /// Flat-table initial arm qpos (§2.1): waist, shoulder, elbow, forearm_roll, wrist_angle, wrist_rotate; finger 0.037.
    public static let widowxInitialQpos = [-0.01840777, 0.0398835, 0.22242722, -0.00460194, 1.36524296, 0.00153398]
    static let fingerOpening = 0.037

    /// Sink setup (§2.1): base (0.127, 0.060, 0.850), yaw π, and its initial arm qpos.
    public static let widowxSinkBase = Pose(p: Vec3(0.127, 0.060, 0.850), q: Quat(w: 0, x: 0, y: 0, z: 1))
    public static let widowxSinkQpos = [-0.2600599, -0.12875618, 0.04461369, -0.00652761, 1.7033415, -0.26983038]

    /// The WidowX tasks' demo scenes at episode 0 (§2.5), keyed by the SimplerEnv task name.
    public static let widowxTasks = ["widowx_carrot_on_plate", "widowx_put_eggplant_in_basket", "widowx_spoon_on_towel",
                                     "widowx_stack_cube"]

    /// The carrot-on-plate scene (the benchmark and test fixture).
    public static func widowxCarrot() throws -> Demo { try widowx(task: "widowx_carrot_on_plate") }

    /// Episode 0 of a WidowX task. Heights are [MS3]'s settled spawn heights (§2.4): carrot/cubes centre 0.887529,
    /// plate bottom 0.869532, spoon 0.88, towel 0.875; the table top is at z = 0.87. The sink (an always-overlay
    /// prop, §1.4) is drawn but not kept; the eggplant rests in its basin (floor height UNVERIFIED, §2.4).
    public static func widowx(task: String) throws -> Demo {
        let yaw180 = Quat(w: 0, x: 0, y: 0, z: 1)
        let objects: [(VisualSpec, Pose)]
        var sink = false
        switch task {
        case "widowx_carrot_on_plate":
            objects = [(VisualSpec(shape: "carrot"), Pose(p: Vec3(-0.235, -0.075, 0.887529), q: yaw180)),
                       (VisualSpec(shape: "plate"), Pose(p: Vec3(-0.235, 0.075, 0.869532 + 0.003)))]
        case "widowx_spoon_on_towel":
            objects = [(VisualSpec(shape: "spoon"), Pose(p: Vec3(-0.235, -0.075, 0.88))),
                       (VisualSpec(shape: "towel"), Pose(p: Vec3(-0.235, 0.075, 0.875)))]
        case "widowx_stack_cube":
            objects = [(VisualSpec(shape: "cube"), Pose(p: Vec3(-0.21, -0.05, 0.887529))),
                       (VisualSpec(shape: "cube", color: [0.95, 0.85, 0.1]), Pose(p: Vec3(-0.21, 0.05, 0.887529)))]
        case "widowx_put_eggplant_in_basket":
            sink = true
            objects = [(VisualSpec(shape: "eggplant"), Pose(p: Vec3(-0.115, 0.191, 0.90)))]
        default:
            throw VisualSpecError.badField(field: "task", value: task, expected: widowxTasks.joined(separator: ", "))
        }
        var instances = [MeshInstance(mesh: Primitives.box(Float3(1.2, 1.6, 0.05)), pose: Pose(p: Vec3(-0.2, 0, sink ? 0.825 : 0.845)),
                                      material: Material(rgb: 0.55, 0.50, 0.45), segmentationID: tableID)]
        if sink {
            // Sink posed at (−0.16, 0.13, 0.88), its bbox starting at z = 0 (§2.4): centre 0.115/2 higher.
            instances += try VisualModel(VisualSpec(shape: "sink")).instances(at: Pose(p: Vec3(-0.16, 0.13, 0.88 + 0.0575)),
                                                                             segmentationID: sinkID)
        }
        var keep: [UInt32] = []
        for (k, (spec, pose)) in objects.enumerated() {
            let id = carrotID + UInt32(k)
            instances += try VisualModel(spec).instances(at: pose, segmentationID: id)
            keep.append(id)
        }
        let base = sink ? widowxSinkBase : widowxBase
        let robot = widowxLinks(base: base, qpos: sink ? widowxSinkQpos : widowxInitialQpos)
        instances += robot
        return Demo(scene: RenderScene(instances: instances, lighting: sink ? .simplerSink : .simplerDefault),
                    camera: SimplerCameras.widowx(base: base, sink: sink), keep: Set(keep + robot.map(\.segmentationID)))
    }

    /// The overlay photo of a WidowX task (§1.4).
    public static func widowxOverlay(task: String) -> String {
        task == "widowx_put_eggplant_in_basket" ? "bridge_sink.png" : "bridge_real_eval_1.png"
    }

    /// Box-shaped stand-ins for the WidowX links, posed by forward kinematics; one segmentation id per link.
    public static func widowxLinks(base: Pose, qpos: [Double]) -> [MeshInstance] {
        let grey = NamedMaterials.all["widowx_dark_grey"]!, black = NamedMaterials.all["widowx_black"]!
        // (joint origin in parent, joint axis, next joint origin in this link) from the §6.1 table.
        let chain: [(Vec3, Vec3, Vec3)] = [
            (Vec3(0, 0, 0.072), Vec3(0, 0, 1), Vec3(0, 0, 0.03865)),        // waist → shoulder_link
            (Vec3(0, 0, 0.03865), Vec3(0, 1, 0), Vec3(0.04975, 0, 0.25)),   // shoulder → upper_arm_link
            (Vec3(0.04975, 0, 0.25), Vec3(0, 1, 0), Vec3(0.175, 0, 0)),     // elbow → upper_forearm_link
            (Vec3(0.175, 0, 0), Vec3(1, 0, 0), Vec3(0.075, 0, 0)),          // forearm_roll → lower_forearm_link
            (Vec3(0.075, 0, 0), Vec3(0, 1, 0), Vec3(0.065, 0, 0)),          // wrist_angle → wrist_link
            (Vec3(0.065, 0, 0), Vec3(1, 0, 0), Vec3(0.066, 0, 0)),          // wrist_rotate → gripper_link (to fingers_link)
        ]
        var out = [MeshInstance(mesh: Primitives.box(Float3(0.11, 0.1, 0.072)), pose: base * Pose(p: Vec3(0, 0, 0.036)),
                                material: grey, segmentationID: firstRobotLinkID)]
        var frame = base
        for (k, (origin, axis, next)) in chain.enumerated() {
            frame = frame * Pose(p: origin, q: Quat(axis: axis, angle: qpos[k]))
            let len = next.norm, thick: Float = k == 0 ? 0.06 : 0.04
            let x = next.normalized
            let helper = abs(axis.dot(x)) < 0.9 ? axis : (abs(x.z) < 0.9 ? Vec3(0, 0, 1) : Vec3(0, 1, 0))
            let along = Quat(Mat3(columns: x, helper, .zero).orthonormalised)
            out.append(MeshInstance(mesh: Primitives.box(Float3(Float(len) + thick * 0.5, thick, thick)),
                                    pose: frame * Pose(p: next * 0.5, q: along), material: grey,
                                    segmentationID: firstRobotLinkID + UInt32(k) + 1))
        }
        // Fingers: pads x ∈ [−0.0121, 0.0432], z ± 0.0145, inner face 11 mm inside the finger origin (§6.1).
        let fingers = frame * Pose(p: Vec3(0.066, 0, 0))
        for (j, side) in [1.0, -1.0].enumerated() {
            let centre = Vec3(0.01555, side * (fingerOpening - 0.003), 0)
            out.append(MeshInstance(mesh: Primitives.box(Float3(0.0553, 0.016, 0.029)), pose: fingers * Pose(p: centre),
                                    material: black, segmentationID: firstRobotLinkID + 7 + UInt32(j)))
        }
        return out
    }
}

extension Mat3 {
    /// Gram–Schmidt on the first two columns (third = cross product): a proper rotation.
    var orthonormalised: Mat3 {
        let x = column(0).normalized
        let y = (column(1) - x * column(1).dot(x)).normalized
        return Mat3(columns: x, y, x.cross(y))
    }
}
