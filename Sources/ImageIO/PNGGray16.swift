import CPNG
import Foundation

extension PNGDecoder {
    /// Decodes a 16-bit greyscale PNG (SimplerEnv's per-pixel actor-id images) to its raw values, row by row.
    /// libpng's simplified API hands 16-bit files over unchanged as "linear" samples; 8-bit files are refused,
    /// since their values would be gamma-converted.
    public static func decodeGray16(_ data: Data) throws -> (width: Int, height: Int, values: [UInt16]) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let ok = data.withUnsafeBytes { raw in png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 }
        guard ok else { throw ImageDecodeError("PNG: cannot read the header") }
        guard image.format == UInt32(PNG_FORMAT_LINEAR_Y) else {
            png_image_free(&image)
            throw ImageDecodeError("PNG: expected 16-bit greyscale, got format \(image.format)")
        }
        let width = Int(image.width), height = Int(image.height)
        var values = [UInt16](repeating: 0, count: width * height)
        let finished = values.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, Int32(width), nil) != 0
        }
        guard finished else { png_image_free(&image); throw ImageDecodeError("PNG: 16-bit data truncated") }
        return (width, height, values)
    }
}
