import Foundation

/// A parsed point. `per1000` points are still in the model's 0–1000 grid; `pixels` are image pixels.
public struct ParsedPoints: Equatable {
    public enum Space: String { case per1000, pixels }
    public var points: [[Double]]
    public var space: Space
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
        var points: [[Double]] = []
        for g in groups {
            let parts = g[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.compactMap(Double.init)
            guard values.count == parts.count else { continue }
            let normalised = parts.contains { $0.contains(".") }
            func px(_ v: Double, _ scale: Int) -> Double { normalised ? (v * Double(scale)).rounded(.towardZero) : v.rounded(.towardZero) }
            func int(_ v: Double) -> Int { safeInt(v) }
            if values.count == 2 {
                points.append([px(values[0], width), px(values[1], height)])
            } else if values.count == 4 {
                let x0 = int(px(values[0], width)), y0 = int(px(values[1], height))
                let x1 = int(px(values[2], width)), y1 = int(px(values[3], height))
                guard x1 - x0 <= maxBoxSide, y1 - y0 <= maxBoxSide,
                      points.count + max(0, x1 - x0) * max(0, y1 - y0) <= maxExpandedPoints else { continue }
                if y0 < y1 && x0 < x1 {
                    for y in y0..<y1 { for x in x0..<x1 { points.append([Double(x), Double(y)]) } }
                }
            }
        }
        return ParsedPoints(points: points, space: .pixels)
    }

    /// Guard against a hostile reply naming a huge box (the official script would expand it too, but slowly).
    static let maxBoxSide = 4096
    /// Most points one reply's boxes may expand to (3× a 640×480 image): a few 4096² boxes made 16 M points each,
    /// gigabytes and minutes per reply (found by fuzz/answers). Boxes beyond it are ignored like other bad tuples.
    static let maxExpandedPoints = 1 << 20

    /// PointArena GPT-style JSON (§4.4): every `"point": [x, y]` in pixel coordinates.
    public static func jsonPixelPoints(_ text: String) -> ParsedPoints {
        let pairs = captures(#""point"\s*:\s*\[\s*([-+]?\d+\.?\d*)\s*,\s*([-+]?\d+\.?\d*)\s*\]"#, in: text)
        return ParsedPoints(points: pairs.compactMap { p in Double(p[1]).flatMap { x in Double(p[2]).map { [x, $0] } } },
                            space: .pixels)
    }

    /// Converts to integer pixels: 0–1000 grid → floor(v/1000·size) (Python int() on positive values).
    public static func toPixels(_ p: ParsedPoints, width: Int, height: Int) -> [(x: Int, y: Int)] {
        p.points.map { pt in
            switch p.space {
            case .pixels: return (safeInt(pt[0]), safeInt(pt[1]))
            case .per1000: return (safeInt(pt[0] / 1000 * Double(width)), safeInt(pt[1] / 1000 * Double(height)))
            }
        }
    }
}

/// Truncates toward zero like Python's int(), clamping absurd values (they are out of any image anyway) so a
/// reply such as "[1e400, 3]" cannot trap.
func safeInt(_ v: Double) -> Int {
    guard v.isFinite else { return v < 0 ? -1_000_000_000 : 1_000_000_000 }
    return Int(max(-1e9, min(1e9, v)).rounded(.towardZero))
}
