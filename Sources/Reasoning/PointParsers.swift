import Foundation

/// The points of a reply, in reply order. `per1000` points are still in the model's 0–1000 grid; `pixels` are image
/// pixels. A RoboPoint box stays a box (`PixelBox`): it stands for every integer pixel inside it, which can be a
/// million points, so the metrics visit only the pixels that can score and `parsed` records the box.
public struct ParsedPoints: Equatable {
    public enum Space: String { case per1000, pixels }
    public enum Element: Equatable {
        case point(x: Double, y: Double)
        case box(PixelBox)
    }
    public var elements: [Element]
    public var space: Space

    public init(elements: [Element], space: Space) { self.elements = elements; self.space = space }
    public init(points: [[Double]], space: Space) { self.init(elements: points.map { .point(x: $0[0], y: $0[1]) }, space: space) }

    /// How many points the reply names, a box counting each pixel inside it.
    public var count: Int { elements.reduce(0) { n, e in if case .box(let b) = e { return n + b.area }; return n + 1 } }
    /// Every point, boxes expanded row by row (what RoboPoint's script builds; for small replies and tests).
    public var points: [[Double]] {
        elements.flatMap { e -> [[Double]] in
            switch e {
            case .point(let x, let y): return [[x, y]]
            case .box(let b): return b.pixels.map { [Double($0.x), Double($0.y)] }
            }
        }
    }
}

/// Every integer pixel x0 ≤ x < x1, y0 ≤ y < y1 (RoboPoint `summarize_vqa.py` box semantics; never empty).
public struct PixelBox: Equatable {
    public let x0, y0, x1, y1: Int
    public var area: Int { (x1 - x0) * (y1 - y0) }
    /// The pixels row by row (y outer, x inner, as the script's loops).
    var pixels: [(x: Int, y: Int)] { (y0..<y1).flatMap { y in (x0..<x1).map { (x: $0, y: y) } } }
    /// The part inside `0..<width` × `0..<height`, nil if none.
    func clipped(width: Int, height: Int) -> PixelBox? {
        let c = PixelBox(x0: max(x0, 0), y0: max(y0, 0), x1: min(x1, width), y1: min(y1, height))
        return c.x0 < c.x1 && c.y0 < c.y1 ? c : nil
    }
    var json: [String: Any] { ["box": [x0, y0, x1, y1]] }
}

/// Compiled patterns, kept: a run scores thousands of replies with the same few patterns, and compiling one costs
/// more than matching it (thread-safe; matching with an `NSRegularExpression` is).
enum CompiledPatterns {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: NSRegularExpression] = [:]

    static func regex(_ pattern: String, options: NSRegularExpression.Options = []) -> NSRegularExpression? {
        let key = "\(options.rawValue) \(pattern)"
        lock.lock(); defer { lock.unlock() }
        if let re = cache[key] { return re }
        let re = try? NSRegularExpression(pattern: pattern, options: options)
        cache[key] = re
        return re
    }
}

/// Regex helper: all matches' capture groups (nil group → "").
func captures(_ pattern: String, in text: String, options: NSRegularExpression.Options = []) -> [[String]] {
    guard let re = CompiledPatterns.regex(pattern, options: options) else { return [] }
    let ns = text as NSString
    return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
        (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? "" : ns.substring(with: r)
        }
    }
}

public enum PointParsers {
    /// Vlaser `text2pts` (reasoning-benchmarks.md §3): the first `<point>[[..]]</point>` block, integer pairs only,
    /// kept on the 0–1000 grid (converted to pixels by truncation in `toPixels`). No tag ⇒ no points.
    public static func vlaser(_ text: String) -> ParsedPoints {
        guard let block = captures(#"<point>\s*\[\s*(\[.*?\])\s*\]</point>"#, in: text,
                                   options: [.dotMatchesLineSeparators]).first else {
            return ParsedPoints(points: [], space: .per1000)
        }
        let pairs = captures(#"\[\s*(\d+)\s*,\s*(\d+)\s*\]"#, in: block[1])
        return ParsedPoints(points: pairs.compactMap { p in Double(p[1]).flatMap { x in Double(p[2]).map { [x, $0] } } },
                            space: .per1000)
    }

    /// PACO/Pixmo scripts (§4.5, §4.6): every `[a, b]` pair anywhere (ints or decimals, no sign, no tag needed),
    /// on the 0–1000 grid. A 4-number box does not match.
    public static func looseBrackets(_ text: String) -> ParsedPoints {
        let pairs = captures(#"\[\s*(\d+\.?\d*)\s*,\s*(\d+\.?\d*)\s*\]"#, in: text)
        return ParsedPoints(points: pairs.compactMap { p in Double(p[1]).flatMap { x in Double(p[2]).map { [x, $0] } } },
                            space: .per1000)
    }

    /// RoboPoint `summarize_vqa.py` tuples (§4.3): every parenthesised comma list; 2-vectors with a "." in either
    /// number are normalised (int(x·W), int(y·H)), otherwise absolute pixels; 4-vectors are boxes whose every
    /// integer pixel y0≤y<y1, x0≤x<x1 becomes a point. Other lengths are ignored.
    public static func robopointTuples(_ text: String, width: Int, height: Int) -> ParsedPoints {
        let groups = captures(#"\(([-+]?\d+\.?\d*(?:,\s*[-+]?\d+\.?\d*)*?)\)"#, in: text)
        var elements: [ParsedPoints.Element] = []
        var expanded = 0
        for g in groups {
            let parts = g[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.compactMap(Double.init)
            guard values.count == parts.count else { continue }
            let normalised = parts.contains { $0.contains(".") }
            func px(_ v: Double, _ scale: Int) -> Double { normalised ? (v * Double(scale)).rounded(.towardZero) : v.rounded(.towardZero) }
            func int(_ v: Double) -> Int { safeInt(v) }
            if values.count == 2 {
                elements.append(.point(x: px(values[0], width), y: px(values[1], height)))
                expanded += 1
            } else if values.count == 4 {
                let x0 = int(px(values[0], width)), y0 = int(px(values[1], height))
                let x1 = int(px(values[2], width)), y1 = int(px(values[3], height))
                guard x1 - x0 <= maxBoxSide, y1 - y0 <= maxBoxSide,
                      expanded + max(0, x1 - x0) * max(0, y1 - y0) <= maxExpandedPoints else { continue }
                if y0 < y1 && x0 < x1 {
                    elements.append(.box(PixelBox(x0: x0, y0: y0, x1: x1, y1: y1)))
                    expanded += (x1 - x0) * (y1 - y0)
                }
            }
        }
        return ParsedPoints(elements: elements, space: .pixels)
    }

    /// Guard against a hostile reply naming a huge box (the official script would expand it too, but slowly).
    static let maxBoxSide = 4096
    /// Most points one reply's boxes may stand for (3× a 640×480 image): a few 4096² boxes made 16 M points each,
    /// gigabytes and minutes per reply when boxes were expanded (found by fuzz/answers). Boxes beyond it are
    /// ignored like other bad tuples.
    static let maxExpandedPoints = 1 << 20

    /// PointArena GPT-style JSON (§4.4): every `"point": [x, y]` in pixel coordinates.
    public static func jsonPixelPoints(_ text: String) -> ParsedPoints {
        let pairs = captures(#""point"\s*:\s*\[\s*([-+]?\d+\.?\d*)\s*,\s*([-+]?\d+\.?\d*)\s*\]"#, in: text)
        return ParsedPoints(points: pairs.compactMap { p in Double(p[1]).flatMap { x in Double(p[2]).map { [x, $0] } } },
                            space: .pixels)
    }

    /// Converts to integer pixels: 0–1000 grid → floor(v/1000·size) (Python int() on positive values); boxes are
    /// pixels already.
    public static func toPixels(_ p: ParsedPoints, width: Int, height: Int) -> PixelPoints {
        PixelPoints(elements: p.elements.map { e in
            switch (e, p.space) {
            case (.box(let b), _): return .box(b)
            case (.point(let x, let y), .pixels): return .point(x: safeInt(x), y: safeInt(y))
            case (.point(let x, let y), .per1000): return .point(x: safeInt(x / 1000 * Double(width)), y: safeInt(y / 1000 * Double(height)))
            }
        })
    }
}

/// Truncates toward zero like Python's int(), clamping absurd values (they are out of any image anyway) so a
/// reply such as "[1e400, 3]" cannot trap.
func safeInt(_ v: Double) -> Int {
    guard v.isFinite else { return v < 0 ? -1_000_000_000 : 1_000_000_000 }
    return Int(max(-1e9, min(1e9, v)).rounded(.towardZero))
}
