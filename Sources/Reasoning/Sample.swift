import Foundation
import ImageIO

/// Where an image's bytes come from: a file under the data root, or bytes embedded in a TSV.
public enum ImageSource {
    case file(URL)
    case bytes(Data, name: String)

    /// The image's bytes, refused unless they are a PNG or JPEG (the formats ImageIO decodes): whatever else a
    /// data file names is never sent to an endpoint.
    public func data() throws -> Data {
        let d: Data
        switch self {
        case .file(let u):
            do { d = try Data(contentsOf: u) } catch { throw ReasonError("\(u.path): cannot read image") }
        case .bytes(let b, _): d = b
        }
        guard Self.mimeType(d) != nil else { throw ReasonError("\(name): not a PNG or JPEG image") }
        return d
    }

    /// `image/png` or `image/jpeg` from the file signature, nil for anything else.
    public static func mimeType(_ data: Data) -> String? {
        data.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : data.starts(with: [0xFF, 0xD8]) ? "image/jpeg" : nil
    }

    public var name: String {
        switch self { case .file(let u): return u.path; case .bytes(_, let n): return n }
    }

    public func decoded() throws -> DecodedImage {
        do { return try ImageDecoder.decode(data()) } catch let e as ImageDecodeError {
            throw ReasonError("\(name): \(e.description)")
        }
    }
}

/// How a mask file's pixel values become per-pixel weights — each benchmark's official rule differs.
public enum MaskRule: String {
    /// value/255 as a float, first channel (Where2Place `summarize_vqa.py`, not binarised; §4.3).
    case fraction255
    /// 1 if any channel > 127 (PointArena `load_mask`; §4.4).
    case anyChannelAbove127
    /// 1 if the first channel > 0 (RefSpatial `summarize_acc.py`; §4.8).
    case firstChannelPositive
}

/// The reference answer of one sample, in the form its metric needs.
public enum Truth {
    case letter(String)
    /// VSI-Bench: a letter for MCQ types, a number for numeric (NA) types.
    case vsi(answer: String, numeric: Bool)
    case mask(ImageSource, MaskRule)
    /// Point-Bench: mask plus the expected count for counting items (nil otherwise).
    case pointMask(ImageSource, count: Int?)
    /// PACO-LVIS: instances → polygons → flat [x1, y1, x2, y2, ...] pixel lists.
    case polygons([[[Double]]])
    /// Pixmo-Points: GT points in 0–1000 units.
    case points1000([[Double]])
    /// VLABench: the GT skill sequence and the task name (for the Seq-independent rule).
    case skills([[String: Any]], task: String)
}

/// One question of a benchmark, ready to be turned into a request and scored.
public struct Sample {
    public let id: String
    /// Values used by prompt templates (question, options, ...).
    public var fields: [String: String]
    public var images: [ImageSource]
    /// Image used for point-coordinate conversion (width/height); nil when the record carries the size.
    public var sizeImage: ImageSource?
    public var size: (width: Int, height: Int)?
    /// Value of the benchmark's sub-score key (category, question_type, split, ...).
    public var group: String
    public var truth: Truth

    public init(id: String, fields: [String: String], images: [ImageSource], group: String, truth: Truth,
                sizeImage: ImageSource? = nil, size: (width: Int, height: Int)? = nil) {
        self.id = id; self.fields = fields; self.images = images; self.group = group; self.truth = truth
        self.sizeImage = sizeImage; self.size = size
    }

    /// Width and height of the image the points refer to.
    public func imageSize() throws -> (width: Int, height: Int) {
        if let size { return size }
        guard let img = sizeImage ?? images.first else { throw ReasonError("sample \(id): no image to measure") }
        let d = try img.decoded()
        return (d.width, d.height)
    }
}
