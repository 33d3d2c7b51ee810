import Foundation
import Kinematics
import Physics
import VLMath

/// A fixed-base robot or prop built in the physics world from its URDF. Links welded by fixed joints become one
/// rigid body (ODE's fixed joints are soft); movable joints become hinges/sliders. Robot links carry no gravity —
/// exact compensation of the arm's weight, as SimplerEnv balances passive forces every sub-step (§1.1); props (the
/// cabinet) keep it. Links of one articulation never collide with each other.
final class Articulation {
    let model: URDFModel
    let tree: KinematicTree
    let basePose: Pose
    /// One rigid group per body; group 0 holds the root link and is static (no body).
    private(set) var groups: [Group] = []
    private var groupOfLink: [String: Int] = [:]
    private(set) var jointHandles: [String: JointHandle] = [:]
    /// Robot link owning each collision geom (for contact queries).
    private(set) var linkOfGeom: [GeomHandle: String] = [:]
    let movableJoints: [URDFJoint]

    struct Group {
        var links: [String]
        var body: BodyHandle?
        /// Pose of each link frame relative to the body (centre-of-mass) frame.
        var linkInBody: [String: Pose]
        var rootLink: String
        /// World pose of the static base group's frame (nil for dynamic groups, which read their body).
        var staticPose: Pose?
    }

    /// Safety cap on link spin (rad/s), far above any commanded motion (URDF joint speeds are ≤ π rad/s).
    static let maxLinkAngularSpeed = 30.0

    /// Collision group shared by all robot geoms (no self-collision), and the one of articulated props.
    static let collisionGroup = 1
    static let propCollisionGroup = 2
    let gravity: Bool
    let group: Int

    init(world: PhysicsWorld, model: URDFModel, basePose: Pose, gravity: Bool = false,
         collisionGroup: Int = Articulation.collisionGroup, materials: (String) -> SurfaceMaterial) throws {
        self.model = model
        self.gravity = gravity
        group = collisionGroup
        tree = KinematicTree(model)
        self.basePose = basePose
        movableJoints = model.joints.filter { $0.type != .fixed }
        let zeroPoses = tree.linkPoses([:], base: basePose)
        try buildGroup(root: model.rootLink, parentGroup: nil, world: world, poses: zeroPoses, materials: materials)
    }

    /// Collects `root` and every link welded to it, creates the body and its geoms, then recurses through movable joints.
    private func buildGroup(root: String, parentGroup: Int?, world: PhysicsWorld, poses: [String: Pose],
                            materials: (String) -> SurfaceMaterial) throws {
        var links = [root], frontier = [root], movable: [URDFJoint] = []
        while let l = frontier.popLast() {
            for j in model.childJoints(of: l) {
                if j.type == .fixed { links.append(j.child); frontier.append(j.child) } else { movable.append(j) }
            }
        }
        let rootPose = poses[root]!
        let isBase = parentGroup == nil
        var body: BodyHandle?
        var bodyPose = rootPose
        if !isBase {
            let parts = links.compactMap { l -> MassProperties? in
                guard let i = model.link(named: l)?.inertial, i.mass > 0 else { return nil }
                let linkInRoot = rootPose.inverse * poses[l]!
                let frame = linkInRoot * i.origin
                let r = frame.rotation
                let local = Mat3(rows: Vec3(i.ixx, i.ixy, i.ixz), Vec3(i.ixy, i.iyy, i.iyz), Vec3(i.ixz, i.iyz, i.izz))
                return MassProperties(mass: i.mass, centerOfMass: frame.p, inertia: r * local * r.transposed)
            }
            var mass = MassProperties.combine(parts)
            if mass.mass <= 0 { mass = MassProperties.solid(.sphere(radius: 0.01), mass: 0.001) }
            bodyPose = rootPose * Pose(p: mass.centerOfMass)
            let b = world.addBody(name: root, pose: bodyPose, mass: MassProperties(mass: mass.mass, inertia: mass.inertia))
            world.setGravityEnabled(b, gravity)
            world.setMaxAngularSpeed(b, Self.maxLinkAngularSpeed)
            body = b
        }
        var linkInBody: [String: Pose] = [:]
        for l in links {
            let lb = bodyPose.inverse * poses[l]!
            linkInBody[l] = lb
            for c in model.link(named: l)?.collisions ?? [] {
                let shape: Shape
                switch c.geometry {
                case .box(let s): shape = .box(size: s)
                case .cylinder(let r, let len): shape = .cylinder(radius: r, length: len)
                case .sphere(let r): shape = .sphere(radius: r)
                case .capsule(let r, let len): shape = .capsule(radius: r, length: len)
                case .mesh(let path, _):
                    throw DataFileError(file: model.name, field: "link \(l) collision",
                                        message: "mesh collision '\(path)' is not supported for robots; use primitives")
                }
                let offset = isBase ? poses[l]! * c.origin : lb * c.origin
                let g = try world.addGeom(shape, body: body, offset: offset, material: materials(l),
                                          collisionGroup: group)
                linkOfGeom[g] = l
            }
        }
        let index = groups.count
        groups.append(Group(links: links, body: body, linkInBody: linkInBody, rootLink: root,
                            staticPose: isBase ? bodyPose : nil))
        for l in links { groupOfLink[l] = index }
        for j in movable {
            let childPose = poses[j.child]!
            // Build the child group first so its body exists, then attach it to this group's body.
            try buildGroup(root: j.child, parentGroup: index, world: world, poses: poses, materials: materials)
            let childBody = groups[groupOfLink[j.child]!].body!
            let kind: JointKind = j.type == .prismatic ? .slider : .hinge
            let limits = j.type == .continuous ? nil : j.limit.map { $0.lower...$0.upper }
            let h = world.addJoint(kind, parent: body, child: childBody, anchor: childPose.p,
                                   axis: childPose.q.act(j.axis), limits: limits)
            jointHandles[j.name] = h
        }
    }

    func joint(_ name: String) -> JointHandle? { jointHandles[name] }

    /// Joint positions read from the physics joints (every movable joint, mimic joints included).
    func jointPositions(_ world: PhysicsWorld) -> [String: Double] {
        var q: [String: Double] = [:]
        for (n, h) in jointHandles { q[n] = world.position(of: h) }
        return q
    }

    /// Teleports the robot to configuration `q` at rest (bodies placed by forward kinematics).
    func setConfiguration(_ q: [String: Double], in world: PhysicsWorld) {
        let poses = tree.linkPoses(q, base: basePose)
        for g in groups {
            guard let b = g.body else { continue }
            world.setPose(b, poses[g.rootLink]! * g.linkInBody[g.rootLink]!.inverse)
            world.setVelocity(b, linear: .zero, angular: .zero)
        }
        world.resyncJointAngles()
    }

    /// World pose of a link frame, from the simulated bodies.
    func linkPose(_ link: String, in world: PhysicsWorld) -> Pose? {
        guard let gi = groupOfLink[link] else { return nil }
        let g = groups[gi]
        guard let b = g.body else { return g.staticPose! * g.linkInBody[link]! }
        return world.pose(of: b) * g.linkInBody[link]!
    }

    func body(of link: String) -> BodyHandle? { groupOfLink[link].flatMap { groups[$0].body } }
}
