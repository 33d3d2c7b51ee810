import Foundation
import ImageIO
import Testing
import TestSupport
import VLMath
@testable import Render

/// The GLB and COLLADA readers against trimesh (glTF natively, COLLADA through pycollada) on SimplerEnv's own
/// files (`../shared/assets/simpler-meshes`): same triangle count, bounds and surface area after the scene graph.
@Suite struct MeshFileTests {
    static let meshes = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")

    /// One file of each kind the tasks draw: DAE with a node rotation (carrot), with 82 nodes (sink), untextured
    /// (cube), the 25k-triangle coke can; GLB objects, the Google base and the cabinet tabletop; an OBJ robot link.
    static let files = [
        "data/custom/models/bridge_carrot_generated_modified/textured.dae",
        "data/custom/models/sink/textured.dae",
        "data/custom/models/baked_green_cube_3cm/textured.dae",
        "data/custom/models/opened_coke_can/textured.dae",
        "data/custom/models/table_cloth_generated_shorter/textured.dae",
        "data/custom/models/baked_apple_v2/textured.glb",
        "data/custom/models/baked_opened_coke_can_v2/textured.glb",
        "data/custom/models/stone_tabletop.glb",
        "mani_skill2_real2sim/assets/descriptions/googlerobot_description/3obj/link_base.glb",
        "mani_skill2_real2sim/assets/descriptions/googlerobot_description/coarse_meshes/link_rear_wheel.glb",
    ]

    static let oracle = """
        import json, sys, trimesh
        for path in sys.argv[1:]:
            scene = trimesh.load(path, force="scene", process=False)
            parts = []
            for node in scene.graph.nodes_geometry:
                transform, name = scene.graph.get(node)
                parts.append(scene.geometry[name].copy().apply_transform(transform))
            m = trimesh.util.concatenate(parts)
            print(json.dumps({"triangles": len(m.faces), "min": m.bounds[0].tolist(), "max": m.bounds[1].tolist(),
                              "area": float(m.area)}))
        """

    struct Stats: Decodable { let triangles: Int; let min: [Double]; let max: [Double]; let area: Double }

    static func stats(_ groups: [MeshFile.Group]) -> Stats {
        let m = Mesh.merged(groups.map(\.mesh)), (lo, hi) = m.bounds
        var area = 0.0
        for t in stride(from: 0, to: m.indices.count, by: 3) {
            let a = m.positions[Int(m.indices[t])], b = m.positions[Int(m.indices[t + 1])], c = m.positions[Int(m.indices[t + 2])]
            let n = cross(b - a, c - a)
            area += Double((n * n).sum().squareRoot()) / 2
        }
        return Stats(triangles: m.triangleCount, min: [lo.x, lo.y, lo.z].map(Double.init), max: [hi.x, hi.y, hi.z].map(Double.init), area: area)
    }

    @Test func readersAgreeWithTrimesh() throws {
        #expect(FileManager.default.fileExists(atPath: Self.meshes.path), "the SimplerEnv meshes are expected in ../shared/assets")
        let urls = Self.files.map { Self.meshes.appendingPathComponent($0) }
        let lines = try TestSupport.python(Self.oracle, args: urls.map(\.path)).split(separator: "\n")
        try #require(lines.count == urls.count)
        for (url, line) in zip(urls, lines) {
            let want = try JSONDecoder().decode(Stats.self, from: Data(line.utf8))
            let groups = try MeshFile.load(url)
            let got = Self.stats(groups)
            #expect(got.triangles == want.triangles, "\(url.lastPathComponent): \(got.triangles) triangles, trimesh \(want.triangles)")
            for k in 0..<3 {
                #expect(abs(got.min[k] - want.min[k]) < 1e-5 && abs(got.max[k] - want.max[k]) < 1e-5,
                        "\(url.path): bounds \(got.min)…\(got.max), trimesh \(want.min)…\(want.max)")
            }
            #expect(abs(got.area - want.area) <= 1e-4 * want.area, "\(url.path): area \(got.area), trimesh \(want.area)")
        }
    }

    /// Textures: the carrot's DAE names a 2048² PNG beside it (kept at `maxTextureSide`), the baked GLBs embed theirs.
    @Test func texturesAreFoundAndCapped() throws {
        let carrot = try MeshFile.load(Self.meshes.appendingPathComponent(Self.files[0]))
        let tex = try #require(carrot.first?.material.texture)
        #expect(tex.width == MeshFile.maxTextureSide && tex.height == MeshFile.maxTextureSide)
        #expect(carrot.first?.mesh.uvs != nil)
        let apple = try MeshFile.load(Self.meshes.appendingPathComponent(Self.files[5]))
        // Baked files: black albedo, the look in the emission, drawn unlit (the apple's emissive texture, the
        // green cube's emission colours).
        #expect(apple.allSatisfy { $0.material.texture != nil && $0.material.unlit && $0.mesh.uvs != nil })
        let cube = try MeshFile.load(Self.meshes.appendingPathComponent(Self.files[2]))
        #expect(cube.allSatisfy { $0.material.unlit && $0.material.texture == nil && $0.material.baseColor.y > $0.material.baseColor.x })
    }

    @Test func badFilesNameThemselves() throws {
        let dir = try TestSupport.makeTempDir()
        let glb = dir.appendingPathComponent("x.glb"), dae = dir.appendingPathComponent("x.dae")
        try Data("not a glb at all, just text".utf8).write(to: glb)
        try Data("<COLLADA><library_geometries>".utf8).write(to: dae)
        for url in [glb, dae, dir.appendingPathComponent("x.stl"), dir.appendingPathComponent("missing.glb")] {
            do { _ = try MeshFile.load(url); Issue.record("\(url.lastPathComponent) loaded") } catch {
                #expect("\(error)".contains(url.path), "\(error)")
            }
        }
    }
}
