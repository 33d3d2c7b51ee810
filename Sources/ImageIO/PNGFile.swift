import CPNG
import Foundation

// libpng's *simplified* API (png_image): errors come back in `png_image.message`, so no setjmp is needed
// (engineering-notes.md §3.3). Format codes from png.h: FLAG_ALPHA 0x01, FLAG_COLOR 0x02, FLAG_LINEAR 0x04.
private let pngFormatRGB: UInt32 = 0x02
private let pngFormatLinearGray: UInt32 = 0x04

private func pngMessage(_ image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}

private func newPNGImage() -> png_image {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    return image
}

/// Writes an 8-bit RGB PNG. Output bytes depend only on the pixels (libpng adds no timestamp).
public func writePNG(_ image: RGBImage, to url: URL) throws {
    try writePNG(bytes: image.pixels, width: image.width, height: image.height, format: pngFormatRGB, to: url)
}

/// Writes a 16-bit greyscale PNG (e.g. depth in millimetres); the values are stored unchanged (gamma 1.0).
public func writePNG16(gray values: [UInt16], width: Int, height: Int, to url: URL) throws {
    precondition(values.count == width * height)
    let bytes = values.withUnsafeBytes { Array($0) }
    try writePNG(bytes: bytes, width: width, height: height, format: pngFormatLinearGray, to: url)
}

private func writePNG(bytes: [UInt8], width: Int, height: Int, format: UInt32, to url: URL) throws {
    var image = newPNGImage()
    image.width = UInt32(width); image.height = UInt32(height); image.format = format
    let ok = bytes.withUnsafeBytes { buf in
        png_image_write_to_file(&image, url.path, 0, buf.baseAddress, 0, nil)
    }
    if ok == 0 { throw ImageIOError.write(path: url.path, reason: pngMessage(&image)) }
}

/// Reads any PNG (grey, palette, RGB, RGBA, 16-bit) as 8-bit RGB, plus alpha when the file has an alpha channel.
public func readPNG(_ url: URL) throws -> RGBAlphaImage {
    guard let data = FileManager.default.contents(atPath: url.path) else {
        throw ImageIOError.read(path: url.path, reason: "no such file")
    }
    let d: DecodedImage
    do { d = try PNGDecoder.decode(data, keepAlpha: true) } catch {
        throw ImageIOError.read(path: url.path, reason: "\(error)")
    }
    let alpha = d.channels == 4 ? (0..<(d.width * d.height)).map { d.pixels[4 * $0 + 3] } : nil
    return RGBAlphaImage(rgb: d.rgb, alpha: alpha)
}
