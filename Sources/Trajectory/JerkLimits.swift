// Public value types of the jerk-limited planner: limits, motion states, errors and the SimplerEnv presets.

/// Symmetric per-DOF kinematic limits: |v| ≤ maxVelocity, |a| ≤ maxAcceleration, |j| ≤ maxJerk.
public struct JerkLimits: Sendable, Equatable {
    public var maxVelocity: [Double]
    public var maxAcceleration: [Double]
    public var maxJerk: [Double]

    public init(maxVelocity: [Double], maxAcceleration: [Double], maxJerk: [Double]) {
        self.maxVelocity = maxVelocity
        self.maxAcceleration = maxAcceleration
        self.maxJerk = maxJerk
    }

    /// The same limits for every one of `dofs` joints.
    public init(dofs: Int, velocity: Double, acceleration: Double, jerk: Double) {
        self.init(maxVelocity: Array(repeating: velocity, count: dofs),
                  maxAcceleration: Array(repeating: acceleration, count: dofs),
                  maxJerk: Array(repeating: jerk, count: dofs))
    }

    /// Google Robot arm interpolation limits (simplerenv-tasks.md §3.3: v 1.5 rad/s, a 2.0 rad/s², j 50 rad/s³).
    public static func googleRobotArm(dofs: Int) -> JerkLimits {
        JerkLimits(dofs: dofs, velocity: 1.5, acceleration: 2.0, jerk: 50)
    }

    /// Google Robot gripper interpolation limits (simplerenv-tasks.md §3.3: v 1.0, a 7.0, j 50).
    public static func googleRobotGripper(dofs: Int) -> JerkLimits {
        JerkLimits(dofs: dofs, velocity: 1.0, acceleration: 7.0, jerk: 50)
    }
}

/// Position, velocity and acceleration of every DOF at one instant.
public struct MotionState: Sendable, Equatable {
    public var position: [Double]
    public var velocity: [Double]
    public var acceleration: [Double]

    public init(position: [Double], velocity: [Double], acceleration: [Double]) {
        self.position = position
        self.velocity = velocity
        self.acceleration = acceleration
    }

    /// At rest at `position`.
    public init(position: [Double]) {
        self.init(position: position, velocity: Array(repeating: 0, count: position.count),
                  acceleration: Array(repeating: 0, count: position.count))
    }
}

public enum TrajectoryError: Error, Equatable, CustomStringConvertible {
    /// Arrays of the start state, target or limits disagree in length (`field` names the culprit).
    case dimensionMismatch(field: String, expected: Int, got: Int)
    /// A limit is not finite and positive, or a state value is not finite.
    case invalidValue(field: String, dof: Int, value: Double)
    /// No profile reaches the target for some DOF (should not happen for valid inputs).
    case noProfile(dof: Int)

    public var description: String {
        switch self {
        case let .dimensionMismatch(field, expected, got):
            return "trajectory: \(field) has \(got) entries, expected \(expected)"
        case let .invalidValue(field, dof, value):
            return "trajectory: \(field)[\(dof)] = \(value) is invalid"
        case let .noProfile(dof):
            return "trajectory: no time-optimal profile found for DOF \(dof)"
        }
    }
}
