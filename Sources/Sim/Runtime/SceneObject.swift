import Foundation
import Physics
import VLMath

/// A manipulated object in an episode: its model, its body, and where it came to rest after settling.
struct SceneObject {
    let role: String
    let model: ObjectModel
    let body: BodyHandle
    /// Pose after the drop-and-settle procedure (SimplerEnv's "xyz_after_settle", §1.2).
    var settledPose: Pose = .identity
    /// SimplerEnv's bbox rotated by the settled orientation (`bbox_world = R(q_settled)·bbox_size`, §1.2).
    var settledBBox: Vec3 = .zero
    /// The centre of mass in the object (model) frame: the body sits there, the model frame is offset by it.
    var centerOfMass: Vec3 = .zero
}

/// RoboTwin's settle and stability check (robotwin-tasks.md §4.2): the placed objects are simulated for
/// `steps` steps; a scene where any object still turned by more than `max_tilt_deg` within the last `window`
/// steps is unstable, and its seed is skipped (RoboTwin's UnStableError).
enum StabilityCheck {
    static func run(_ world: PhysicsWorld, objects: [SceneObject], check: SceneSampling.SettleCheck) throws {
        var recent: [[Quat]] = []
        for k in 0..<check.steps {
            try world.step()
            if k >= check.steps - check.window { recent.append(objects.map { world.pose(of: $0.body).q }) }
        }
        guard let last = recent.last else { return }
        for (i, o) in objects.enumerated() {
            let worst = recent.map { (last[i].conjugate * $0[i]).angle }.max() ?? 0
            if worst * 180 / .pi > check.maxTiltDegrees {
                throw SceneError.unstable("object '\(o.role)' still turned \(String(format: "%.1f", worst * 180 / .pi))° in the last \(check.window) settle steps")
            }
        }
    }
}

/// A drawn scene that cannot be used; the seed filter skips its seed.
public enum SceneError: Error, CustomStringConvertible {
    case unstable(String)
    public var description: String { if case .unstable(let m) = self { return "unstable scene: \(m)" }; return "" }
}

enum ShapeFactory {
    static func shape(_ p: CollisionPrimitive, owner: String) throws -> Shape {
        func missing(_ f: String) -> DataFileError {
            DataFileError(file: owner, field: "collision.\(f)", message: "is required for a \(p.shape.rawValue)")
        }
        switch p.shape {
        case .box:
            guard let s = p.size else { throw missing("size") }
            return .box(size: s)
        case .cylinder:
            guard let r = p.radius else { throw missing("radius") }
            guard let l = p.length else { throw missing("length") }
            return .cylinder(radius: r, length: l)
        case .sphere:
            guard let r = p.radius else { throw missing("radius") }
            return .sphere(radius: r)
        }
    }
}

/// Drop-and-settle (simplerenv-tasks.md §1.2): objects start 0.5 m above the table with their configured
/// orientation, fall with rotation about world x and y locked for 0.5 s, are released for 0.5 s, and get 1.5 s
/// more if anything still moves. The robot is not in the world yet (SimplerEnv parks it far away).
enum SettleProcedure {
    static let dropHeight = 0.5            // §1.2 step 2: scene_table_height + 0.5
    static let lockedDuration = 0.5        // §1.2 step 3
    static let releasedDuration = 0.5      // §1.2 step 4
    static let extraDuration = 1.5         // §1.2 step 5
    static let linearThreshold = 1e-3      // §1.2 step 5: Σ|v| summed over objects
    static let angularThreshold = 1e-2     // §1.2 step 5: Σ|ω|

    static func run(_ world: PhysicsWorld, objects: [SceneObject], spawn: [Quat]) throws {
        let h = world.settings.timeStep
        for _ in 0..<Int((lockedDuration / h).rounded()) {
            try world.step()
            for (o, q0) in zip(objects, spawn) { lockTilt(world, o.body, q0) }
        }
        for o in objects {
            world.setPose(o.body, world.pose(of: o.body))
            world.setVelocity(o.body, linear: .zero, angular: .zero)
        }
        for _ in 0..<Int((releasedDuration / h).rounded()) { try world.step() }
        let v = objects.reduce(0.0) { $0 + world.linearVelocity(of: $1.body).norm }
        let w = objects.reduce(0.0) { $0 + world.angularVelocity(of: $1.body).norm }
        if v > linearThreshold || w > angularThreshold {
            for _ in 0..<Int((extraDuration / h).rounded()) { try world.step() }
        }
    }

    /// Keeps only the rotation about world z: q = Rz(θ)·q0, ω = (0, 0, ω_z).
    private static func lockTilt(_ world: PhysicsWorld, _ b: BodyHandle, _ q0: Quat) {
        let pose = world.pose(of: b)
        let rel = pose.q * q0.conjugate
        let yaw = 2 * atan2(rel.z, rel.w)
        world.setPose(b, Pose(p: pose.p, q: (Quat(axis: .unitZ, angle: yaw) * q0).normalized))
        let w = world.angularVelocity(of: b)
        world.setVelocity(b, linear: world.linearVelocity(of: b), angular: Vec3(0, 0, w.z))
    }
}
