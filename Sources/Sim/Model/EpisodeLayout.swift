import Foundation
import VLMath

/// One episode's arrangement: the robot base (nil = the set-up's) and each object's model, drop xy and spawn
/// orientation, by role.
public struct EpisodeLayout: Sendable {
    public struct Placement: Sendable {
        public var role: String
        public var model: String
        public var xy: (Double, Double)
        public var orientation: Quat
        /// World height of the object frame when placed directly (RoboTwin); nil = SimplerEnv's drop (§1.2).
        public var z: Double? = nil
    }
    public var robotBase: Pose?
    public var placements: [Placement]
    /// Factor name → the chosen option's label (e.g. `base` → `a0`, which names the drawer overlay photo, §3.1).
    public var labels: [String: String] = [:]
}

/// An episode grid as the Cartesian product of factors, the first factor varying slowest (SimplerEnv's nested
/// loops, e.g. move near's triplet × layout × pair, simplerenv-tasks.md §3.5). Objects live in named slots whose
/// model, xy and orientation the factors' options patch; `roles` maps each role to a slot.
public struct FactorGrid: Codable, Sendable {
    public struct Slot: Codable, Sendable {
        public var model: String?
        public var xy: [Double]?
        public var q: Quat?
    }
    public struct Option: Codable, Sendable {
        public var label: String?
        public var robotBase: Pose?
        public var slots: [String: Slot]?
        /// role → slot
        public var roles: [String: String]?
        enum CodingKeys: String, CodingKey { case label, slots, roles; case robotBase = "robot_base" }
    }
    /// Options generated from an x-major xy grid for one slot (x outer loop, y inner).
    public struct XYGrid: Codable, Sendable {
        public var slot: String
        public var x: [Double]
        public var y: [Double]
    }
    public struct Factor: Codable, Sendable {
        public var name: String
        public var options: [Option]?
        public var xyGrid: XYGrid?
        enum CodingKeys: String, CodingKey { case name, options; case xyGrid = "xy_grid" }

        public var expanded: [Option] {
            if let g = xyGrid {
                return g.x.flatMap { x in g.y.map { y in Option(label: nil, robotBase: nil, slots: [g.slot: Slot(model: nil, xy: [x, y], q: nil)], roles: nil) } }
            }
            return options ?? []
        }
    }
    public var slots: [String: Slot]?
    public var roles: [String: String]?
    public var factors: [Factor]

    public var count: Int { factors.reduce(1) { $0 * $1.expanded.count } }

    /// The layout of episode `index` (nil when out of range). Throws when a placed slot lacks a model or xy.
    public func layout(_ index: Int, file: String) throws -> EpisodeLayout? {
        guard index >= 0, index < count else { return nil }
        var slots = self.slots ?? [:], roles = self.roles ?? [:], base: Pose?
        var rest = index
        var chosen: [Option] = []
        var labels: [String: String] = [:]
        for f in factors.reversed() {
            let opts = f.expanded
            let o = opts[rest % opts.count]
            chosen.append(o); rest /= opts.count
            if let l = o.label { labels[f.name] = l }
        }
        for o in chosen.reversed() {
            if let b = o.robotBase { base = b }
            for (k, v) in o.roles ?? [:] { roles[k] = v }
            for (name, patch) in o.slots ?? [:] {
                var s = slots[name] ?? Slot()
                if let m = patch.model { s.model = m }
                if let xy = patch.xy { s.xy = xy }
                if let q = patch.q { s.q = q }
                slots[name] = s
            }
        }
        var placements: [EpisodeLayout.Placement] = []
        for (role, slotName) in roles.sorted(by: { $0.key < $1.key }) {
            guard let s = slots[slotName], let m = s.model, let xy = s.xy, xy.count == 2 else {
                throw DataFileError(file: file, field: "factors", message: "episode \(index): slot '\(slotName)' of role '\(role)' needs a model and an xy")
            }
            placements.append(.init(role: role, model: m, xy: (xy[0], xy[1]), orientation: s.q ?? .identity))
        }
        return EpisodeLayout(robotBase: base, placements: placements, labels: labels)
    }

    /// Every model a layout may use (for loading and validation).
    public var models: Set<String> {
        var out = Set((slots ?? [:]).values.compactMap(\.model))
        for f in factors { for o in f.options ?? [] { for s in (o.slots ?? [:]).values { if let m = s.model { out.insert(m) } } } }
        return out
    }
}

extension TaskDefinition {
    /// The factor grid this task uses under `protocolName` (a protocol-specific grid overrides the default).
    public func factorGrid(protocolName: String?) -> FactorGrid? {
        protocolName.flatMap { factorsByProtocol?[$0] } ?? factors
    }

    /// Episode layout from whichever grid form the task uses; sampled tasks draw it from candidate seed `seed`
    /// (default: the `index`-th candidate, unfiltered).
    public func layout(_ index: Int, protocolName: String? = nil, seed: Int? = nil) throws -> EpisodeLayout? {
        if let s = sampling {
            guard index >= 0, index < s.episodes else { return nil }
            return try s.layout(seed: seed ?? s.seedBase + index, file: "tasks/\(name).json")
        }
        if let g = factorGrid(protocolName: protocolName) { return try g.layout(index, file: "tasks/\(name).json") }
        guard let e = episodes, let p = e.placement(index) else { return nil }
        return EpisodeLayout(robotBase: nil, placements: objects.map { slot in
            slot.role == "source"
                ? .init(role: slot.role, model: slot.model, xy: p.sourceXY, orientation: p.sourceOrientation)
                : .init(role: slot.role, model: slot.model, xy: p.targetXY, orientation: p.targetOrientation)
        })
    }

    public var episodeCount: Int { sampling?.episodes ?? factors?.count ?? episodes?.count ?? 0 }
}
