import Foundation
import Physics
import VLMath

/// A manipulated object in an episode: its model, its body, and where it came to rest after settling. The body's
/// frame is the centre of mass (ODE's rule); SimplerEnv's actor pose is the model frame, which differs from it for
/// meshes (the plate's origin is its bottom): its on-target test uses the centre of mass (§2.6), its displacement
/// and lift tests the actor origin (§2.7, §3.4).
struct SceneObject {
    let role: String
    let model: ObjectModel
    let body: BodyHandle
    let collision: ObjectCollision
    /// Centre-of-mass pose after the drop-and-settle procedure (SimplerEnv's "xyz_after_settle", §1.2).
    var settledPose: Pose = .identity
    /// Actor (model-frame) pose after settling.
    var settledOrigin: Pose = .identity
    /// SimplerEnv's bbox rotated by the settled orientation (`bbox_world = R(q_settled)·bbox_size`, §1.2).
    var settledBBox: Vec3 = .zero

    init(role: String, model: ObjectModel, body: BodyHandle, collision: ObjectCollision) {
        self.role = role; self.model = model; self.body = body; self.collision = collision
    }

    /// The model frame (actor pose) now.
    func origin(_ world: PhysicsWorld) -> Pose { world.pose(of: body) * Pose(p: -collision.mass.centerOfMass) }
    /// The centre of the collision bounds, oriented as the model: the box the expert plans against.
    func boundsPose(_ world: PhysicsWorld) -> Pose { origin(world) * Pose(p: collision.boundsCenter) }

    /// The centre of mass in the model frame: the body sits there.
    var centerOfMass: Vec3 { collision.mass.centerOfMass }
}

/// RoboTwin's settle and stability check (RoboTwin envs/_base_task.py): the placed objects are simulated for
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

    /// Inertia about the locked axes, relative to the free one, while tilt is locked.
    static let lockedInertiaFactor = 1e4
    /// Physics steps per time step while the objects drop: PhysX stops a falling object at the surface (speculative
    /// contacts within the 5 mm contact offset, §1.1), where ODE's discrete contacts let a 3 m/s object sink 6 mm in
    /// one 2 ms step and the push-out kicks it up and sideways; at 0.2 ms it sinks 0.6 mm. The eggplant dropped into
    /// the 82-piece sink otherwise spins up to hundreds of rad/s (docs/collision.md).
    static let dropSubsteps = 10

    static func run(_ world: PhysicsWorld, objects: [SceneObject], spawn: [Quat]) throws {
        let h = world.settings.timeStep
        let free = objects.map { world.massProperties(of: $0.body) }
        for (o, m) in zip(objects, free) { world.setMass(o.body, tiltLocked(m, world.pose(of: o.body).q)) }
        for _ in 0..<Int((lockedDuration / h).rounded()) {
            for _ in 0..<dropSubsteps { try world.step(duration: h / Double(dropSubsteps)) }
            for (o, q0) in zip(objects, spawn) { lockTilt(world, o.body, q0) }
        }
        for (o, m) in zip(objects, free) {
            world.setMass(o.body, m)
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

    /// The body-frame inertia of a body whose rotation about world x and y is locked, as PhysX's lock flags do inside
    /// the solver: huge about world x and y, the free value about world z. Projecting the tilt away after each step
    /// alone lets an off-centre landing spin the body within the step, and friction turns that spin into a sideways
    /// kick. Rotations about world z keep this tensor, so it holds for the whole locked phase.
    static func tiltLocked(_ m: MassProperties, _ q: Quat) -> MassProperties {
        let r = Mat3(q)
        let zz = (r * m.inertia * r.transposed)[2, 2]
        let world = Mat3.diagonal(Vec3(lockedInertiaFactor * zz, lockedInertiaFactor * zz, zz))
        return MassProperties(mass: m.mass, inertia: r.transposed * world * r)
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

extension TaskAssets {
    /// Adds one object of model `id` to `world` as episodes build it (same shapes, mass, friction and damping) with
    /// its model frame at `pose`, for studies outside the episode loop; returns its body and the model frame in it.
    public func addObject(_ id: String, at pose: Pose, in world: PhysicsWorld) throws -> (body: BodyHandle, modelInBody: Pose) {
        let model = try model(id)
        var actors: [GeomHandle: Actor] = [:]
        let o = try Episode.addObject(model, collision: try collision(model), role: id, at: pose, in: world, actorOf: &actors)
        return (o.body, Pose(p: -o.collision.mass.centerOfMass))
    }

    /// Centre of model `id`'s collision bounds in its model frame.
    public func boundsCenter(_ id: String) throws -> Vec3 { try collision(try model(id)).boundsCenter }
}
