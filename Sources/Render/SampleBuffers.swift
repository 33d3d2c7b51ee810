import Foundation

/// The supersampled colour / 1/z / id buffers, kept between frames. Only the region touched by the last frame
/// is cleared again, so a small scene on a large image costs little.
struct SampleBuffers {
    private(set) var width = 0, height = 0
    private(set) var invDepth = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private(set) var ids = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    private(set) var colors = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    /// Sample rectangle (inclusive) written since the last clear; empty when minX > maxX.
    private(set) var dirty = (minX: Int.max, minY: Int.max, maxX: Int.min, maxY: Int.min)
    private var clearInvDepth: Float = 0, clearColor: UInt32 = 0

    /// Makes the buffers `width × height` and fully cleared to the given values.
    mutating func prepare(width w: Int, height h: Int, clearInvDepth z: Float, clearColor c: UInt32) {
        if w != width || h != height {
            invDepth.deallocate(); ids.deallocate(); colors.deallocate()
            invDepth = .allocate(capacity: w * h); ids = .allocate(capacity: w * h); colors = .allocate(capacity: w * h)
            width = w; height = h
            fill(0, 0, w - 1, h - 1, z, c)
        } else if z != clearInvDepth || c != clearColor {
            fill(0, 0, w - 1, h - 1, z, c)
        } else if dirty.minX <= dirty.maxX {
            fill(dirty.minX, dirty.minY, dirty.maxX, dirty.maxY, z, c)
        }
        clearInvDepth = z; clearColor = c
        dirty = (Int.max, Int.max, Int.min, Int.min)
    }

    private func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ z: Float, _ c: UInt32) {
        let n = x1 - x0 + 1
        for y in y0...y1 {
            let o = y * width + x0
            (invDepth + o).update(repeating: z, count: n)
            (ids + o).update(repeating: 0, count: n)
            (colors + o).update(repeating: c, count: n)
        }
    }

    @inline(__always) mutating func markDirty(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        dirty = (min(dirty.minX, x0), min(dirty.minY, y0), max(dirty.maxX, x1), max(dirty.maxY, y1))
    }
}
