import Foundation
import Sim

/// `--policy scripted`: the privileged expert for the task's success kind — the pick-and-place `ScriptedExpert`
/// for `on_target` (Bridge), `GoogleExpert` for the Google Robot kinds.
public final class ScriptedPolicy: Policy {
    private var expert: Policy = ScriptedExpert()
    public init() {}
    public var observationSpec: ObservationSpec { ObservationSpec(privileged: true) }

    public func reset(_ episode: EpisodeContext) throws {
        expert = episode.successKind == "on_target" ? ScriptedExpert() : GoogleExpert(kind: episode.successKind)
        try expert.reset(episode)
    }

    public func act(_ observation: Observation) throws -> [[Double]] { try expert.act(observation) }
}
