import Foundation
import Testing
import TestSupport

/// `sim` records which visuals it drew: SimplerEnv's meshes where the asset root has them, a collision-mesh
/// stand-in or the procedural shape where not — in the manifest (`visual_assets`, `visuals`), the summary
/// (`visuals`) and one warning line per fallback.
@Suite struct VisualAssetsRunTests {
    static let meshes = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    @Test func manifestAndSummarySayWhichVisuals() throws {
        #expect(FileManager.default.fileExists(atPath: Self.meshes.path), "the SimplerEnv meshes are expected in ../shared/assets")
        let out = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--suite", "widowx", "--task", "widowx_put_eggplant_in_basket", "--episodes", "0",
                                     "--policy", "zero", "--assets", Self.meshes.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try Self.json(out.appendingPathComponent("manifest.json"))
        let sources = try #require(manifest["visual_assets"] as? [String: String])
        #expect(sources["robot:robots/widowx_250s.urdf"] == "mani_skill2_real2sim/assets/descriptions/widowx_description/wx250s.urdf")
        #expect(sources["object:eggplant"] == "collision-mesh:data/custom/models/eggplant/collision.obj")
        #expect(sources["stage:sink"] == "data/custom/models/sink/textured.dae")
        #expect(manifest["visuals"] as? String == "mixed")
        #expect(try Self.json(out.appendingPathComponent("summary.json"))["visuals"] as? String == "mixed")
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: visuals:") }
        #expect(warnings.count == 1 && warnings[0].contains("object:eggplant"), "\(r.stderr)")
    }

    @Test func withoutAssetsEverythingIsProceduralAndSaysSo() throws {
        let out = try TestSupport.makeTempDir(), empty = try TestSupport.makeTempDir()
        let r = try TestSupport.cli(["sim", "--suite", "widowx", "--task", "widowx_stack_cube", "--episodes", "0", "--policy", "zero",
                                     "--out", out.path], environment: ["VLASER_ASSETS_DIR": empty.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.json(out.appendingPathComponent("manifest.json"))["visuals"] as? String == "procedural")
        #expect(r.stderr.contains("warning: visuals: procedural stand-ins (no SimplerEnv meshes under \(empty.path); run scripts/fetch-assets.sh"))
    }

    @Test func badAssetsInputIsOneLineExit2() throws {
        let out = try TestSupport.makeTempDir()
        let missing = try TestSupport.cli(["sim", "--suite", "widowx", "--assets", "/nonexistent/assets", "--out", out.appendingPathComponent("a").path])
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/assets") && missing.stderr.contains("--assets"), "\(missing.stderr)")
        let edited = try TestSupport.editedScenes("simpler-visuals.json", replacing: "\"objects\":", with: "\"objets\":")
        let typo = try TestSupport.cli(["sim", "--suite", "widowx", "--task", "widowx_stack_cube", "--scenes", edited.scenes.path,
                                        "--assets", Self.meshes.path, "--out", out.appendingPathComponent("b").path])
        #expect(typo.status == 2 && typo.stderr.contains("simpler-visuals.json"), "\(typo.stderr)")
    }
}
