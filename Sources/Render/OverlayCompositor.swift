import Foundation
import ImageIO

/// SimplerEnv "visual matching" (simplerenv-tasks.md §1.4): the real photo replaces every pixel whose
/// segmentation id is not in the keep set (robot links, task objects, articulated props minus the task's
/// always-overlay list). The blend sim·(1−m) + real·m is exact per sample (m ∈ {0, 1}); with anti-aliasing
/// the pixel is the mean of its samples, so kept objects' edges fade into the photo.
public final class OverlayCompositor: @unchecked Sendable {
    public let source: RGBImage
    /// Segmentation ids rendered from the sim; everything else shows the photo.
    public let keep: Set<UInt32>
    private var cached: RGBImage?

    public init(photo: RGBImage, keep: Set<UInt32>) {
        source = photo; self.keep = keep
    }

    /// The photo resized to the camera with OpenCV-style bilinear interpolation (§1.4), cached per size.
    public func photo(width: Int, height: Int) -> RGBImage {
        if let c = cached, c.width == width, c.height == height { return c }
        let r = source.resized(width: width, height: height, filter: .bilinear)
        cached = r
        return r
    }
}
