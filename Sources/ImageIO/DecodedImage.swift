import Foundation

/// An 8-bit image as decoded from a PNG or JPEG file: `channels` interleaved samples per pixel, rows top to
/// bottom. Kept separate from the renderer's RGB type on purpose (the lead unifies them later).
public struct DecodedImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the image size")
        self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
    }

    /// Sample `c` of pixel (x, y).
    public subscript(x: Int, y: Int, c: Int) -> UInt8 { pixels[(y * width + x) * channels + c] }

    /// As 8-bit RGB: grey replicated, alpha dropped.
    public var rgb: RGBImage {
        if channels == 3 { return RGBImage(width: width, height: height, pixels: pixels) }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            for c in 0..<3 { out[3 * i + c] = pixels[i * channels + (channels >= 3 ? c : 0)] }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}

public struct ImageDecodeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum ImageDecoder {
    /// Decodes PNG or JPEG bytes, chosen by the file signature (not the extension, which datasets get wrong).
    public static func decode(_ data: Data) throws -> DecodedImage {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNGDecoder.decode(data) }
        if data.starts(with: [0xFF, 0xD8]) { return try JPEGDecoder.decode(data) }
        throw ImageDecodeError("not a PNG or JPEG file (unknown signature)")
    }

    /// Decodes the image file at `url`; errors name the file.
    public static func decode(contentsOf url: URL) throws -> DecodedImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ImageDecodeError("\(url.path): cannot read file") }
        do { return try decode(data) } catch let e as ImageDecodeError {
            throw ImageDecodeError("\(url.path): \(e.description)")
        }
    }
}
