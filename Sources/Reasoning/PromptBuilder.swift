import Foundation

/// Turns a sample and a prompt variant into OpenAI chat `messages` (base64 data-URL images, text parts).
public enum PromptBuilder {
    /// The mandatory InternVL/Vlaser pointing prefix, verbatim (reasoning-benchmarks.md §3, Vlaser README
    /// "Important Notes"); templates insert it with `{internvl_point_prefix}`.
    public static let internVLPointPrefix = "You are InternVL. Your task is to locate several points in the given image according to the task descriptions. Your answer should be formatted as \"<point>[[x1, y1], [x2, y2],...]</point>\". The point coordinates are normalized to integers between 0 and 1000. Return the answer in the point format directly."

    /// Fills `{name}` placeholders in one pass (text from the data is never re-scanned, so braces in questions
    /// survive). `{width}`/`{height}` measure the sample's image only when a template asks for them.
    public static func render(_ template: String, sample: Sample) throws -> String {
        var out = "", rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { out += rest[open...]; rest = ""; break }
            let name = String(after[..<close])
            if let value = try value(name, sample) {
                out += value
            } else if name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) && !name.isEmpty {
                throw ReasonError("sample \(sample.id): template placeholder {\(name)} has no value")
            } else {
                out += "{" + name + "}"
            }
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    static func value(_ name: String, _ sample: Sample) throws -> String? {
        switch name {
        case "internvl_point_prefix": return internVLPointPrefix
        case "width": return String(try sample.imageSize().width)
        case "height": return String(try sample.imageSize().height)
        default: return sample.fields[name]
        }
    }

    /// A text part or an image index, in the order the model sees them.
    public enum Part: Equatable { case text(String), image(Int) }

    /// Splits rendered text at image markers; images no marker places go first (the usual "images, then
    /// question" layout of InternVL and VLMEvalKit).
    public static func parts(_ text: String, imageCount: Int) -> [Part] {
        var parts: [Part] = [], placed = Set<Int>(), rest = Substring(text)
        while let r = rest.range(of: "<|image:") {
            let tail = rest[r.upperBound...]
            guard let end = tail.range(of: "|>"), let n = Int(tail[..<end.lowerBound]), n >= 0, n < imageCount else {
                parts.append(.text(String(rest[..<r.upperBound]))); rest = tail; continue
            }
            parts.append(.text(String(rest[..<r.lowerBound])))
            parts.append(.image(n)); placed.insert(n)
            rest = tail[end.upperBound...]
        }
        parts.append(.text(String(rest)))
        let merged = parts.filter { if case .text(let t) = $0 { return !t.isEmpty } else { return true } }
        return (0..<imageCount).filter { !placed.contains($0) }.map { Part.image($0) } + merged
    }

    /// The user message content and a readable prompt (images shown as `<image>`) for predictions.jsonl.
    public static func content(template: String, sample: Sample) throws -> (content: [[String: Any]], readable: String) {
        let text = try render(template, sample: sample)
        var content: [[String: Any]] = [], readable = ""
        for part in parts(text, imageCount: sample.images.count) {
            switch part {
            case .text(let t):
                content.append(["type": "text", "text": t]); readable += t
            case .image(let i):
                let d = try sample.images[i].data()  // a PNG or JPEG, else it throws
                content.append(["type": "image_url", "image_url": ["url": "data:\(ImageSource.mimeType(d)!);base64,\(d.base64EncodedString())"]])
                readable += "<image>"
            }
        }
        return (content, readable)
    }
}
