import Foundation
import ImageIO

/// Per-pixel weights of a ground-truth region (0…1), row-major.
public struct Mask {
    public let width: Int
    public let height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        self.width = width; self.height = height; self.values = values
    }

    /// Weight at (x, y); points outside the image weigh 0 (every metric counts them as misses).
    public func value(x: Int, y: Int) -> Float {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return values[y * width + x]
    }

    /// Applies a benchmark's mask rule to a decoded mask image.
    public init(_ image: DecodedImage, rule: MaskRule) {
        let n = image.width * image.height, c = image.channels
        var v = [Float](repeating: 0, count: n)
        for i in 0..<n {
            switch rule {
            case .fraction255: v[i] = Float(image.pixels[i * c]) / 255
            case .firstChannelPositive: v[i] = image.pixels[i * c] > 0 ? 1 : 0
            case .anyChannelAbove127: v[i] = (0..<c).contains { image.pixels[i * c + $0] > 127 } ? 1 : 0
            }
        }
        self.init(width: image.width, height: image.height, values: v)
    }

    /// Union of filled polygons, outline included (PIL `ImageDraw.polygon(fill=1, outline=1)` semantics that
    /// Vlaser's PACO script relies on, §4.5). Each polygon is a flat [x1, y1, x2, y2, ...] list in pixels.
    public static func polygons(_ polygons: [[Double]], width: Int, height: Int) -> Mask {
        var m = Mask(width: width, height: height, values: [Float](repeating: 0, count: width * height))
        for flat in polygons where flat.count >= 6 {
            let pts = stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }
            m.fill(pts)
            for i in 0..<pts.count { m.line(pts[i], pts[(i + 1) % pts.count]) }
        }
        return m
    }

    private mutating func set(_ x: Int, _ y: Int) {
        if x >= 0, y >= 0, x < width, y < height { values[y * width + x] = 1 }
    }

    /// Even-odd scanline fill at integer pixel rows; spans run from ceil(left) to floor(right).
    private mutating func fill(_ pts: [(Double, Double)]) {
        let ys = pts.map { $0.1 }
        let y0 = max(0, Int(ys.min()!.rounded(.up))), y1 = min(height - 1, Int(ys.max()!.rounded(.down)))
        guard y0 <= y1 else { return }
        for y in y0...y1 {
            let fy = Double(y)
            var xs: [Double] = []
            for i in 0..<pts.count {
                let (ax, ay) = pts[i], (bx, by) = pts[(i + 1) % pts.count]
                if (ay <= fy && by > fy) || (by <= fy && ay > fy) { xs.append(ax + (fy - ay) * (bx - ax) / (by - ay)) }
            }
            xs.sort()
            for k in stride(from: 0, to: xs.count - 1, by: 2) {
                let a = max(0, Int(xs[k].rounded(.up))), b = min(width - 1, Int(xs[k + 1].rounded(.down)))
                if a <= b { for x in a...b { set(x, y) } }
            }
        }
    }

    /// Bresenham line between the rounded end points (the outline).
    private mutating func line(_ p: (Double, Double), _ q: (Double, Double)) {
        var x0 = safeInt(p.0.rounded()), y0 = safeInt(p.1.rounded())
        let x1 = safeInt(q.0.rounded()), y1 = safeInt(q.1.rounded())
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        guard dx <= 100_000, -dy <= 100_000 else { return }
        var err = dx + dy
        while true {
            set(x0, y0)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }
}
