import Foundation
import Kinematics
import Physics
import VLMath

/// The mutable state of one episode of one task: a fresh physics world, the robot, the objects and the
/// controller (the "data" half; `TaskAssets` is the model). One control step = one action, then
/// `sim_frequency / control_frequency` physics sub-steps with the joint targets held.
public final class Episode {
    public let assets: TaskAssets
    public let index: Int
    public let world: PhysicsWorld
    let robot: Articulation
    let controller: EETargetDeltaPoseController
    private(set) var objects: [String: SceneObject] = [:]
    private(set) var actorOf: [GeomHandle: Actor] = [:]
    public private(set) var step = 0
    public private(set) var evaluation: TaskEvaluation
    var tracker: SuccessTracker

    /// Builds the scene for episode `index` of the task's grid and runs the settle procedure.
    public init(assets: TaskAssets, index: Int) throws {
        guard let placement = assets.task.episodes.placement(index) else {
            throw DataFileError(file: "tasks/\(assets.task.name).json", field: "episodes",
                                message: "episode index \(index) is outside 0..<\(assets.episodeCount)")
        }
        self.assets = assets
        self.index = index
        var settings = PhysicsSettings()
        settings.timeStep = 1 / assets.setup.controller.simFrequency
        world = PhysicsWorld(settings: settings)

        for part in assets.stage.parts {
            let shape = try ShapeFactory.shape(part.primitive, owner: "stages/\(assets.stage.name).json")
            let g = try world.addGeom(shape, body: nil, offset: part.primitive.pose ?? .identity,
                                      material: SurfaceMaterial(friction: part.friction ?? SurfaceMaterial.sapienDefault.friction))
            actorOf[g] = .prop(name: part.name)
        }
        var spawn: [Quat] = []
        var built: [SceneObject] = []
        let z = assets.stage.tableHeight + SettleProcedure.dropHeight
        for slot in assets.task.objects {
            let model = assets.objects[slot.role]!
            let (xy, q): ((Double, Double), Quat) = slot.role == "source"
                ? (placement.sourceXY, placement.sourceOrientation) : (placement.targetXY, placement.targetOrientation)
            let o = try Self.addObject(model, role: slot.role, at: Pose(p: Vec3(xy.0, xy.1, z), q: q), in: world,
                                       actorOf: &actorOf)
            built.append(o)
            spawn.append(q)
        }
        try SettleProcedure.run(world, objects: built, spawn: spawn)
        for var o in built {
            o.settledPose = world.pose(of: o.body)
            o.settledBBox = o.settledPose.q.act(o.model.bbox)
            objects[o.role] = o
        }

        let setup = assets.setup
        robot = try Articulation(world: world, model: assets.robot, basePose: setup.basePose) { link in
            // Finger pads carry μ = 2.0 (§6.1); other links SAPIEN's default 1.0 (§1.1).
            setup.grasp.fingers.contains { $0.links.contains(link) } ? SurfaceMaterial(friction: 2.0) : .sapienDefault
        }
        for (g, link) in robot.linkOfGeom { actorOf[g] = .robot(link: link) }
        robot.setConfiguration(setup.initialQpos, in: world)
        controller = try EETargetDeltaPoseController(config: setup.controller, model: assets.robot)
        let q = robot.jointPositions(world)
        controller.reset(armPositions: setup.controller.armJoints.map { q[$0] ?? 0 },
                         gripperPosition: q[setup.controller.gripperJoints[0]] ?? 0)
        controller.installDrives(robot, in: world)
        tracker = SuccessTracker(spec: assets.task.success, grasp: setup.grasp)
        evaluation = TaskEvaluation()
        evaluation = tracker.evaluate(self, contacts: ContactQuery(contacts: [], actorOf: actorOf))
    }

    static func addObject(_ model: ObjectModel, role: String, at pose: Pose, in world: PhysicsWorld,
                          actorOf: inout [GeomHandle: Actor]) throws -> SceneObject {
        let owner = "objects/\(model.id).json"
        let shapes = try model.collision.map { (try ShapeFactory.shape($0, owner: owner), $0.pose ?? .identity) }
        let volume = shapes.reduce(0) { $0 + $1.0.volume }
        let parts = shapes.map { MassProperties.solid($0.0, mass: model.mass * $0.0.volume / max(volume, 1e-12), offset: $0.1) }
        let mass = MassProperties.combine(parts)
        let body = world.addBody(name: role, pose: pose * Pose(p: mass.centerOfMass),
                                 mass: MassProperties(mass: mass.mass, inertia: mass.inertia))
        world.setDamping(body, linear: model.damping ?? 0, angular: model.damping ?? 0)
        for (shape, offset) in shapes {
            let g = try world.addGeom(shape, body: body, offset: Pose(p: offset.p - mass.centerOfMass, q: offset.q),
                                      material: SurfaceMaterial(friction: model.friction))
            actorOf[g] = .object(role: role)
        }
        return SceneObject(role: role, model: model, body: body)
    }

    /// Executes one action for one control period. Throws `PhysicsError.diverged` if the simulation blows up.
    public func apply(_ action: [Double]) throws {
        guard action.count == 7, action.allSatisfy({ $0.isFinite }) else {
            throw ActionError.invalid("expected 7 finite numbers [dx, dy, dz, rx, ry, rz, g], got \(action)")
        }
        let q = robot.jointPositions(world)
        controller.apply(action, armPositions: assets.setup.controller.armJoints.map { q[$0]! })
        controller.writeTargets(robot, in: world)
        for _ in 0..<assets.subSteps { try world.step() }
        step += 1
        evaluation = tracker.evaluate(self, contacts: ContactQuery(contacts: world.contacts, actorOf: actorOf))
    }

    public var isDone: Bool { step >= assets.task.maxSteps }
    public var simTime: Double { Double(world.stepCount) * world.settings.timeStep }

    /// Current pose of an object's centre (world frame).
    public func objectPose(_ role: String) -> Pose? { objects[role].map { world.pose(of: $0.body) } }
    public func settledPose(_ role: String) -> Pose? { objects[role]?.settledPose }
    public func linkPose(_ link: String) -> Pose? { robot.linkPose(link, in: world) }
    public var jointPositions: [String: Double] { robot.jointPositions(world) }
}

public enum ActionError: Error, CustomStringConvertible {
    case invalid(String)
    public var description: String { if case .invalid(let m) = self { return "invalid action: \(m)" }; return "" }
}
