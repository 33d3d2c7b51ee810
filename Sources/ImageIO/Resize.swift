import Foundation

/// How to resample an image to another size.
public enum ResizeFilter: String, Codable, Sendable, CaseIterable {
    /// OpenCV `INTER_LINEAR` (half-pixel centres, edge clamp). §1.4 uses it to fit overlay photos to the camera.
    case bilinear
    /// Box filter weighted by the exact overlap of source and destination pixels (OpenCV `INTER_AREA` for
    /// shrinking). The default for policy inputs: shrinking 640×480 to 224 px with bilinear taps only 4 of the
    /// ~8 source pixels per output pixel and aliases thin edges (spoon, fingers); area averaging does not.
    /// When enlarging it falls back to bilinear, as OpenCV does.
    case area

    public static let policyDefault: ResizeFilter = .area
}

public extension RGBImage {
    /// Resamples to `width × height`. Deterministic: fixed-order float arithmetic, rounded to nearest.
    func resized(width w: Int, height h: Int, filter: ResizeFilter = .policyDefault) -> RGBImage {
        if w == width && h == height { return self }
        if filter == .area && w <= width && h <= height { return areaResized(width: w, height: h) }
        return bilinearResized(width: w, height: h)
    }

    private func bilinearResized(width w: Int, height h: Int) -> RGBImage {
        let xs = Self.bilinearTaps(src: width, dst: w), ys = Self.bilinearTaps(src: height, dst: h)
        var out = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let (y0, y1, fy) = ys[y]
                for x in 0..<w {
                    let (x0, x1, fx) = xs[x]
                    for c in 0..<3 {
                        let a = Float(src[(y0 * width + x0) * 3 + c]), b = Float(src[(y0 * width + x1) * 3 + c])
                        let d = Float(src[(y1 * width + x0) * 3 + c]), e = Float(src[(y1 * width + x1) * 3 + c])
                        let top = a + (b - a) * fx, bottom = d + (e - d) * fx
                        out[(y * w + x) * 3 + c] = UInt8(min(255, max(0, (top + (bottom - top) * fy).rounded())))
                    }
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }

    /// For each destination index: the two source indices and the weight of the second (OpenCV's mapping).
    private static func bilinearTaps(src: Int, dst: Int) -> [(Int, Int, Float)] {
        let scale = Double(src) / Double(dst)
        return (0..<dst).map { i in
            let s = max(0, (Double(i) + 0.5) * scale - 0.5)
            let i0 = min(Int(s), src - 1), i1 = min(i0 + 1, src - 1)
            return (i0, i1, Float(s - Double(i0)))
        }
    }

    private func areaResized(width w: Int, height h: Int) -> RGBImage {
        let xs = Self.areaWeights(src: width, dst: w), ys = Self.areaWeights(src: height, dst: h)
        var out = [UInt8](repeating: 0, count: w * h * 3)
        var row = [Float](repeating: 0, count: width * 3)
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                for i in 0..<row.count { row[i] = 0 }
                for (sy, wy) in ys[y] {
                    let base = sy * width * 3
                    for i in 0..<(width * 3) { row[i] += Float(src[base + i]) * wy }
                }
                for x in 0..<w {
                    var acc: (Float, Float, Float) = (0, 0, 0)
                    for (sx, wx) in xs[x] {
                        acc.0 += row[sx * 3] * wx; acc.1 += row[sx * 3 + 1] * wx; acc.2 += row[sx * 3 + 2] * wx
                    }
                    let o = (y * w + x) * 3
                    out[o] = UInt8(min(255, max(0, acc.0.rounded())))
                    out[o + 1] = UInt8(min(255, max(0, acc.1.rounded())))
                    out[o + 2] = UInt8(min(255, max(0, acc.2.rounded())))
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }

    /// For each destination index: the source indices it overlaps and the normalised overlap weights.
    private static func areaWeights(src: Int, dst: Int) -> [[(Int, Float)]] {
        let scale = Double(src) / Double(dst)
        return (0..<dst).map { i in
            let a = Double(i) * scale, b = min(Double(src), a + scale)
            var taps: [(Int, Float)] = []
            var s = Int(a.rounded(.down))
            while Double(s) < b - 1e-9 {
                let overlap = min(b, Double(s + 1)) - max(a, Double(s))
                if overlap > 1e-9 { taps.append((min(s, src - 1), Float(overlap / scale))) }
                s += 1
            }
            return taps
        }
    }
}
