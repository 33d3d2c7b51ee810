import Foundation
import Render
import Testing
import TestSupport
@testable import Sim

/// Which SimplerEnv file each visual comes from (`../shared/assets/simpler-meshes`).
@Suite struct SimplerVisualsTests {
    static let root = SimplerAssetRoot(url: TestSupport.sharedAssets.appendingPathComponent("simpler-meshes"), origin: .flag)
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    /// The VM colourings load the `urdf_version` URDF, whose arm meshes wear SimplerEnv's recolour textures.
    @Test func robotColourPicksTheRecolourURDFAndItsTextures() throws {
        let assets = try TaskAssets(task: "google_pick_coke_can_horizontal", root: Self.scenes)
        var recolour = VariantVisual()
        recolour.robotColour = "recolor_tabletop_visual_matching_1"
        let plain = try SceneVisuals(assets: assets, assetRoot: Self.root)
        let tinted = try SceneVisuals(assets: assets, look: recolour, assetRoot: Self.root)
        let base = "mani_skill2_real2sim/assets/descriptions/googlerobot_description/google_robot_meta_sim_fix_wheel_fix_fingertip"
        #expect(plain.visualSources["robot:robots/google_robot.urdf"] == .mesh(base + ".urdf"))
        #expect(tinted.visualSources["robot:robots/google_robot.urdf"] == .mesh(base + "_recolor_tabletop_visual_matching_1.urdf"))
        func bicepTexture(_ v: SceneVisuals) throws -> Float3 {
            try #require(v.links.first { $0.link == "link_bicep" }?.drawable.model.parts.first?.material.texture).mean
        }
        let a = try bicepTexture(plain), b = try bicepTexture(tinted)
        #expect(((a - b) * (a - b)).sum() > 1e-4, "recolour texture mean \(b) equals the default's \(a)")
        // The base is shared by every colouring (3obj/link_base.glb).
        #expect(tinted.links.first { $0.link == "link_base" }?.drawable.visible == true)
    }

    @Test func objectsFollowSimplerEnvsFileRule() throws {
        let v = try SimplerVisuals(root: Self.root, scenes: Self.scenes)
        #expect(v.objectSource("bridge_carrot_generated_modified") == .mesh("data/custom/models/bridge_carrot_generated_modified/textured.dae"))
        #expect(v.objectSource("baked_apple_v2") == .mesh("data/custom/models/baked_apple_v2/textured.glb"))
        #expect(v.objectSource("toy_apple") == .mesh("data/custom/models/apple/textured.dae"))
        #expect(v.objectSource("opened_redbull_can") == .collision("data/custom/models/opened_redbull_can/collision.obj"))
        #expect(v.objectSource("no_such_model") == .procedural)
        let empty = try SimplerVisuals(root: SimplerAssetRoot(url: try TestSupport.makeTempDir(), origin: .flag), scenes: Self.scenes)
        #expect(empty.objectSource("bridge_carrot_generated_modified") == .procedural)
        #expect(empty.robotURDF("robots/widowx_250s.urdf", colour: nil) == nil)
    }
}
