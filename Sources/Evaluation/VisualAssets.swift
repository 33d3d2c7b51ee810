import Foundation
import Sim

/// What a run's images are drawn from, for the manifest's `visual_assets` and the summary's `visuals`, so a
/// scoreboard row made on procedural stand-ins can be told from one on SimplerEnv's own meshes.
public struct VisualAssets: Sendable, Equatable {
    /// `robot:<urdf>` / `object:<model id>` / `stage:<model id>` → repository path of the file drawn,
    /// `collision-mesh:<path>` or `procedural`.
    public let sources: [String: String]
    /// The asset root searched.
    public let root: String

    /// Every robot colouring, object (grid models and distractors included) and stage model the run can draw.
    public init(root: SimplerAssetRoot, tasks: [TaskAssets], variants: [[SceneVariant]]) throws {
        var sources: [String: String] = [:]
        for (a, vs) in zip(tasks, variants) {
            let simpler = try SimplerVisuals(root: root, scenes: a.root)
            for colour in Set(vs.map(\.visual.robotColour)) {
                let urdf = try simpler.robotURDF(a.setup.urdf, colour: colour).flatMap { try simpler.robotMeshesPresent($0) ? $0 : nil }
                sources["robot:\(a.setup.urdf)" + (colour.map { "@\($0)" } ?? "")] = urdf ?? "procedural"
            }
            var models = Set(a.objects.values.filter { $0.visual != nil }.map(\.id))
            for grid in [a.task.factors].compactMap({ $0 }) + Array((a.task.factorsByProtocol ?? [:]).values) { models.formUnion(grid.models) }
            for v in vs { models.formUnion(v.distractors?.models ?? []) }
            for m in models where (try? a.model(m))?.visual != nil { sources["object:\(m)"] = "\(simpler.objectSource(m))" }
            for s in simpler.map.stageModels[a.stage.name] ?? [] { sources["stage:\(s.model)"] = "\(simpler.objectSource(s.model))" }
        }
        self.sources = sources
        self.root = root.url.path
    }

    /// `simpler` when every visual is SimplerEnv's own file, `procedural` when none is, `mixed` otherwise.
    public var label: String {
        let real = sources.values.filter { $0 != "procedural" && !$0.hasPrefix("collision-mesh:") }.count
        return real == sources.count ? "simpler" : (real == 0 && !sources.values.contains { $0.hasPrefix("collision-mesh:") } ? "procedural" : "mixed")
    }

    /// One line per visual that is not SimplerEnv's own file (or one line when the root holds nothing at all).
    public var warnings: [String] {
        let missing = sources.filter { $0.value == "procedural" || $0.value.hasPrefix("collision-mesh:") }.sorted { $0.key < $1.key }
        if !FileManager.default.fileExists(atPath: root) || missing.count == sources.count {
            return ["visuals: procedural stand-ins (no SimplerEnv meshes under \(root); run \(SimplerAssetRoot.fetchScript) or pass --assets DIR)"]
        }
        return missing.map { key, value in
            value == "procedural" ? "visuals: \(key) has no SimplerEnv file under \(root); drawing the procedural shape"
                : "visuals: \(key) has no SimplerEnv visual under \(root) (blob absent upstream); drawing its collision mesh in a flat colour"
        }
    }
}
