import Foundation
import Testing
import TestSupport
import VLMath
@testable import Physics
@testable import Sim

/// SimplerEnv's collision meshes as the simulator loads them, against what SAPIEN 2.2.2 (the simulator SimplerEnv
/// runs on) builds from the same files: `sapien.core` `ActorBuilder.add_multiple_collisions_from_file` with the
/// model database's density, measured once (benchmarks/collision/sapien_reference.py, docs/collision.md).
@Suite struct CollisionMeshTests {
    static let meshes = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")
    static let scenes = TestSupport.repoRoot.appendingPathComponent("scenes")

    /// (model id, SAPIEN's number of convex shapes, SAPIEN's mass in grams). The apple (14 shapes, 214.45 g) and the
    /// orange (5, 145.10 g) are left out only for time: their 27,000-vertex pieces take a minute in a debug build.
    static let sapien: [(String, Int, Double)] = [
        ("bridge_spoon_generated_modified", 4, 43.06), ("table_cloth_generated_shorter", 3, 26.70),
        ("bridge_carrot_generated_modified", 1, 54.73), ("bridge_plate_objaverse_larger", 1, 39.19),
        ("baked_green_cube_3cm", 1, 27.0), ("eggplant", 1, 20.89), ("dummy_sink_target_plane", 1, 2080.0),
        ("sink", 82, 372_081.27), ("opened_coke_can", 1, 19.96), ("opened_pepsi_can", 5, 20.37),
        ("baked_opened_redbull_can", 8, 16.90), ("sponge", 5, 34.86), ("blue_plastic_bottle", 2, 28.53),
    ]

    /// One convex piece per connected part of each `o` block, as SAPIEN makes them; the mass (density × exact hull
    /// volume) within 8 % of SAPIEN's, whose PhysX-cooked hulls keep at most 255 vertices and come out slightly smaller.
    @Test func piecesAndMassesMatchSapien() throws {
        let assets = try SimplerCollisionAssets(root: Self.meshes)
        for (id, shapes, grams) in Self.sapien {
            let pieces = try assets.pieces(id)
            #expect(pieces.count == shapes, "\(id): \(pieces.count) pieces, SAPIEN \(shapes)")
            let mass = pieces.reduce(0) { $0 + $1.solid.volume } * assets.densityAndScale(id).density * 1000
            #expect(mass <= grams * 1.08 && mass >= grams * 0.999, "\(id): \(mass) g, SAPIEN \(grams) g")
        }
    }

    /// The object files' densities are the model database's, except where the env overrides it (our models that
    /// `scenes/simpler-visuals.json` maps to another SimplerEnv model, e.g. move near's toy fruit at 200 kg/m³).
    @Test func objectDensitiesAreTheModelDatabases() throws {
        let assets = try SimplerCollisionAssets(root: Self.meshes)
        let map = try SimplerVisualMap.load(scenes: Self.scenes)
        let dir = Self.scenes.appendingPathComponent("objects")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".json") {
            let model = try DataFile.load(ObjectModel.self, from: dir.appendingPathComponent(file))
            let id = map.simplerID(model.id)
            #expect(FileManager.default.fileExists(atPath: Self.meshes.appendingPathComponent("data/custom/models/\(id)/collision.obj").path), "\(file): no mesh \(id)")
            if id == model.id {
                #expect(model.density == assets.densityAndScale(id).density, "\(file): density \(String(describing: model.density))")
            }
        }
    }

    /// Only tasks that opt in use the meshes: the Bridge and Google Robot tasks do, RoboTwin's keep their own shapes.
    @Test func tasksOptIn() throws {
        let assets = try SimplerCollisionAssets(root: Self.meshes)
        #expect(try TaskAssets(task: "widowx_spoon_on_towel", root: Self.scenes, collision: .meshes(assets)).collisionSource == .simplerMeshes)
        #expect(try TaskAssets(task: "google_pick_coke_can_standing", root: Self.scenes, collision: .meshes(assets)).collisionSource == .simplerMeshes)
        #expect(try TaskAssets(task: "click_bell", root: Self.scenes, collision: .meshes(assets)).collisionSource == .primitives)
        #expect(try TaskAssets(task: "widowx_spoon_on_towel", root: Self.scenes, collision: .primitives).collisionSource == .primitives)
    }

    /// Bad mesh files are one clear error naming the file and line.
    @Test func malformedMeshIsAClearError() throws {
        let dir = try TestSupport.makeTempDir()
        let bad = dir.appendingPathComponent("collision.obj")
        try "o a\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: DataFileError.self) { try SimplerCollisionAssets.readBlocks(bad) }
        do { _ = try SimplerCollisionAssets.readBlocks(bad) } catch let e as DataFileError {
            #expect(e.description.contains("collision.obj") && e.description.contains("line 5"))
        }
        try "o flat\nv 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\nf 1 2 3\nf 2 4 3\n".write(to: bad, atomically: true, encoding: .utf8)
        let models = dir.appendingPathComponent("data/custom/models/flat")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: bad, to: models.appendingPathComponent("collision.obj"))
        try "{\"flat\": {\"density\": 1000}}".write(to: dir.appendingPathComponent("data/custom/info_test.json"), atomically: true, encoding: .utf8)
        let assets = try SimplerCollisionAssets(root: dir)
        #expect(throws: DataFileError.self) { try assets.pieces("flat") }  // a flat piece has no volume
    }

    /// Two blocks, one of them in two disconnected parts, give three pieces; `f` indices may be negative.
    @Test func blocksSplitIntoConnectedParts() throws {
        let dir = try TestSupport.makeTempDir()
        let url = dir.appendingPathComponent("collision.obj")
        func tetra(_ o: Double) -> String {
            "v \(o) 0 0\nv \(o + 1) 0 0\nv \(o) 1 0\nv \(o) 0 1\nf -4 -3 -2\nf -4 -2 -1\nf -4 -1 -3\nf -3 -1 -2\n"
        }
        try ("o one\n" + tetra(0) + tetra(5) + "o two\n" + tetra(10)).write(to: url, atomically: true, encoding: .utf8)
        let blocks = try SimplerCollisionAssets.readBlocks(url)
        #expect(blocks.count == 3)
        #expect(blocks.map { $0.map(\.x).min()! } == [0, 5, 10])
    }

    /// Without an asset copy under the asset root the lookup finds nothing (the simulator then uses the primitives);
    /// the root is `SimplerAssetRoot`'s: the environment variable, then the cache directory.
    @Test func rootLookup() throws {
        let none = try TestSupport.makeTempDir()
        func found(_ env: [String: String]) throws -> Bool {
            try SimplerCollisionAssets.locate(SimplerAssetRoot.resolve(explicit: nil, environment: env)) != nil
        }
        #expect(try !found(["VLASER_CACHE_DIR": none.path]))
        #expect(try SimplerCollisionAssets.locate(SimplerAssetRoot(url: none, origin: .flag)) == nil)
        #expect(try found(["VLASER_ASSETS_DIR": Self.meshes.path]))
        let cache = try TestSupport.makeTempDir()
        try FileManager.default.createSymbolicLink(at: cache.appendingPathComponent("simpler-assets"), withDestinationURL: Self.meshes)
        #expect(try found(["VLASER_CACHE_DIR": cache.path]))
    }
}
