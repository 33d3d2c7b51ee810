import Foundation
import VLMath

/// Data of the toy bimanual robot of `ToyRobotEngineTests`, written into a temporary scenes directory.
enum ToyRobot {
    static func link(_ name: String, box: String = "0.04 0.04 0.04", at xyz: String = "0 0 0") -> String {
        """
          <link name="\(name)">
            <inertial><origin xyz="\(xyz)"/><mass value="0.2"/><inertia ixx="0.001" ixy="0" ixz="0" iyy="0.001" iyz="0" izz="0.001"/></inertial>
            <visual><origin xyz="\(xyz)"/><geometry><box size="\(box)"/></geometry></visual>
            <collision><origin xyz="\(xyz)"/><geometry><box size="\(box)"/></geometry></collision>
          </link>
        """
    }

    static func joint(_ name: String, _ type: String, parent: String, child: String, xyz: String, axis: String,
                      limit: (Double, Double) = (-3.14, 3.14)) -> String {
        """
          <joint name="\(name)" type="\(type)"><parent link="\(parent)"/><child link="\(child)"/>
            <origin xyz="\(xyz)"/><axis xyz="\(axis)"/><limit lower="\(limit.0)" upper="\(limit.1)" effort="100" velocity="3"/></joint>
        """
    }

    /// One arm: six revolute joints (z, y, y, x, y, x), a TCP frame and two prismatic fingers.
    static func arm(_ side: String, y: Double) -> String {
        let p = side
        return [
            link("\(p)_mount"),
            "  <joint name=\"\(p)_mount_joint\" type=\"fixed\"><parent link=\"base_link\"/><child link=\"\(p)_mount\"/><origin xyz=\"0 \(y) 0.5\"/></joint>",
            link("\(p)_l1"), joint("\(p)_j1", "revolute", parent: "\(p)_mount", child: "\(p)_l1", xyz: "0 0 0.05", axis: "0 0 1"),
            link("\(p)_l2", box: "0.25 0.03 0.03", at: "0.125 0 0"),
            joint("\(p)_j2", "revolute", parent: "\(p)_l1", child: "\(p)_l2", xyz: "0 0 0.05", axis: "0 1 0"),
            link("\(p)_l3", box: "0.2 0.03 0.03", at: "0.1 0 0"),
            joint("\(p)_j3", "revolute", parent: "\(p)_l2", child: "\(p)_l3", xyz: "0.25 0 0", axis: "0 1 0"),
            link("\(p)_l4"), joint("\(p)_j4", "revolute", parent: "\(p)_l3", child: "\(p)_l4", xyz: "0.2 0 0", axis: "1 0 0"),
            link("\(p)_l5"), joint("\(p)_j5", "revolute", parent: "\(p)_l4", child: "\(p)_l5", xyz: "0.05 0 0", axis: "0 1 0"),
            link("\(p)_l6"), joint("\(p)_j6", "revolute", parent: "\(p)_l5", child: "\(p)_l6", xyz: "0.05 0 0", axis: "1 0 0"),
            "  <link name=\"\(p)_tcp\"/>",
            "  <joint name=\"\(p)_tcp_joint\" type=\"fixed\"><parent link=\"\(p)_l6\"/><child link=\"\(p)_tcp\"/><origin xyz=\"0.08 0 0\"/></joint>",
            link("\(p)_finger_a", box: "0.04 0.01 0.02"),
            joint("\(p)_finger_a_joint", "prismatic", parent: "\(p)_l6", child: "\(p)_finger_a", xyz: "0.05 0.01 0", axis: "0 1 0", limit: (0, 0.04)),
            link("\(p)_finger_b", box: "0.04 0.01 0.02"),
            joint("\(p)_finger_b_joint", "prismatic", parent: "\(p)_l6", child: "\(p)_finger_b", xyz: "0.05 -0.01 0", axis: "0 -1 0", limit: (0, 0.04)),
        ].joined(separator: "\n")
    }

    static var urdf: String {
        "<?xml version=\"1.0\"?>\n<robot name=\"toy_bimanual\">\n" + link("base_link", box: "0.1 0.8 0.1", at: "0 0 0.45") + "\n"
            + arm("left", y: 0.3) + "\n" + arm("right", y: -0.3) + "\n</robot>\n"
    }

    static func armBlock(_ side: String) -> String {
        """
            {"name": "\(side)", "joints": [\((1...6).map { "\"\(side)_j\($0)\"" }.joined(separator: ", "))], "ee_link": "\(side)_tcp",
             "gains": {"stiffness": [1000, 1000, 1000, 1000, 1000, 1000], "damping": [200, 200, 200, 200, 200, 200],
                       "force_limit": [1000, 1000, 1000, 1000, 1000, 1000]},
             "gripper_joints": ["\(side)_finger_a_joint", "\(side)_finger_b_joint"], "gripper_closedness": {"open": 0.04, "closed": 0.0},
             "gripper_gains": {"stiffness": [1000, 1000], "damping": [200, 200], "force_limit": [100, 100]},
             "gripper_closed": 0.0, "gripper_open": 0.04}
        """
    }

    static func entries(_ side: String) -> [String] {
        (1...6).map { #"{"name": "\#(side)_j\#($0)", "unit": "rad", "random": {"low": -0.3, "high": 0.3}}"# }
            + [#"{"name": "\#(side)_gripper", "unit": "1", "bounds": [0, 1], "random": {"low": 0, "high": 1}}"#]
    }

    static var setup: String {
        """
        {
          "_source": "A toy two-arm robot for the engine test (no real counterpart).",
          "name": "toy_bimanual",
          "urdf": "robots/toy_bimanual.urdf",
          "base_pose": {"p": [0, 0, 0]},
          "initial_qpos": {"left_finger_a_joint": 0.04, "left_finger_b_joint": 0.04, "right_finger_a_joint": 0.04, "right_finger_b_joint": 0.04},
          "controller": {
            "kind": "joint_position_move", "control_frequency": 10, "sim_frequency": 250,
            "arms": [
        \(armBlock("left")),
        \(armBlock("right"))
            ],
            "motion": {"velocity": 1.0, "acceleration": 1.0, "idle_substeps": 50}
          },
          "action_space": {"name": "joint_position", "entries": [\((entries("left") + entries("right")).joined(separator: ", "))]},
          "cameras": []
        }
        """
    }

    static let stage = """
        {"name": "toy_floor", "table_height": 0.0,
         "parts": [{"name": "floor", "primitive": {"shape": "box", "size": [4, 4, 0.1], "pose": {"p": [0, 0, -1.0]}}}]}
        """

    /// Reach: the right TCP within 5 cm of `tcp` on every axis.
    static func task(tcp p: Vec3, termination: String, maxSteps: Int) -> String {
        let h = 0.05
        return """
            {"name": "toy_reach", "suite": "toy", "setup": "toy_bimanual", "stage": "toy_floor",
             "instruction": "reach with the right arm", "max_steps": \(maxSteps), "objects": [],
             "factors": {"factors": [{"name": "only", "options": [{"label": "a"}]}]},
             "termination": "\(termination)",
             "success": {"kind": "tcp_in_region", "link": "right_tcp", "contact_impulse": 1e-6,
                         "thresholds": {"x_min": \(p.x - h), "x_max": \(p.x + h), "y_min": \(p.y - h), "y_max": \(p.y + h),
                                        "z_min": \(p.z - h), "z_max": \(p.z + h)}}}
            """
    }
}
