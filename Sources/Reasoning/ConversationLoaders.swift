import Foundation

/// Vlaser's self-built pointing sets (PACO-LVIS §4.5, Pixmo-Points §4.6): InternVL conversation records whose
/// human turns name the target as `<ref>EXPR</ref>`.
enum PointingConversations {
    static func references(in text: String) -> [String] {
        captures(#"<ref>(.*?)</ref>"#, in: text, options: [.dotMatchesLineSeparators]).map { $0[1] }
    }

    static func turns(_ r: Record) throws -> [(from: String, value: String)] {
        try r.array("conversations").enumerated().map { j, t in
            guard let t = t as? [String: Any], let from = t["from"] as? String, let value = t["value"] as? String else {
                throw ReasonError("\(r.origin): conversations[\(j)] needs \"from\" and \"value\" strings")
            }
            return (from, value)
        }
    }

    /// One sample per human turn with a `<ref>`; GT = union of every polygon of `segmentation` (pixels).
    static func paco(_ root: DataRoot) throws -> [Sample] {
        let file = "paco_lvis_v1_pointing_test_single_conv.jsonl"
        var samples: [Sample] = []
        for (i, raw) in try root.jsonLines(file).enumerated() {
            let r = Record(raw, origin: "\(file):\(i + 1)")
            let image = try root.existing(r.string("image"), in: r.origin)
            let size = (try r.int("width"), try r.int("height"))
            let instances: [[[Double]]] = try r.array("segmentation").map { inst in
                guard let polys = inst as? [[Any]] else { throw ReasonError("\(r.origin): segmentation must be [[[x, y, ...]]]") }
                return polys.map { $0.compactMap { ($0 as? NSNumber)?.doubleValue } }
            }
            for (j, turn) in try turns(r).enumerated() where turn.from == "human" {
                guard let expr = references(in: turn.value).first else { continue }
                samples.append(Sample(id: "\(i):\(j)", fields: ["expr": expr], images: [.file(image)], group: "",
                                      truth: .polygons(instances), size: size))
            }
        }
        return samples
    }

    /// GT points (0–1000) from the gpt turn after each human `<ref>` turn, keyed by (image, EXPR): later duplicates
    /// overwrite earlier ones and items without GT points are skipped, as Vlaser's script does.
    static func pixmo(_ root: DataRoot) throws -> [Sample] {
        let file = "data_0.jsonl"
        var order: [String] = []
        var byKey: [String: Sample] = [:]
        for (i, raw) in try root.jsonLines(file).enumerated() {
            let r = Record(raw, origin: "\(file):\(i + 1)")
            let imagePath = try r.string("image")
            let image = try root.existing(imagePath, in: r.origin)
            let t = try turns(r)
            for (j, turn) in t.enumerated() where turn.from == "human" {
                guard let expr = references(in: turn.value).first, j + 1 < t.count, t[j + 1].from == "gpt" else { continue }
                let gt = captures(#"\[\s*(\d+)\s*,\s*(\d+)\s*\]"#, in: t[j + 1].value).compactMap { p in
                    Double(p[1]).flatMap { x in Double(p[2]).map { [x, $0] } }
                }
                let key = imagePath + "|" + expr
                guard !gt.isEmpty else { continue }
                if byKey[key] == nil { order.append(key) }
                byKey[key] = Sample(id: key, fields: ["expr": expr], images: [.file(image)], group: "", truth: .points1000(gt),
                                    size: (try r.int("width"), try r.int("height")))
            }
        }
        return order.map { byKey[$0]! }
    }
}

/// MMSI-Bench (§4.9): `mmsi.jsonl` (the parquet rows with images written to files) or VLMEvalKit's
/// `MMSI_bench.tsv`, whose `image` cell is one base64 image or a list of them.
enum MMSILoader {
    static func load(_ root: DataRoot) throws -> [Sample] {
        if FileManager.default.fileExists(atPath: root.url.appendingPathComponent("mmsi.jsonl").path) {
            return try root.jsonLines("mmsi.jsonl").enumerated().map { i, raw in
                let r = Record(raw, origin: "mmsi.jsonl:\(i + 1)")
                let images = try r.array("images").map { ImageSource.file(try root.existing("\($0)", in: r.origin)) }
                return Sample(id: try r.string("id"), fields: ["question": try r.string("question")], images: images,
                              group: r.optionalString("question_type") ?? "", truth: .letter(try r.string("answer")))
            }
        }
        return try tsv(root)
    }

    static func tsv(_ root: DataRoot) throws -> [Sample] {
        let url = try root.existing("MMSI_bench.tsv", in: root.url.lastPathComponent)
        let lines = try String(decoding: Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw ReasonError("\(url.path): empty file")
        }
        func column(_ names: [String]) -> Int? { names.lazy.compactMap { header.firstIndex(of: $0) }.first }
        guard let idx = column(["index"]), let img = column(["image"]), let q = column(["question"]), let a = column(["answer"]) else {
            throw ReasonError("\(url.path): header must have index, image, question and answer columns")
        }
        let cat = column(["category", "question_type"])
        return try lines.dropFirst().enumerated().map { n, line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == header.count else { throw ReasonError("\(url.path):\(n + 2): \(cells.count) cells, header has \(header.count)") }
            var encoded = [cells[img]]
            if cells[img].hasPrefix("[") {
                let json = cells[img].replacingOccurrences(of: "'", with: "\"")
                guard let list = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String] else {
                    throw ReasonError("\(url.path):\(n + 2): image cell is not a list of base64 strings")
                }
                encoded = list
            }
            let images = try encoded.enumerated().map { k, b64 -> ImageSource in
                guard let d = Data(base64Encoded: b64, options: .ignoreUnknownCharacters) else {
                    throw ReasonError("\(url.path):\(n + 2): image \(k) is not valid base64")
                }
                return .bytes(d, name: "\(url.lastPathComponent):\(n + 2)#\(k)")
            }
            return Sample(id: cells[idx], fields: ["question": cells[q]], images: images,
                          group: cat.map { cells[$0] } ?? "", truth: .letter(cells[a]))
        }
    }
}
