import Foundation

/// A reply's points in integer image pixels, in reply order, as the point metrics read them. Boxes are not
/// expanded: a metric visits only a box's pixels inside the image (the only ones a mask can weigh) or near a
/// reference point, so a reply naming 2^20 points costs at most an image's worth of look-ups.
public struct PixelPoints {
    public enum Element: Equatable {
        case point(x: Int, y: Int)
        case box(PixelBox)
    }
    public var elements: [Element]

    /// How many points, a box counting each pixel inside it (the denominator of every per-point metric).
    public var count: Int { elements.reduce(0) { n, e in if case .box(let b) = e { return n + b.area }; return n + 1 } }
    public var isEmpty: Bool { elements.isEmpty }
    /// The first point (a box's is its top-left pixel, where the script's loops start).
    public var first: (x: Int, y: Int)? {
        switch elements.first {
        case .point(let x, let y): return (x, y)
        case .box(let b): return (b.x0, b.y0)
        case nil: return nil
        }
    }

    /// Σ of the mask's value over every point (points outside the image weigh 0).
    func weight(in mask: Mask) -> Double {
        var sum = 0.0
        forEachInside(mask) { sum += Double(mask.value(x: $0, y: $1)) }
        return sum
    }

    /// How many points fall where the mask is positive.
    func hits(in mask: Mask) -> Int {
        var n = 0
        forEachInside(mask) { if mask.value(x: $0, y: $1) > 0 { n += 1 } }
        return n
    }

    /// Whether every point falls where the mask is positive.
    func allInside(_ mask: Mask) -> Bool {
        let inImage = elements.allSatisfy { e in
            switch e {
            case .point(let x, let y): return x >= 0 && y >= 0 && x < mask.width && y < mask.height
            case .box(let b): return b.clipped(width: mask.width, height: mask.height) == b
            }
        }
        return inImage && hits(in: mask) == count
    }

    /// Calls `body` for every point inside the mask's image, boxes clipped to it.
    private func forEachInside(_ mask: Mask, _ body: (Int, Int) -> Void) {
        for e in elements {
            switch e {
            case .point(let x, let y):
                if x >= 0, y >= 0, x < mask.width, y < mask.height { body(x, y) }
            case .box(let b):
                guard let c = b.clipped(width: mask.width, height: mask.height) else { continue }
                for y in c.y0..<c.y1 { for x in c.x0..<c.x1 { body(x, y) } }
            }
        }
    }

    /// What `predictions.jsonl` records as `parsed`: `[x, y]` per point, `{"box": [x0, y0, x1, y1]}` per box.
    var json: [Any] { elements.map { switch $0 { case .point(let x, let y): [x, y]; case .box(let b): b.json } } }
}

extension ParsedPoints {
    /// How many points lie within `radius` of any reference point (Pixmo, §4.6). A box visits only its pixels
    /// inside each reference point's bounding square, each pixel counted once.
    func hits(within radius: Double, of references: [[Double]]) -> Int {
        func near(_ x: Double, _ y: Double, _ g: [Double]) -> Bool { hypot(x - g[0], y - g[1]) <= radius }
        var n = 0
        for e in elements {
            switch e {
            case .point(let x, let y):
                if references.contains(where: { near(x, y, $0) }) { n += 1 }
            case .box(let b):
                for (i, g) in references.enumerated() {
                    let xs = max(b.x0, safeInt((g[0] - radius).rounded(.up))), xe = min(b.x1, safeInt((g[0] + radius).rounded(.down)) + 1)
                    let ys = max(b.y0, safeInt((g[1] - radius).rounded(.up))), ye = min(b.y1, safeInt((g[1] + radius).rounded(.down)) + 1)
                    guard xs < xe, ys < ye else { continue }
                    for y in ys..<ye {
                        for x in xs..<xe {
                            let (fx, fy) = (Double(x), Double(y))
                            // Counted at the first reference it is near, as the expanded list's `contains` would.
                            if near(fx, fy, g), !references[..<i].contains(where: { near(fx, fy, $0) }) { n += 1 }
                        }
                    }
                }
            }
        }
        return n
    }

    /// `parsed` as `PixelPoints.json` records it, points as the reply wrote them (Pixmo keeps the 0–1000 grid).
    var json: [Any] { elements.map { switch $0 { case .point(let x, let y): [x, y]; case .box(let b): b.json } } }
}
