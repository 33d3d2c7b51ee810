import Foundation

/// Per-pixel depth in metres along the camera's optical axis (OpenCV z), rows top to bottom.
/// 0 marks pixels where nothing was hit (SAPIEN's `-Position.z` convention leaves the background at 0 too).
public struct DepthImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var values: [Float]
    public init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "DepthImage: \(values.count) values for \(width)×\(height)")
        self.width = width; self.height = height; self.values = values
    }
    public subscript(x: Int, y: Int) -> Float { values[y * width + x] }

    /// A grey visualisation: near = bright, far = dark, background black; `range` in metres (default: data range).
    public func visualized(range: ClosedRange<Float>? = nil) -> RGBImage {
        let hits = values.filter { $0 > 0 }
        let lo = range?.lowerBound ?? (hits.min() ?? 0), hi = range?.upperBound ?? (hits.max() ?? 1)
        let span = max(hi - lo, 1e-6)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for (i, d) in values.enumerated() where d > 0 {
            let g = UInt8(max(0, min(255, (1 - (d - lo) / span) * 215 + 40)))
            out[3 * i] = g; out[3 * i + 1] = g; out[3 * i + 2] = g
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}

/// Per-pixel actor/link segmentation id (SAPIEN's actor-level channel); 0 = background.
public struct SegmentationImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var ids: [UInt32]
    public init(width: Int, height: Int, ids: [UInt32]) {
        precondition(ids.count == width * height, "SegmentationImage: \(ids.count) ids for \(width)×\(height)")
        self.width = width; self.height = height; self.ids = ids
    }
    public subscript(x: Int, y: Int) -> UInt32 { ids[y * width + x] }

    /// A false-colour visualisation with a stable colour per id (background black).
    public func visualized() -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for (i, id) in ids.enumerated() where id != 0 {
            var h = id &* 2_654_435_761  // Knuth multiplicative hash: neighbouring ids get distant colours
            h ^= h >> 13
            out[3 * i] = UInt8(64 + (h & 0xBF)); out[3 * i + 1] = UInt8(64 + ((h >> 8) & 0xBF))
            out[3 * i + 2] = UInt8(64 + ((h >> 16) & 0xBF))
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}

/// An image read from a file: colour plus the alpha channel when the file had one.
public struct RGBAlphaImage: Sendable {
    public var rgb: RGBImage
    /// One byte per pixel, or nil when the file had no alpha channel.
    public var alpha: [UInt8]?
}

public enum ImageIOError: Error, CustomStringConvertible {
    case read(path: String, reason: String)
    case write(path: String, reason: String)
    public var description: String {
        switch self {
        case let .read(path, reason): return "cannot read image \(path): \(reason)"
        case let .write(path, reason): return "cannot write image \(path): \(reason)"
        }
    }
}
