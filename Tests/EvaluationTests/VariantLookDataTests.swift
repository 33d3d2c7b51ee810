import Foundation
import Render
import Testing
import TestSupport
import Sim

/// The look presets as data: every Google variant's look builds for the tasks it applies to, and a preset name
/// that does not exist stops `sim` before any episode, naming the variants file, the field and the value.
@Suite struct VariantLookDataTests {
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    @Test func everyGoogleVariantLookBuilds() throws {
        let tasks = try TaskAssets.taskNames(root: Self.scenes, suite: "google-robot")
        for protocolName in ["visual-matching", "variant-aggregation"] {
            let set = try #require(try VariantSet.load(suite: "google-robot", protocolName: protocolName, root: Self.scenes))
            for v in set.variants {
                let task = try #require(tasks.first { v.applies(to: $0) }, "\(v.name) applies to no task")
                let visuals = try SceneVisuals(assets: TaskAssets(task: task, root: Self.scenes), look: v.visual)
                if let background = v.visual.background {
                    #expect(visuals.actorNames.values.contains { $0.hasPrefix("prop:background/") }, "\(v.name): \(background) drew nothing")
                }
            }
            #expect(!set.variants.isEmpty)
        }
    }

    /// Procedural textures: the seed decides the pixels, bad fields are named, and a texture repeats every `tile`
    /// metres on a surface whatever its size.
    @Test func proceduralTexturesAreSeededAndTiled() throws {
        let wood = TextureSpec(pattern: "wood", colors: [[0.7, 0.5, 0.3], [0.4, 0.25, 0.1]], tile: 0.5, seed: 3)
        #expect(try wood.image() == wood.image())
        var other = wood
        other.seed = 4
        #expect(try wood.image() != other.image())
        other.pattern = "marble"
        let error = #expect(throws: VisualSpecError.self) { try other.image() }
        #expect(error.map { "\($0)".contains("texture.pattern") && "\($0)".contains("marble") } == true)
        let floor = try VisualModel(VisualSpec(shape: "box", size: [2, 1, 0.1], texture: wood))
        let top = floor.parts[0].mesh
        let us = zip(top.normals, top.uvs!).filter { $0.0.z > 0.5 }.map { $0.1.x }
        #expect(abs((us.max()! - us.min()!) - 4) < 1e-5, "a 2 m face spans 4 tiles of 0.5 m")
        #expect(floor.parts[0].material.texture != nil && floor.parts[0].material.baseColor == SIMD3<Float>(1, 1, 1))
        #expect(throws: VisualSpecError.self) {
            try VisualModel(VisualSpec(shape: "box", size: [1, 1, 1], color: [1, 0, 0], texture: wood))
        }
    }

    @Test func unknownPresetStopsTheRunUpFront() throws {
        let (scenes, file, text) = try TestSupport.editedScenes("variants/google-robot_variant-aggregation.json",
            replacing: "\"google_pick_coke_can_1_v4_alt_background\"", with: "\"no_such_room\"")
        let out = scenes.deletingLastPathComponent().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", "google-robot", "--protocol", "variant-aggregation", "--task",
                                     "google_pick_coke_can_horizontal", "--episodes", "0", "--policy", "zero",
                                     "--scenes", scenes.path, "--out", out.path])
        #expect(r.status == 2)
        let set = try JSONDecoder().decode(VariantSet.self, from: Data(text.utf8))
        let index = try #require(set.variants.firstIndex { $0.visual.background == "google_pick_coke_can_1_v4_alt_background" })
        for part in [file.path, "variants[\(index)].visual.background", "'no_such_room'", "looks/backgrounds.json",
                     "google_pick_coke_can_1_v4_alt_background_2", "modern_office_no_roof"] {
            #expect(r.stderr.contains(part), "stderr lacks \(part): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("episodes.jsonl").path))
    }
}
