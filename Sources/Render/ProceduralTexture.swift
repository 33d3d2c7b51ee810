import Foundation
import ImageIO
import VLMath

/// A tiling pattern generated from a few numbers, for surfaces whose original textures are unavailable (the
/// SimplerEnv stage scans and baked table textures, simplerenv-tasks.md §4.2): written in a data file as
/// `{"pattern": "wood", "colors": [[0.6, 0.45, 0.3], [0.45, 0.3, 0.18]], "tile": 0.8, "seed": 3}`.
///
/// - `pattern`: `checker` (2×2 cells per tile), `stripes` (one band per colour across u), `noise` (smooth value
///   noise between the first two colours), `wood` (noise-warped rings between the first two colours).
/// - `colors`: RGB 0…1; two or more (`stripes` cycles through all of them).
/// - `tile`: metres one repeat of the pattern covers on the surface.
/// - `seed`: picks the noise lattice (`noise`, `wood`), so the same data always yields the same pixels.
public struct TextureSpec: Codable, Equatable, Sendable {
    public var pattern: String
    public var colors: [[Double]]
    public var tile: Double
    public var seed: UInt64?

    public init(pattern: String, colors: [[Double]], tile: Double, seed: UInt64? = nil) {
        self.pattern = pattern; self.colors = colors; self.tile = tile; self.seed = seed
    }

    public static let patterns = ["checker", "noise", "stripes", "wood"]
    /// Texels per tile side: enough for the grain to read at the head camera's distance, small to build.
    static let resolution = 128
    /// Value-noise lattice cells per tile side.
    static let lattice = 8

    /// The pattern as an image (one tile, wrapping seamlessly).
    public func image() throws -> RGBImage {
        guard Self.patterns.contains(pattern) else {
            throw VisualSpecError.badField(field: "texture.pattern", value: pattern, expected: Self.patterns.joined(separator: ", "))
        }
        guard colors.count >= 2, colors.allSatisfy({ $0.count == 3 && $0.allSatisfy { (0...1).contains($0) } }) else {
            throw VisualSpecError.badField(field: "texture.colors", value: "\(colors)", expected: "two or more RGB colours in 0…1")
        }
        guard tile > 0, tile.isFinite else {
            throw VisualSpecError.badField(field: "texture.tile", value: "\(tile)", expected: "a positive length in metres")
        }
        let n = Self.resolution
        let noise = ValueNoise(cells: Self.lattice, seed: seed ?? 0)
        let palette = colors.map { Float3(Float($0[0]), Float($0[1]), Float($0[2])) }
        var img = RGBImage(width: n, height: n)
        for y in 0..<n {
            for x in 0..<n {
                let u = (Float(x) + 0.5) / Float(n), v = (Float(y) + 0.5) / Float(n)
                let c: Float3
                switch pattern {
                case "checker": c = palette[(Int(u * 2) + Int(v * 2)) % 2]
                case "stripes": c = palette[min(Int(u * Float(palette.count)), palette.count - 1)]
                case "noise": c = mix(palette[0], palette[1], noise.octaves(u, v))
                default:
                    // Rings along v, warped by the noise so they wander like grain; an integer ring count keeps
                    // the tile seamless.
                    let t = 6 * v + 0.6 * noise.octaves(u, v)
                    let ring = 0.5 - 0.5 * cos(2 * Float.pi * t)
                    c = mix(palette[0], palette[1], ring * ring)
                }
                let i = (y * n + x) * 3
                for k in 0..<3 { img.pixels[i + k] = UInt8(min(max(c[k] * 255, 0), 255).rounded()) }
            }
        }
        return img
    }

    private func mix(_ a: Float3, _ b: Float3, _ t: Float) -> Float3 { a + (b - a) * t }
}

/// Tileable value noise: random values on a wrapping lattice, smoothly interpolated, summed over three octaves.
private struct ValueNoise {
    static let finestScale = 4
    let cells: Int
    /// One lattice big enough for the finest octave; coarser octaves read its first rows.
    let values: [Float]

    init(cells: Int, seed: UInt64) {
        self.cells = cells
        var rng = SeededRandom(seed: seed)
        let finest = cells * Self.finestScale
        values = (0..<(finest * finest)).map { _ in Float(rng.unit()) }
    }

    /// 0…1 at (u, v) in one tile.
    func octaves(_ u: Float, _ v: Float) -> Float {
        0.5 * at(u, v, scale: 1) + 0.3 * at(u, v, scale: 2) + 0.2 * at(u, v, scale: Self.finestScale)
    }

    /// One octave on a lattice `scale` times finer (wrapping, so every octave tiles too).
    private func at(_ u: Float, _ v: Float, scale: Int) -> Float {
        let n = cells * scale
        let x = u * Float(n), y = v * Float(n)
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = smooth(x - Float(x0)), fy = smooth(y - Float(y0))
        func value(_ i: Int, _ j: Int) -> Float {
            let a = ((i % n) + n) % n, b = ((j % n) + n) % n
            return values[b * n + a]
        }
        let top = value(x0, y0) + (value(x0 + 1, y0) - value(x0, y0)) * fx
        let bottom = value(x0, y0 + 1) + (value(x0 + 1, y0 + 1) - value(x0, y0 + 1)) * fx
        return top + (bottom - top) * fy
    }

    private func smooth(_ t: Float) -> Float { t * t * (3 - 2 * t) }
}
