import Foundation
import ImageIO
import Testing
import TestSupport
import VLMath
@testable import Render

@Suite struct AssetTests {
    @Test func pngRoundTrip() throws {
        let dir = try TestSupport.makeTempDir()
        var img = RGBImage(width: 7, height: 5)
        for i in 0..<img.pixels.count { img.pixels[i] = UInt8((i * 37) % 256) }
        let url = dir.appendingPathComponent("a.png")
        try writePNG(img, to: url)
        let back = try readPNG(url)
        #expect(back.rgb == img && back.alpha == nil)
        // Independent decoder: Python's zlib-free check of the PNG signature and IHDR size.
        let data = try Data(contentsOf: url)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(throws: ImageIOError.self) { try readPNG(dir.appendingPathComponent("missing.png")) }
    }

    @Test func objWithMaterialAndTexture() throws {
        let dir = try TestSupport.makeTempDir()
        var tex = RGBImage(width: 2, height: 2, fill: (10, 200, 30))
        tex.pixels[0] = 250
        try writePNG(tex, to: dir.appendingPathComponent("t.png"))
        try "newmtl red\nKd 0.8 0.1 0.1\nnewmtl tex\nKd 1 1 1\nmap_Kd t.png\n".write(to: dir.appendingPathComponent("m.mtl"), atomically: true, encoding: .utf8)
        let obj = """
        mtllib m.mtl
        v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 2
        vt 0 0\nvt 1 0\nvt 1 1\nvt 0 1
        vn 0 0 1
        usemtl red
        f 1//1 2//1 3//1 4//1
        usemtl tex
        f -5/1 -4/2 -1/3
        """
        try obj.write(to: dir.appendingPathComponent("a.obj"), atomically: true, encoding: .utf8)
        let groups = try OBJLoader.load(dir.appendingPathComponent("a.obj"))
        #expect(groups.count == 2)
        #expect(groups[0].mesh.triangleCount == 2 && groups[0].mesh.positions.count == 4)
        #expect(groups[0].material.baseColor == Float3(0.8, 0.1, 0.1))
        #expect(groups[1].mesh.uvs != nil && groups[1].material.texture?.width == 2)
        #expect(groups[1].mesh.normals[0] == Float3(0, -1, 0))  // flat normal of the face without vn
        let model = try VisualModel(VisualSpec(shape: "mesh", size: [0.1, 0.1, 0.2], mesh: "a.obj"), assets: dir)
        let (lo, hi) = Mesh.merged(model.parts.map(\.mesh)).bounds
        #expect(abs((hi - lo).z - 0.2) < 1e-6 && abs(lo.x + 0.05) < 1e-6)
        try "v 0 0 0\nf 1 2 3\n".write(to: dir.appendingPathComponent("bad.obj"), atomically: true, encoding: .utf8)
        #expect(throws: OBJLoader.LoadError.self) { try OBJLoader.load(dir.appendingPathComponent("bad.obj")) }
    }

    /// `map_Kd` may name a JPEG (SimplerEnv-style assets often do); the texture is decoded by libjpeg-turbo.
    /// A material library that is a directory is refused by name; an empty one gives the default material.
    @Test func objMaterialLibraryEdgeCases() throws {
        let dir = try TestSupport.makeTempDir()
        try Data("mtllib .\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".utf8).write(to: dir.appendingPathComponent("dir.obj"))
        #expect { try OBJLoader.load(dir.appendingPathComponent("dir.obj")) } throws: { "\($0)" == "OBJ: cannot read \(dir.path)/." }
        try Data().write(to: dir.appendingPathComponent("empty.mtl"))
        try Data("mtllib empty.mtl\nusemtl none\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".utf8).write(to: dir.appendingPathComponent("e.obj"))
        let groups = try OBJLoader.load(dir.appendingPathComponent("e.obj"))
        #expect(groups.count == 1 && groups[0].mesh.indices == [0, 1, 2])
    }

    @Test func objWithJPEGTexture() throws {
        let dir = try TestSupport.makeTempDir()
        _ = try TestSupport.python("""
            import sys
            from PIL import Image
            Image.new("RGB", (8, 8), (200, 40, 20)).save(sys.argv[1], quality=95)
            """, args: [dir.appendingPathComponent("t.jpg").path])
        try "newmtl tex\nKd 1 1 1\nmap_Kd t.jpg\n".write(to: dir.appendingPathComponent("m.mtl"), atomically: true, encoding: .utf8)
        try "mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 1 1 0\nvt 0 0\nvt 1 0\nvt 1 1\nusemtl tex\nf 1/1 2/2 3/3\n"
            .write(to: dir.appendingPathComponent("a.obj"), atomically: true, encoding: .utf8)
        let groups = try OBJLoader.load(dir.appendingPathComponent("a.obj"))
        let tex = try #require(groups.first?.material.texture)
        #expect(tex.width == 8 && tex.height == 8)
        // A corrupt texture is an error naming the file, not a crash.
        try Data([0xFF, 0xD8, 0x00, 0x01]).write(to: dir.appendingPathComponent("t.jpg"))
        #expect(throws: OBJLoader.LoadError.self) { try OBJLoader.load(dir.appendingPathComponent("a.obj")) }
    }

    @Test func namedObjectsFitTheRequestedSize() throws {
        let want = Float3(0.12, 0.07, 0.05)
        for name in ProceduralObjects.names {
            let model = try VisualModel(VisualSpec(shape: name, size: [0.12, 0.07, 0.05]))
            let (lo, hi) = model.parts[0].mesh.bounds
            #expect(simd_maxAbs(hi - lo - want) < 1e-5, "\(name)")
            // The size is data (scenes/objects): a named object without one is refused.
            #expect(throws: VisualSpecError.self) { try VisualModel(VisualSpec(shape: name)) }
        }
        let spec = try JSONDecoder().decode(VisualSpec.self, from: Data(#"{"shape": "carrot", "size": [0.115, 0.032, 0.038], "color": [1.0, 0.45, 0.1]}"#.utf8))
        #expect(try VisualModel(spec).parts.count == 1)
        #expect(throws: VisualSpecError.self) { try VisualModel(VisualSpec(shape: "banana")) }
        #expect(throws: VisualSpecError.self) { try VisualModel(VisualSpec(shape: "box")) }
        #expect(throws: VisualSpecError.self) { try VisualModel(VisualSpec(shape: "can", size: [0.066, 0.123, 0.066], variant: "tab")) }
        let cyl = try VisualModel(.urdfCylinder(radius: 0.02, length: 0.1, rgba: [0.1, 0.1, 0.1, 1]))
        let (lo, hi) = cyl.parts[0].mesh.bounds
        #expect(simd_maxAbs(hi - lo - Float3(0.04, 0.04, 0.1)) < 1e-5)
    }
}

func simd_maxAbs(_ v: Float3) -> Float { max(abs(v.x), abs(v.y), abs(v.z)) }
