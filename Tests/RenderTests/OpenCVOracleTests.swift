import Foundation
import ImageIO
import Testing
import TestSupport
import VLMath
@testable import Render

/// OpenCV (opencv-python-headless in the test venv) as the trusted oracle for the camera model and the resize
/// filters the overlay (§1.4) and the policy inputs use.
@Suite struct OpenCVOracleTests {
    @Test func projectionMatchesProjectPoints() throws {
        let cam = try TestScene().camera
        let points = [Vec3(-0.16, 0, 0.87), Vec3(-0.235, -0.075, 0.8875), Vec3(-0.3, 0.2, 0.95), Vec3(0.0, -0.1, 1.0)]
        let inv = cam.pose.inverse, rv = inv.q.rotationVector
        let code = """
        import sys, json, numpy as np, cv2
        a = json.loads(sys.stdin.read())
        K = np.array([[a['fx'], 0, a['cx']], [0, a['fy'], a['cy']], [0, 0, 1.0]])
        uv, _ = cv2.projectPoints(np.array(a['pts'], dtype=np.float64), np.array(a['r']), np.array(a['t']), K, None)
        print(json.dumps(uv.reshape(-1, 2).tolist()))
        """
        let input: [String: Any] = ["fx": cam.fx, "fy": cam.fy, "cx": cam.cx, "cy": cam.cy, "r": [rv.x, rv.y, rv.z],
                                    "t": [inv.p.x, inv.p.y, inv.p.z], "pts": points.map { [$0.x, $0.y, $0.z] }]
        let out = try TestSupport.python(code, stdin: JSONSerialization.data(withJSONObject: input))
        let uv = try JSONDecoder().decode([[Double]].self, from: Data(out.utf8))
        for (p, o) in zip(points, uv) {
            let mine = try #require(cam.project(p))
            #expect(abs(mine.u - o[0]) < 1e-6 && abs(mine.v - o[1]) < 1e-6)
        }
    }

    @Test func resizeMatchesOpenCV() throws {
        var rng = SeededRandom(seed: 3)
        var img = RGBImage(width: 97, height: 61)
        for i in 0..<img.pixels.count { img.pixels[i] = UInt8(rng.uniform(0, 255.99)) }
        let dir = try TestSupport.makeTempDir()
        let src = dir.appendingPathComponent("src.png")
        try writePNG(img, to: src)
        let code = """
        import sys, cv2
        img = cv2.imread(sys.argv[1], cv2.IMREAD_COLOR)[:, :, ::-1]
        for w, h, interp in [(160, 120, cv2.INTER_LINEAR), (40, 33, cv2.INTER_LINEAR), (40, 33, cv2.INTER_AREA), (32, 20, cv2.INTER_AREA)]:
            out = cv2.resize(img, (w, h), interpolation=interp)
            sys.stdout.write(out.tobytes().hex() + "\\n")
        """
        let lines = try TestSupport.python(code, args: [src.path]).split(separator: "\n")
        let cases: [(Int, Int, ResizeFilter)] = [(160, 120, .bilinear), (40, 33, .bilinear), (40, 33, .area), (32, 20, .area)]
        for ((w, h, f), line) in zip(cases, lines) {
            let want = stride(from: 0, to: line.count, by: 2).map { i -> UInt8 in
                let s = line.index(line.startIndex, offsetBy: i)
                return UInt8(line[s..<line.index(s, offsetBy: 2)], radix: 16)!
            }
            let got = img.resized(width: w, height: h, filter: f).pixels
            // OpenCV's 8-bit paths use fixed-point weights: allow one level of rounding difference.
            let worst = zip(got, want).map { abs(Int($0) - Int($1)) }.max() ?? 255
            #expect(got.count == want.count && worst <= 1, "\(w)×\(h) \(f): max diff \(worst)")
        }
    }
}
