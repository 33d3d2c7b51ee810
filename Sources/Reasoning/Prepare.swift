import Foundation

/// `reason prepare`: turns a published archive into the layout the loaders read. ERQA's TFRecord is read
/// directly (framing + the small tf.train.Example protobuf, reasoning-benchmarks.md §4.1); parquet-only sets
/// are converted by scripts/reasoning/convert_parquet.py in its own venv.
public enum Prepare {
    public static func run(bench: String, from: URL, dataDir: URL) throws -> String {
        switch bench {
        case "erqa": return try erqa(from: from, out: dataDir.appendingPathComponent("erqa"))
        case "vsi_bench", "mmsi", "egoplan2", "where2place", "pointarena", "refspatial", "vlabench", "paco_lvis", "pixmo_points":
            throw ReasonError("prepare: \(bench) is read as published or converted by scripts/reasoning/convert_parquet.py; see docs/reasoning.md")
        default:
            throw ReasonError("prepare: unknown benchmark \"\(bench)\"")
        }
    }

    /// Splits a TFRecord file into payloads (CRCs are not checked: the payload parse validates structure).
    static func tfRecords(_ data: Data) throws -> [Data] {
        var out: [Data] = [], at = 0
        let bytes = [UInt8](data)
        while at < bytes.count {
            guard at + 12 <= bytes.count else { throw ReasonError("TFRecord: truncated header at byte \(at)") }
            let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
            let start = at + 12
            guard length <= UInt64(bytes.count - start), start + Int(length) + 4 <= bytes.count else {
                throw ReasonError("TFRecord: record at byte \(at) runs past the end of the file")
            }
            out.append(Data(bytes[start..<start + Int(length)]))
            at = start + Int(length) + 4
        }
        return out
    }

    /// Minimal protobuf reader: (field number, wire type, bytes or varint) triples.
    struct Proto {
        let bytes: [UInt8]
        var at = 0

        init(_ d: Data) { bytes = [UInt8](d) }

        mutating func varint() throws -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard at < bytes.count, shift < 64 else { throw ReasonError("protobuf: bad varint") }
                let b = bytes[at]; at += 1
                v |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return v }
                shift += 7
            }
        }

        mutating func fields() throws -> [(Int, UInt64, Data)] {
            var out: [(Int, UInt64, Data)] = []
            while at < bytes.count {
                let key = try varint()
                let field = Int(key >> 3)
                switch key & 7 {
                case 0: out.append((field, try varint(), Data()))
                case 2:
                    let n = try varint()
                    guard n <= UInt64(bytes.count - at) else { throw ReasonError("protobuf: length past the end") }
                    out.append((field, 0, Data(bytes[at..<at + Int(n)]))); at += Int(n)
                case 1: at += 8
                case 5: at += 4
                default: throw ReasonError("protobuf: unsupported wire type \(key & 7)")
                }
            }
            return out
        }
    }

    enum Feature { case bytes([Data]), ints([Int64]) }

    /// tf.train.Example → feature map (bytes_list = 1, int64_list = 3 packed or not).
    static func example(_ payload: Data) throws -> [String: Feature] {
        var p = Proto(payload)
        var features: [String: Feature] = [:]
        for (f, _, featuresMsg) in try p.fields() where f == 1 {
            var fm = Proto(featuresMsg)
            for (e, _, entry) in try fm.fields() where e == 1 {
                var en = Proto(entry)
                var name = "", feature: Feature = .bytes([])
                for (k, _, v) in try en.fields() {
                    if k == 1 { name = String(decoding: v, as: UTF8.self) }
                    if k == 2 {
                        var fv = Proto(v)
                        for (kind, _, list) in try fv.fields() {
                            var lp = Proto(list)
                            let items = try lp.fields()
                            if kind == 1 { feature = .bytes(items.filter { $0.0 == 1 }.map { $0.2 }) }
                            if kind == 3 {
                                var ints: [Int64] = []
                                for (_, v, packed) in items {
                                    if packed.isEmpty { ints.append(Int64(bitPattern: v)); continue }
                                    var pp = Proto(packed)
                                    while pp.at < pp.bytes.count { ints.append(Int64(bitPattern: try pp.varint())) }
                                }
                                feature = .ints(ints)
                            }
                        }
                    }
                }
                features[name] = feature
            }
        }
        return features
    }

    static func erqa(from: URL, out: URL) throws -> String {
        guard let data = try? Data(contentsOf: from) else { throw ReasonError("prepare: cannot read \(from.path)") }
        let records = try tfRecords(data)
        let images = out.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        var lines = Data(), imageCount = 0
        for (i, payload) in records.enumerated() {
            let ex = try example(payload)
            func bytes(_ k: String) -> [Data] { if case .bytes(let b)? = ex[k] { return b } else { return [] } }
            guard let q = bytes("question").first, let a = bytes("answer").first else {
                throw ReasonError("prepare: \(from.path) record \(i): no question/answer feature")
            }
            var files: [String] = []
            for (k, img) in bytes("image/encoded").enumerated() {
                let ext = img.starts(with: [0x89, 0x50]) ? "png" : "jpg"
                let name = String(format: "images/%04d_%d.%@", i, k, ext)
                try img.write(to: out.appendingPathComponent(name)); files.append(name); imageCount += 1
            }
            var indices: [Int64] = []
            if case .ints(let v)? = ex["visual_indices"] { indices = v }
            let row: [String: Any] = ["id": String(i), "question": String(decoding: q, as: UTF8.self),
                                      "answer": String(decoding: a, as: UTF8.self),
                                      "question_type": bytes("question_type").map { String(decoding: $0, as: UTF8.self) },
                                      "visual_indices": indices, "image_files": files]
            lines.append(JSONLines.line(row))
        }
        try writeAtomically(lines, to: out.appendingPathComponent("erqa.jsonl"))
        return "prepare erqa: read \(records.count) records from \(from.path); wrote \(out.path)/erqa.jsonl and \(imageCount) images under \(images.path)"
    }
}
