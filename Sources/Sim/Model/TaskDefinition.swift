import Foundation
import VLMath

/// One task of a suite, as read from `scenes/tasks/<name>.json`.
public struct TaskDefinition: Codable, Sendable {
    public struct ObjectSlot: Codable, Sendable {
        /// `source`, `target`, or `distractor…`: how success predicates and experts refer to the object.
        public var role: String
        public var model: String
    }
    public var name: String
    public var suite: String
    public var setup: String
    public var stage: String
    public var instruction: String
    public var maxSteps: Int
    public var objects: [ObjectSlot]
    public var episodes: EpisodeGrid?
    /// Factor-product grid (Google tasks) and per-protocol replacements of it (drawer base poses differ, §3.1).
    public var factors: FactorGrid?
    public var factorsByProtocol: [String: FactorGrid]?
    /// Articulated props such as the drawer cabinet (§3.6).
    public var articulations: [PropArticulation]?
    /// Sub-task instructions after the first, with the step that forces each (apple in drawer, §3.7).
    public var subtasks: [Subtask]?
    public var success: SuccessSpec
    /// Overlay photo for visual matching (file name in the overlay library).
    public var overlay: String?
    /// Scene parts the overlay photo always replaces (SimplerEnv `rgb_always_overlay_objects`, §1.4).
    public var alwaysOverlay: [String]?
    /// Whether the task's objects collide as SimplerEnv's collision meshes when the asset copy is found. Only the
    /// Bridge tasks do so far: with the meshes the Google Robot expert's cans diverged or slipped (docs/collision.md).
    public var collisionMeshes: Bool?
    /// When success is read and the episode ends (default `final_step`).
    public var termination: Termination?
    /// RoboTwin-style seeded scene distributions (instead of `episodes` / `factors`).
    public var sampling: SceneSampling?
    /// Instruction templates, one chosen per episode with a seeded draw (RoboTwin's unseen set, §4.9); placeholders
    /// `{role}` become the object's description, `{a}` the acting arm's name ("the left arm").
    public var instructions: [String]?

    enum CodingKeys: String, CodingKey {
        case name, suite, setup, stage, instruction, objects, episodes, success, overlay, factors, articulations, subtasks
        case termination, sampling, instructions
        case maxSteps = "max_steps", alwaysOverlay = "always_overlay", factorsByProtocol = "factors_by_protocol"
        case collisionMeshes = "collision_meshes"
    }

    public var terminationRule: Termination { termination ?? .finalStep }

    public func role(_ r: String) -> ObjectSlot? { objects.first { $0.role == r } }
}

/// When an episode's success is decided.
public enum Termination: String, Codable, Sendable, CaseIterable {
    /// SimplerEnv: every episode runs `max_steps` actions and success is the predicate at the final step (§1.3).
    case finalStep = "final_step"
    /// RoboTwin: the predicate is checked after every physics sub-step and the episode ends, successful, at the
    /// first sub-step where it holds (RoboTwin task_config/*.yml); otherwise it fails after `max_steps` actions.
    case firstSuccess = "first_success"
}

/// A fixed-root articulated prop loaded from a URDF (the cabinet, §3.6); joints are passive (URDF damping/friction).
public struct PropArticulation: Codable, Sendable {
    public var name: String
    public var urdf: String
    public var pose: Pose
    public var initialQpos: [String: Double]?
    enum CodingKeys: String, CodingKey { case name, urdf, pose; case initialQpos = "initial_qpos" }
}

public struct Subtask: Codable, Sendable {
    public var instruction: String
    /// The sub-task becomes active once this many control steps have run.
    public var forcedAtStep: Int
    enum CodingKeys: String, CodingKey { case instruction; case forcedAtStep = "forced_at_step" }
}

/// A success predicate selected by `kind` from `SuccessPredicates.registry`: `on_target` (Bridge, §2.6), `lift`
/// (coke can, §3.4), `move_near` (§3.5), `drawer_open` / `drawer_close` (§3.6), `place_in_drawer` (§3.7), …
public struct SuccessSpec: Codable, Sendable {
    public var kind: String
    /// Added to the target's half-diagonal for the xy test (0.003 m).
    public var xyMargin: Double?
    /// δ of the z window (0.02 m; 0.06 m for the eggplant).
    public var zSlack: Double?
    /// "Completely on target": the source may touch only the target and the robot.
    public var exclusiveContact: Bool?
    /// Contact impulse that counts as touching (1e-6 N·s, §1.5).
    public var contactImpulse: Double
    /// Numeric thresholds of the Google predicates, by name (each documented in the task file).
    public var thresholds: [String: Double]?
    /// The articulation joint a drawer predicate reads, as `articulation/joint`.
    public var joint: String?
    /// Prop link the object must touch (apple in drawer: the drawer's interior bottom), as `articulation/link`.
    public var contactLink: String?
    /// Robot link a reaching predicate tracks (`tcp_in_region`).
    public var link: String?
    enum CodingKeys: String, CodingKey {
        case kind, thresholds, joint, link
        case xyMargin = "xy_margin", zSlack = "z_slack", exclusiveContact = "exclusive_contact"
        case contactImpulse = "contact_impulse", contactLink = "contact_link"
    }

    /// A named threshold, or a data error naming it.
    public func threshold(_ name: String) throws -> Double {
        guard let v = thresholds?[name] else {
            throw DataFileError(file: "success", field: "thresholds.\(name)", message: "is required for kind \(kind)")
        }
        return v
    }
}

/// Object placements for each episode index (simplerenv-tasks.md §2.5):
/// layout = (id mod N_xy·N_q) div N_q, orientation = id mod N_q.
public struct EpisodeGrid: Codable, Sendable {
    /// Source/target xy pairs, either listed or generated.
    public struct Layouts: Codable, Sendable {
        /// Ordered pairs (i ≠ j) of the 4 corners of squares centred at `center`, one square per half edge;
        /// corners in order (−h,−h), (−h,+h), (+h,−h), (+h,+h).
        public var cornerPairs: CornerPairs?
        /// Source on an x-major grid, target fixed.
        public var sourceGrid: SourceGrid?
        enum CodingKeys: String, CodingKey { case cornerPairs = "corner_pairs", sourceGrid = "source_grid" }
    }
    public struct CornerPairs: Codable, Sendable {
        public var center: [Double]
        public var halfEdges: [Double]
        enum CodingKeys: String, CodingKey { case center; case halfEdges = "half_edges" }
    }
    public struct SourceGrid: Codable, Sendable {
        public var x: [Double]
        public var y: [Double]
        public var target: [Double]
    }
    public var layouts: Layouts
    public var sourceOrientations: [Quat]
    public var targetOrientation: Quat?
    enum CodingKeys: String, CodingKey {
        case layouts; case sourceOrientations = "source_orientations"; case targetOrientation = "target_orientation"
    }

    /// World xy of source and target for every layout, in episode order.
    public func layoutList() -> [(source: (Double, Double), target: (Double, Double))] {
        var out: [(source: (Double, Double), target: (Double, Double))] = []
        if let c = layouts.cornerPairs {
            for h in c.halfEdges {
                let corners = [(-h, -h), (-h, h), (h, -h), (h, h)].map { (c.center[0] + $0.0, c.center[1] + $0.1) }
                for i in 0..<4 { for j in 0..<4 where i != j { out.append((corners[i], corners[j])) } }
            }
        }
        if let g = layouts.sourceGrid {
            for x in g.x { for y in g.y { out.append(((x, y), (g.target[0], g.target[1]))) } }
        }
        return out
    }

    public var count: Int { layoutList().count * sourceOrientations.count }

    /// Placement of episode `index`, or nil when out of range.
    public func placement(_ index: Int) -> EpisodePlacement? {
        let layouts = layoutList(), nq = sourceOrientations.count
        guard index >= 0, index < layouts.count * nq else { return nil }
        let l = layouts[(index % (layouts.count * nq)) / nq]
        return EpisodePlacement(sourceXY: l.source, targetXY: l.target, sourceOrientation: sourceOrientations[index % nq],
                                targetOrientation: targetOrientation ?? .identity)
    }
}

public struct EpisodePlacement: Sendable {
    public var sourceXY: (Double, Double)
    public var targetXY: (Double, Double)
    public var sourceOrientation: Quat
    public var targetOrientation: Quat
}
