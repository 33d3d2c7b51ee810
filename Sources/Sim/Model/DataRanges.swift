import Foundation
import Kinematics
import VLMath

/// Range checks on scene data that decoding alone accepts: a value that would trip an ODE assertion (killing the
/// process), make every pose NaN, or make each episode error or run forever is refused when the task loads, with
/// one line naming the file, field and value.
enum DataRanges {
    /// Fastest physics step accepted, Hz: 20× SimplerEnv's 500 Hz (ManiSkill2_real2sim `sim_freq`); beyond it an
    /// episode takes hours.
    static let maxSimFrequency = 10_000.0
    /// Heaviest object accepted, kg: SimplerEnv's objects weigh grams to a kilogram (simplerenv-tasks.md §2.4);
    /// 1e300 overflows ODE's mass check (an assertion).
    static let maxObjectMass = 1000.0
    /// Densest object accepted, kg/m³: SimplerEnv's model database goes up to 100,000 (the invisible sink target
    /// plane and the sink, simplerenv-tasks.md §2.4); ten times that leaves room. A wrong value would make a mesh's
    /// mass absurd without tripping the mass check.
    static let maxObjectDensity = 1_000_000.0
    /// Lightest object accepted, kg: SimplerEnv's lightest weighs 17.9 g (scenes/objects); 5.5e-37 kg made the
    /// settling body's orientation NaN, an ODE assertion (fuzz/scenes).
    static let minObjectMass = 1e-3
    /// Largest collision extent or pose offset accepted, m (the tables are about 2 m).
    static let maxExtent = 100.0
    /// Largest camera image side accepted, pixels (SimplerEnv's cameras are 640×512 and 640×480).
    static let maxImageSide = 4096
    /// Most IK iterations per control step accepted (the set-ups use 100; more only stalls an episode).
    static let maxIKIterations = 10_000
    /// Slack on joint limits for initial positions written with fewer digits than the URDF's limits, rad or m.
    static let limitSlack = 1e-6

    static func check(_ ok: Bool, _ file: String, _ field: String, _ message: @autoclosure () -> String) throws {
        if !ok { throw DataFileError(file: file, field: field, message: message()) }
    }

    /// Control and physics rates, joint positions, cameras and link frictions of a robot set-up.
    static func validate(_ s: RobotSetup, robot: URDFModel, file: String) throws {
        let c = s.controller
        try check(c.controlFrequency.isFinite && c.controlFrequency > 0, file, "controller.control_frequency",
                  "must be a positive number of Hz, got \(c.controlFrequency)")
        try check(c.simFrequency.isFinite && c.simFrequency >= c.controlFrequency && c.simFrequency <= maxSimFrequency,
                  file, "controller.sim_frequency",
                  "must be between control_frequency (\(c.controlFrequency)) and \(maxSimFrequency) Hz, got \(c.simFrequency)")
        try jointValues(s.initialQpos, robot: robot, file: file, field: "initial_qpos", robotName: s.urdf)
        try controller(c, robot: robot, file: file, urdf: s.urdf)
        let links = Set(robot.links.map(\.name))
        func link(_ name: String, _ field: String) throws {
            try check(links.contains(name), file, field, "'\(name)' is not a link of \(s.urdf)")
        }
        for (i, finger) in (s.grasp?.fingers ?? []).enumerated() {
            for (k, l) in finger.links.enumerated() { try link(l, "grasp.fingers[\(i)].links[\(k)]") }
        }
        for (i, cam) in s.cameras.enumerated() {
            let f = "cameras[\(i)]"
            try link(cam.link, f + ".link")
            try check((1...maxImageSide).contains(cam.width) && (1...maxImageSide).contains(cam.height), file, f + ".width",
                      "image size must be 1…\(maxImageSide) pixels a side, got \(cam.width)×\(cam.height)")
            try check([cam.fx, cam.fy].allSatisfy { $0.isFinite && $0 > 0 } && cam.cx.isFinite && cam.cy.isFinite, file, f + ".fx",
                      "focal lengths must be positive and the principal point finite")
            try check(cam.near > 0 && cam.far > cam.near && cam.far.isFinite, file, f + ".near", "needs 0 < near < far")
            try pose(cam.pose, file, f + ".pose")
        }
        for (name, mu) in (s.linkFriction ?? [:]).sorted(by: { $0.key < $1.key }) {
            try link(name, "link_friction.\(name)")
            try check(mu.isFinite && mu >= 0, file, "link_friction.\(name)", "must be ≥ 0, got \(mu)")
        }
    }

    /// Joints each arm drives (movable joints of the robot), its end-effector link, the IK budget, planner limits and
    /// gripper settings. (Gain counts are checked where the arms are built, `ControlledArm`.)
    static func controller(_ c: ControllerConfig, robot: URDFModel, file: String, urdf: String) throws {
        let movable = Set(robot.joints.filter(\.type.isMovable).map(\.name))
        try check(!c.arms.isEmpty, file, "controller.arms", "must name at least one arm")
        for a in c.arms {
            let f = "controller.arms.\(a.name)"
            for (field, names) in [("joints", a.joints), ("gripper_joints", a.gripperJoints), ("held_joints", a.heldJoints ?? [])] {
                try check(field == "held_joints" || !names.isEmpty, file, "\(f).\(field)", "must name at least one joint")
                for (i, n) in names.enumerated() {
                    try check(movable.contains(n), file, "\(f).\(field)[\(i)]", "'\(n)' is not a movable joint of \(urdf)")
                }
            }
            try check(robot.links.contains { $0.name == a.eeLink }, file, "\(f).ee_link", "'\(a.eeLink)' is not a link of \(urdf)")
            for (field, v) in [("gripper_closed", a.gripperClosed), ("gripper_open", a.gripperOpen)] {
                if let v { try check(v.isFinite, file, "\(f).\(field)", "must be finite, got \(v)") }
            }
        }
        if let n = c.ikMaxIterations {
            try check((1...maxIKIterations).contains(n), file, "controller.ik_max_iterations", "must be 1…\(maxIKIterations), got \(n)")
        }
        for (field, p) in [("arm_planner", c.armPlanner), ("gripper_planner", c.gripperPlanner)] {
            guard let p else { continue }
            try check([p.velocity, p.acceleration, p.jerk, p.velocityClip].allSatisfy { $0.isFinite && $0 > 0 }, file,
                      "controller.\(field)", "velocity, acceleration, jerk and velocity_clip must be positive")
        }
        if let d = c.gripperDelta {
            try check(d.scale.isFinite && d.deadBand.isFinite && d.deadBand >= 0 && d.targetRange.count == 2
                      && d.targetRange.allSatisfy(\.isFinite) && d.targetRange[0] <= d.targetRange[1], file, "controller.gripper_delta",
                      "needs a finite scale, dead_band ≥ 0 and target_range [low, high]")
        }
    }

    /// Every joint named must be a movable joint of the robot, at a finite value within its limits.
    static func jointValues(_ q: [String: Double], robot: URDFModel, file: String, field: String, robotName: String) throws {
        for (name, value) in q.sorted(by: { $0.key < $1.key }) {
            guard let j = robot.joint(named: name), j.type.isMovable else {
                throw DataFileError(file: file, field: "\(field).\(name)", message: "not a movable joint of \(robotName)")
            }
            let inLimits = j.type == .continuous || j.limit.map { value >= $0.lower - limitSlack && value <= $0.upper + limitSlack } ?? true
            try check(value.isFinite && inLimits, file, "\(field).\(name)",
                      "\(value) is outside the joint's limits [\(j.limit?.lower ?? -.infinity), \(j.limit?.upper ?? .infinity)]")
        }
    }

    /// Mass, friction, damping and collision primitives of an object model.
    static func validate(_ m: ObjectModel, file: String) throws {
        try check(m.mass.isFinite && m.mass >= minObjectMass && m.mass <= maxObjectMass, file, "mass",
                  "must be in [\(minObjectMass), \(maxObjectMass)] kg, got \(m.mass)")
        try check(!m.collision.isEmpty, file, "collision", "needs at least one primitive")
        try check(m.friction.isFinite && m.friction >= 0, file, "friction", "must be ≥ 0, got \(m.friction)")
        if let d = m.damping { try check(d.isFinite && d >= 0, file, "damping", "must be ≥ 0, got \(d)") }
        if let d = m.density {
            try check(d.isFinite && d > 0 && d <= maxObjectDensity, file, "density", "must be in (0, \(maxObjectDensity)] kg/m³, got \(d)")
        }
        try check([m.bbox.x, m.bbox.y, m.bbox.z].allSatisfy { $0.isFinite && $0 > 0 && $0 <= maxExtent }, file, "bbox",
                  "must be 3 positive sizes up to \(maxExtent) m")
        for (i, p) in m.collision.enumerated() { try primitive(p, file, "collision[\(i)]") }
    }

    /// The stage's static parts.
    static func validate(_ s: StageDefinition, file: String) throws {
        try check(s.tableHeight.isFinite && abs(s.tableHeight) <= maxExtent, file, "table_height", "must be finite, got \(s.tableHeight)")
        for (i, part) in s.parts.enumerated() {
            try primitive(part.primitive, file, "parts[\(i)].primitive")
            if let mu = part.friction { try check(mu.isFinite && mu >= 0, file, "parts[\(i)].friction", "must be ≥ 0, got \(mu)") }
        }
    }

    /// A box needs `size`, a cylinder `radius` and `length`, a sphere `radius` — positive and at most `maxExtent`.
    static func primitive(_ p: CollisionPrimitive, _ file: String, _ field: String) throws {
        func size(_ v: Double?, _ name: String) throws {
            guard let v else { throw DataFileError(file: file, field: "\(field).\(name)", message: "is missing for a \(p.shape.rawValue)") }
            try check(v.isFinite && v > 0 && v <= maxExtent, file, "\(field).\(name)", "must be in (0, \(maxExtent)] m, got \(v)")
        }
        switch p.shape {
        case .box:
            guard let s = p.size else { throw DataFileError(file: file, field: "\(field).size", message: "is missing for a box") }
            for (axis, v) in zip(["x", "y", "z"], [s.x, s.y, s.z]) { try size(v, "size.\(axis)") }
        case .cylinder: try size(p.radius, "radius"); try size(p.length, "length")
        case .sphere: try size(p.radius, "radius")
        }
        if let pose = p.pose { try self.pose(pose, file, "\(field).pose") }
    }

    static func pose(_ p: Pose, _ file: String, _ field: String) throws {
        let values = [p.p.x, p.p.y, p.p.z, p.q.w, p.q.x, p.q.y, p.q.z]
        try check(values.allSatisfy(\.isFinite) && [p.p.x, p.p.y, p.p.z].allSatisfy { abs($0) <= maxExtent }, file, field,
                  "must be finite, within \(maxExtent) m")
    }
}
