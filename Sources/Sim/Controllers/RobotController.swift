import Foundation
import Kinematics
import Physics
import Registry
import VLMath

/// One controlled arm of a robot: its IK chain (base → TCP) and its finger joints.
struct ControlledArm {
    let config: ArmConfig
    let chain: KinematicChain

    /// Builds the chain from the robot's root to the arm's `ee_link`, checks it drives exactly `joints`, and that
    /// there is one gain per driven joint (arm joints, then held joints) and per finger joint.
    init(_ config: ArmConfig, model: URDFModel) throws {
        try config.gains.check(count: config.joints.count + (config.heldJoints ?? []).count, field: "arms.\(config.name).gains")
        try config.gripperGains.check(count: config.gripperJoints.count, field: "arms.\(config.name).gripper_gains")
        self.config = config
        chain = try KinematicChain(model: model, base: model.rootLink, tip: config.eeLink)
        guard chain.jointNames == config.joints else {
            throw DataFileError(file: "controller", field: "arms.\(config.name).joints",
                                message: "\(config.joints) do not match the chain to \(config.eeLink): \(chain.jointNames)")
        }
    }
}

/// What an episode needs from a robot controller: install drives at reset, turn an action into joint targets and
/// a number of physics sub-steps, and write the drive targets before every sub-step.
protocol RobotController: AnyObject {
    var arms: [ControlledArm] { get }
    /// Numbers per action this controller reads; the set-up's `action_space` must declare as many.
    var actionDimension: Int { get }
    func reset(_ art: Articulation, in world: PhysicsWorld)
    /// Starts executing `action` (already checked against the set-up's action space); returns how many physics
    /// sub-steps it takes — a fixed control period (SimplerEnv) or the duration of a planned move (RoboTwin).
    func apply(_ action: [Double], _ art: Articulation, in world: PhysicsWorld) -> Int
    /// Writes the targets of sub-step `k` (1-based) of the current action.
    func prepareSubStep(_ k: Int, _ art: Articulation, in world: PhysicsWorld)
}

/// Every controller by its set-up `controller.kind`. A new controller is one file plus one line here; its
/// initialiser checks its own fields, and `TaskAssets` builds one at load so a bad block fails before episode 0.
enum RobotControllers {
    typealias Factory = (ControllerConfig, URDFModel) throws -> RobotController
    static let registry = Registry<Factory>("controller", [
        (EETargetDeltaPoseController.kind, { try EETargetDeltaPoseController(config: $0, model: $1) }),  // WidowX §2.3
        (PlannedDeltaPoseController.kind, { try PlannedDeltaPoseController(config: $0, model: $1) }),    // Google §3.3
        (JointMoveController.kind, { try JointMoveController(config: $0, model: $1) }),                  // joint targets
    ])

    static func make(_ config: ControllerConfig, model: URDFModel) throws -> RobotController {
        let factory: Factory
        do { factory = try registry.lookup(config.kind) } catch {
            throw DataFileError(file: "controller", field: "kind", message: "\(error)")
        }
        return try factory(config, model)
    }
}

/// What the one-arm SimplerEnv controllers read the same way: the arm, its IK budget and the fixed control period.
struct SingleArmBasics {
    let arm: ArmConfig
    let arms: [ControlledArm]
    let ikMaxIterations: Int
    let subSteps: Int

    init(_ config: ControllerConfig, kind: String, model: URDFModel) throws {
        arm = try config.singleArm(kind)
        ikMaxIterations = try config.required(config.ikMaxIterations, "ik_max_iterations")
        subSteps = try config.fixedSubSteps()
        arms = [try ControlledArm(arm, model: model)]
    }
}

/// A one-arm SimplerEnv controller: its arm, IK chain, IK budget and control period come from its `basics`.
protocol SingleArmController: RobotController {
    var basics: SingleArmBasics { get }
}

extension SingleArmController {
    var arm: ArmConfig { basics.arm }
    var arms: [ControlledArm] { basics.arms }
    var chain: KinematicChain { arms[0].chain }
    var ikMaxIterations: Int { basics.ikMaxIterations }
    var subSteps: Int { basics.subSteps }
}

extension ControllerConfig {
    /// The single arm of a one-arm controller kind, or a data error.
    func singleArm(_ kind: String) throws -> ArmConfig {
        guard arms.count == 1 else {
            throw DataFileError(file: "controller", field: "arms", message: "\(kind) drives exactly one arm, got \(arms.count)")
        }
        return arms[0]
    }

    /// A field a controller kind needs, or a data error naming it.
    func required<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else { throw DataFileError(file: "controller", field: field, message: "is required for \(kind)") }
        return value
    }

    /// Fixed physics sub-steps per action (`sim_frequency / control_frequency`).
    func fixedSubSteps() throws -> Int {
        let f = controlFrequency
        guard f > 0, simFrequency >= f else {
            throw DataFileError(file: "controller", field: "control_frequency",
                                message: "must be positive and at most sim_frequency (\(simFrequency)), got \(f)")
        }
        return Int((simFrequency / f).rounded())
    }
}

extension DriveGains {
    /// Checks one gain per joint: a missing gain fails at load, naming the field.
    func check(count: Int, field: String) throws {
        for (name, list) in [("stiffness", stiffness), ("damping", damping), ("force_limit", forceLimit)] where list.count != count {
            throw DataFileError(file: "controller", field: "\(field).\(name)", message: "needs \(count) values (one per joint), got \(list.count)")
        }
        for (name, list) in [("stiffness", stiffness), ("damping", damping), ("force_limit", forceLimit)] {
            if let bad = list.first(where: { !($0 >= 0) || !$0.isFinite }) {
                throw DataFileError(file: "controller", field: "\(field).\(name)", message: "must be finite and ≥ 0, got \(bad)")
            }
        }
    }
}
