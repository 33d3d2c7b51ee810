import Foundation
import ImageIO

/// Which segmentation ids keep their sim colour under an overlay, as a flat lookup table.
struct KeepMask {
    private let table: [Bool]
    init(ids: Set<UInt32>, scene: RenderScene) {
        let maxID = Int(scene.instances.map(\.segmentationID).max() ?? 0)
        var t = [Bool](repeating: false, count: maxID + 1)
        for id in ids where Int(id) <= maxID { t[Int(id)] = true }
        t[0] = false
        table = t
    }
    @inline(__always) func contains(_ id: UInt32) -> Bool { Int(id) < table.count && table[Int(id)] }
}

extension Rasterizer {
    /// Box-filters the samples into pixels. Colour: mean of the samples, each taken from the sim or (under an
    /// overlay, when its id is not kept) from the photo. Depth and id: the pixel's front-most sample.
    func resolve(camera: PinholeCamera, outputs: RenderOutputs, overlay: OverlayCompositor?, keep: KeepMask?,
                 background: Float3) -> RenderOutput {
        let w = camera.width, h = camera.height, n = samplesPerAxis, W = buffers.width
        let photo = overlay?.photo(width: w, height: h)
        let bg = pack(background)
        var rgb = outputs.contains(.rgb) ? [UInt8](repeating: 0, count: w * h * 3) : []
        var depth = outputs.contains(.depth) ? [Float](repeating: 0, count: w * h) : []
        var seg = outputs.contains(.segmentation) ? [UInt32](repeating: 0, count: w * h) : []
        // Pixels wholly outside the touched sample rectangle are background: photo or clear colour.
        let d = buffers.dirty
        let px0 = d.minX <= d.maxX ? d.minX / n : w, px1 = d.minX <= d.maxX ? d.maxX / n : -1
        let py0 = d.minX <= d.maxX ? d.minY / n : h, py1 = d.minX <= d.maxX ? d.maxY / n : -1
        let invZ = buffers.invDepth, ids = buffers.ids, colors = buffers.colors
        let clearIZ = Float(1 / camera.far)
        let count = UInt32(n * n), half = count / 2
        for y in 0..<h {
            for x in 0..<w {
                let p = y * w + x
                guard y >= py0 && y <= py1 && x >= px0 && x <= px1 else {
                    if !rgb.isEmpty { writeBackground(&rgb, p, photo, bg) }
                    continue
                }
                var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                var best = clearIZ, bestID: UInt32 = 0
                for sy in 0..<n {
                    let row = (y * n + sy) * W + x * n
                    for sx in 0..<n {
                        let i = row + sx
                        let id = ids[i]
                        if invZ[i] > best { best = invZ[i]; bestID = id }
                        if rgb.isEmpty { continue }
                        if let photo, let keep, !keep.contains(id) {
                            r += UInt32(photo.pixels[3 * p]); g += UInt32(photo.pixels[3 * p + 1]); b += UInt32(photo.pixels[3 * p + 2])
                        } else {
                            let c = colors[i]
                            r += c & 0xFF; g += (c >> 8) & 0xFF; b += c >> 16
                        }
                    }
                }
                if !rgb.isEmpty {
                    rgb[3 * p] = UInt8((r + half) / count); rgb[3 * p + 1] = UInt8((g + half) / count)
                    rgb[3 * p + 2] = UInt8((b + half) / count)
                }
                if !depth.isEmpty && best > clearIZ { depth[p] = 1 / best }
                if !seg.isEmpty { seg[p] = bestID }
            }
        }
        return RenderOutput(rgb: rgb.isEmpty ? nil : RGBImage(width: w, height: h, pixels: rgb),
                            depth: depth.isEmpty ? nil : DepthImage(width: w, height: h, values: depth),
                            segmentation: seg.isEmpty ? nil : SegmentationImage(width: w, height: h, ids: seg))
    }

    @inline(__always) private func writeBackground(_ rgb: inout [UInt8], _ p: Int, _ photo: RGBImage?, _ bg: UInt32) {
        if let photo {
            rgb[3 * p] = photo.pixels[3 * p]; rgb[3 * p + 1] = photo.pixels[3 * p + 1]; rgb[3 * p + 2] = photo.pixels[3 * p + 2]
        } else {
            rgb[3 * p] = UInt8(bg & 0xFF); rgb[3 * p + 1] = UInt8((bg >> 8) & 0xFF); rgb[3 * p + 2] = UInt8(bg >> 16)
        }
    }
}
