import Foundation

/// What one action is, declared by the robot set-up (`action_space`): its entries in order, with units and the
/// plausibility limits that reject broken outputs. The episode checks every action against it, and a policy or a
/// remote server learns the action's meaning from it; nothing else in the simulator assumes a width.
public struct ActionSpace: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        /// `m`, `rad`, `1` (unitless) …, for the docs and remote servers.
        public var unit: String
        /// Inclusive [low, high] outside which a value is absurd (not a clip: controllers clip themselves).
        public var bounds: [Double]?
        /// Where `--policy random` draws this entry.
        public var random: Range?
    }
    /// A sampling range: uniform in [low, high], or one of the two ends when `binary`.
    public struct Range: Codable, Sendable, Equatable {
        public var low: Double
        public var high: Double
        public var binary: Bool?
    }
    /// A group of entries whose Euclidean norm is bounded (a translation or a rotation vector per step).
    public struct NormLimit: Codable, Sendable, Equatable {
        public var label: String
        public var entries: [Int]
        public var max: Double
        public var unit: String
    }
    /// The convention's name, e.g. `ee_delta_pose_axis_angle` or `joint_position`.
    public var name: String
    public var entries: [Entry]
    public var normLimits: [NormLimit]?
    enum CodingKeys: String, CodingKey { case name, entries; case normLimits = "norm_limits" }

    public var dimension: Int { entries.count }
    public var entryNames: [String] { entries.map(\.name) }

    /// Nil when `action` fits, else what is wrong with it.
    public func problem(with action: [Double]) -> String? {
        guard action.count == dimension else {
            return "expected \(dimension) numbers per action, got \(action.count) (\(name): [\(entryNames.joined(separator: ", "))]): \(action)"
        }
        if let i = action.firstIndex(where: { !$0.isFinite }) { return "\(entries[i].name) is \(action[i]): \(action)" }
        for (e, x) in zip(entries, action) {
            if let b = e.bounds, x < b[0] || x > b[1] { return "\(e.name) = \(x) \(e.unit) is outside [\(b[0]), \(b[1])]: \(action)" }
        }
        for n in normLimits ?? [] {
            let norm = n.entries.reduce(0.0) { $0 + action[$1] * action[$1] }.squareRoot()
            if norm > n.max { return "absurd action (\(n.label) \(norm) \(n.unit) > \(n.max) \(n.unit)): \(action)" }
        }
        return nil
    }

    /// Checks the declaration itself (at load, before any episode).
    func validate(file: String, field: String) throws {
        func fail(_ f: String, _ m: String) -> DataFileError { DataFileError(file: file, field: "\(field).\(f)", message: m) }
        guard !entries.isEmpty else { throw fail("entries", "must not be empty") }
        for (i, e) in entries.enumerated() {
            if let b = e.bounds, b.count != 2 || !(b[0] <= b[1]) || !b[0].isFinite || !b[1].isFinite {
                throw fail("entries[\(i)].bounds", "needs finite [low, high] with low ≤ high, got \(b)")
            }
        }
        for (i, n) in (normLimits ?? []).enumerated() {
            if let bad = n.entries.first(where: { $0 < 0 || $0 >= entries.count }) {
                throw fail("norm_limits[\(i)].entries", "index \(bad) is outside 0..<\(entries.count)")
            }
            if !(n.max > 0) || !n.max.isFinite { throw fail("norm_limits[\(i)].max", "must be a positive number, got \(n.max)") }
        }
    }
}
