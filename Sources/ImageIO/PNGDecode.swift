import CPNG
import Foundation

/// PNG decoding through libpng's simplified API (no setjmp). Grayscale files stay 1 channel so masks need no
/// conversion; everything else becomes RGB; alpha is composited away by libpng's format conversion.
public enum PNGDecoder {
    /// Decodes PNG bytes. Grey stays 1 channel and colour becomes RGB, alpha composited away — unless
    /// `keepAlpha` is set and the file has alpha, which gives 4 channels (RGBA).
    public static func decode(_ data: Data, keepAlpha: Bool = false) throws -> DecodedImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let ok = data.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0
        }
        guard ok else { throw ImageDecodeError("PNG: \(message(of: image))") }
        let gray = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) == 0
        let alpha = keepAlpha && image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let channels: Int
        if alpha {
            image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA); channels = 4
        } else {
            image.format = gray ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB); channels = gray ? 1 : 3
        }
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let finished = data.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, nil, out.baseAddress, Int32(width * channels), nil) != 0
            }
        }
        guard finished else {
            let text = message(of: image)
            png_image_free(&image)
            throw ImageDecodeError("PNG: \(text)")
        }
        return DecodedImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    private static func message(of image: png_image) -> String {
        var copy = image.message
        return withUnsafeBytes(of: &copy) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
