import CJPEG
import Foundation

/// JPEG decoding through libjpeg-turbo. The setjmp-based error handling lives in the CJPEG shim so a corrupt
/// file becomes a Swift error instead of a longjmp through Swift frames.
public enum JPEGDecoder {
    public static func decode(_ data: Data) throws -> DecodedImage {
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        var pixels: UnsafeMutablePointer<UInt8>? = nil
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return -1 }
            return vlaser_jpeg_decode(base, UInt(raw.count), &width, &height, &channels, &pixels,
                                      &message, Int32(message.count))
        }
        if status == -1 { throw ImageDecodeError("JPEG: empty file") }
        guard status == 0, let pixels else {
            throw ImageDecodeError("JPEG: \(String(cString: message))")
        }
        defer { free(pixels) }
        let count = Int(width) * Int(height) * Int(channels)
        return DecodedImage(width: Int(width), height: Int(height), channels: Int(channels),
                            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}
