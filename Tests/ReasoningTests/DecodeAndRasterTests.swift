import Foundation
import ResultsSchema
import Scoreboard
import ImageIO
import Testing
import TestSupport
@testable import Reasoning

/// Image decoding and polygon masks against Pillow, hashing against hashlib, and data-root confinement.
struct DecodeAndRasterTests {
    @Test func pngAndJpegDecodeLikePillow() throws {
        let dir = try TestSupport.makeTempDir("reason-decode")
        // Pillow writes the files and dumps the pixels it decodes from them (the oracle).
        let out = try TestSupport.python("""
        import sys, random
        from PIL import Image
        d = sys.argv[1]; random.seed(3)
        rgb = Image.new('RGB', (13, 7)); rgb.putdata([(random.randrange(256), random.randrange(256), random.randrange(256)) for _ in range(91)])
        rgb.save(d + '/a.png')
        gray = Image.new('L', (9, 5)); gray.putdata([random.randrange(256) for _ in range(45)]); gray.save(d + '/g.png')
        rgba = Image.new('RGBA', (4, 3), (10, 20, 30, 255)); rgba.save(d + '/t.png')
        rgb.resize((32, 24)).save(d + '/a.jpg', quality=90); gray.resize((16, 16)).save(d + '/g.jpg', quality=90)
        for n in ['a.png', 'g.png', 't.png', 'a.jpg', 'g.jpg']:
            im = Image.open(d + '/' + n); im = im.convert('RGB') if im.mode == 'RGBA' else im
            print(n, im.width, im.height, len(im.getbands()), ','.join(str(v) for v in im.tobytes()))
        """, args: [dir.path])
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ")
            let img = try ImageDecoder.decode(contentsOf: dir.appendingPathComponent(String(f[0])))
            #expect(img.width == Int(f[1])! && img.height == Int(f[2])! && img.channels == Int(f[3])!, "\(f[0])")
            let expected = f[4].split(separator: ",").map { Int($0)! }
            let diff = zip(img.pixels, expected).map { abs(Int($0) - $1) }.max() ?? 0
            // PNG is lossless; libjpeg-turbo and Pillow's libjpeg may differ by rounding in the IDCT.
            #expect(diff <= (f[0].hasSuffix(".jpg") ? 2 : 0), "\(f[0]) differs by \(diff)")
        }
    }

    @Test func corruptImagesAreErrorsNotCrashes() throws {
        #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])) }
        #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(Data([0x89, 0x50, 0x4E, 0x47, 0, 0])) }
        #expect(throws: ImageDecodeError.self) { try ImageDecoder.decode(Data("GIF89a".utf8)) }
    }

    /// Polygon fill vs PIL ImageDraw.polygon(fill=1, outline=1): interiors agree exactly and any disagreement
    /// lies within one pixel of an edge.
    @Test func polygonRasterMatchesPillow() throws {
        let polys: [[Double]] = [
            [10, 10, 50, 10, 50, 50, 10, 50],          // axis-aligned square
            [5, 5, 60, 12, 30, 40],                    // triangle
            [20.5, 3.2, 70.7, 30.1, 44.4, 70.9, 8.8, 41.3, 30, 30],   // concave, fractional
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: polys), as: UTF8.self)
        let out = try TestSupport.python("""
        import json, sys
        from PIL import Image, ImageDraw
        for poly in json.loads(sys.argv[1]):
            im = Image.new('L', (80, 80), 0)
            ImageDraw.Draw(im).polygon(poly, fill=1, outline=1)
            print(''.join(str(v) for v in im.tobytes()))
        """, args: [json])
        for (poly, line) in zip(polys, out.split(separator: "\n")) {
            let pil = line.map { $0 == "1" }
            let mine = Mask.polygons([poly], width: 80, height: 80).values.map { $0 > 0 }
            let pts = stride(from: 0, to: poly.count, by: 2).map { (poly[$0], poly[$0 + 1]) }
            var far = 0, near = 0
            for i in 0..<pil.count where pil[i] != mine[i] {
                let (x, y) = (Double(i % 80), Double(i / 80))
                let d = pts.indices.map { k in segmentDistance(x, y, pts[k], pts[(k + 1) % pts.count]) }.min()!
                if d <= 1.0 { near += 1 } else { far += 1 }
            }
            #expect(far == 0, "polygon \(poly): \(far) pixels differ away from the boundary")
            #expect(near <= pil.filter { $0 }.count / 10, "polygon \(poly): \(near) boundary pixels differ")
            if poly.count == 8 { #expect(near == 0) }   // the integer square must match exactly
        }
    }

    func segmentDistance(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let t = max(0, min(1, ((x - a.0) * dx + (y - a.1) * dy) / max(dx * dx + dy * dy, 1e-12)))
        return hypot(x - (a.0 + t * dx), y - (a.1 + t * dy))
    }

    @Test func sha256MatchesHashlib() throws {
        let inputs = ["", "abc", String(repeating: "x", count: 55), String(repeating: "y", count: 64), String(repeating: "z", count: 1000)]
        for s in inputs {
            let oracle = try TestSupport.python("import hashlib, sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())", args: [s])
            #expect(SHA256.hex(s) == oracle.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func dataPathsAreConfinedToTheRoot() throws {
        let root = DataRoot(URL(fileURLWithPath: "/tmp/data/where2place"))
        #expect(throws: ReasonError.self) { try root.resolve("../erqa/x.png", in: "f") }
        #expect(throws: ReasonError.self) { try root.resolve("images/../../x.png", in: "f") }
        #expect(throws: ReasonError.self) { try root.resolve("/etc/passwd", in: "f") }
        #expect(throws: ReasonError.self) { try root.resolve("~/x", in: "f") }
        #expect(throws: ReasonError.self) { try root.resolve("", in: "f") }
        #expect(try root.resolve("images/./a.png", in: "f").path == "/tmp/data/where2place/images/a.png")
    }

    /// A symbolic link inside the data folder that points outside it is refused like `..`, and a file that is not a
    /// PNG or JPEG is never uploaded as an image.
    @Test func symlinksAndNonImagesAreRefused() throws {
        let dir = try TestSupport.makeTempDir()
        let root = dir.appendingPathComponent("where2place")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
        let secret = dir.appendingPathComponent("secret.txt")
        try Data("canary-7f3a".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("images/img0.jpg").path, withDestinationPath: secret.path)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("outside").path, withDestinationPath: dir.path)
        let data = DataRoot(root)
        #expect { try data.existing("images/img0.jpg", in: "q.jsonl") } throws: { "\($0)".contains("leaves the data folder") }
        #expect { try data.existing("outside/secret.txt", in: "q.jsonl") } throws: { "\($0)".contains("leaves the data folder") }
        // A link that stays inside is fine.
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: root.appendingPathComponent("images/real.png"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("images/alias.png").path, withDestinationPath: "real.png")
        #expect(try data.existing("images/alias.png", in: "q.jsonl").lastPathComponent == "alias.png")

        let text = root.appendingPathComponent("images/notes.jpg")
        try Data("canary-7f3a".utf8).write(to: text)
        let s = Sample(id: "x", fields: ["question": "where?"], images: [.file(text)], group: "", truth: .letter("A"))
        #expect { _ = try PromptBuilder.content(template: "{question}", sample: s) } throws: {
            "\($0)" == "\(text.path): not a PNG or JPEG image"
        }
    }

    @Test func promptTemplatesPlaceImagesAndKeepBraces() throws {
        let s = Sample(id: "x", fields: ["question": "Is {A} left?", "instruction": "go"], images: [], group: "", truth: .letter("A"))
        #expect(try PromptBuilder.render("{question} {\"point\": 1}", sample: s) == "Is {A} left? {\"point\": 1}")
        #expect(throws: ReasonError.self) { try PromptBuilder.render("{missing}", sample: s) }
        #expect(PromptBuilder.parts("a<|image:1|>b", imageCount: 2) == [.image(0), .text("a"), .image(1), .text("b")])
        #expect(PromptBuilder.parts("q", imageCount: 1) == [.image(0), .text("q")])
    }
}
