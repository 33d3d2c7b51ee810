import Foundation
import Registry

/// A scored reply: what was parsed (JSON-ready), whether nothing usable was found, and the metric's
/// per-sample terms (what aggregation and shard merging need).
public struct ScoredAnswer {
    public var parsed: Any
    public var unparsed: Bool
    public var terms: [String: Double]
}

/// Reads a reply with the prompt variant's parser and scores it with the benchmark's metric.
public enum Scoring {
    /// Radius of a Pixmo-Points hit in 0–1000 units (reasoning-benchmarks.md §4.6).
    public static let pixmoRadius = 25.0
    /// VSI-Bench MRA thresholds 0.50, 0.55, …, 0.95 built like numpy.linspace(0.5, 0.95, 10) (§4.7).
    public static let mraThresholds: [Double] = {
        let start = 0.5, stop = 0.95, count = 10
        let step: Double = (stop - start) / Double(count - 1)
        var t: [Double] = []
        for i in 0..<(count - 1) { t.append(Double(i) * step + start) }
        t.append(stop)
        return t
    }()

    /// Every metric by the benchmark file's `metric` name: (reply without thinking, sample, parser) → score.
    static let metrics = Registry<(String, Sample, String) throws -> ScoredAnswer>("metric", [
        ("accuracy", accuracy),
        ("vsi", vsi),
        ("mask_fraction", { try scorePoints($0, sample: $1, parser: $2, metric: "mask_fraction") }),
        ("mask_fraction_split_mean", { try scorePoints($0, sample: $1, parser: $2, metric: "mask_fraction_split_mean") }),
        ("point_success", { try scorePoints($0, sample: $1, parser: $2, metric: "point_success") }),
        ("micro_precision", { try scorePoints($0, sample: $1, parser: $2, metric: "micro_precision") }),
        ("precision_at_radius", { try scorePoints($0, sample: $1, parser: $2, metric: "precision_at_radius") }),
        ("vlabench", vlabench),
    ])
    /// Answer parsers that read a choice letter, by prompt variant `parser` name.
    static let letterParsers = Registry<(String, Sample) -> String?>("letter parser", [
        ("mcq_egoplan", { t, _ in ChoiceParsers.egoPlan(t) }),
        ("mcq_mmsi", { t, _ in ChoiceParsers.mmsi(t) }),
        ("mcq_priority", { t, s in ChoiceParsers.priorityLetter(t, letters: ChoiceParsers.optionLetters(in: s.fields["question"] ?? "")) }),
    ])
    /// Answer parsers that read points, by prompt variant `parser` name: (reply, image width, height).
    static let pointParsers = Registry<(String, Int, Int) -> ParsedPoints>("point parser", [
        ("vlaser_points", { t, _, _ in PointParsers.vlaser(t) }),
        ("loose_brackets", { t, _, _ in PointParsers.looseBrackets(t) }),
        ("robopoint_tuples", { t, w, h in PointParsers.robopointTuples(t, width: w, height: h) }),
        ("json_pixel_points", { t, _, _ in PointParsers.jsonPixelPoints(t) }),
    ])
    /// Parsers that need no registry entry: the metric reads the reply itself (VSI-Bench's first token, VLABench).
    static let builtInParsers: Set<String> = ["vsi_answer", "vlabench_json"]

    public static func score(_ response: String, sample: Sample, parser: String, metric: String) throws -> ScoredAnswer {
        let scorer: (String, Sample, String) throws -> ScoredAnswer
        do { scorer = try metrics.lookup(metric) } catch { throw ReasonError("\(error)") }
        return try scorer(ChoiceParsers.stripThinking(response), sample, parser)
    }

    static func accuracy(_ text: String, _ sample: Sample, _ parser: String) throws -> ScoredAnswer {
        let letter = try parseLetter(text, parser: parser, sample: sample)
        guard case .letter(let gt) = sample.truth else { throw truthMismatch(sample, "accuracy") }
        return ScoredAnswer(parsed: letter ?? NSNull(), unparsed: letter == nil,
                            terms: ["correct": letter?.uppercased() == gt.uppercased() ? 1 : 0])
    }

    static func vsi(_ text: String, _ sample: Sample, _ parser: String) throws -> ScoredAnswer {
        guard case .vsi(let gt, let numeric) = sample.truth else { throw truthMismatch(sample, "vsi") }
        let token = ChoiceParsers.firstToken(text)
        if numeric {
            let value = ChoiceParsers.vsiNumber(token)
            return ScoredAnswer(parsed: value.map { $0.isFinite ? $0 as Any : token as Any } ?? NSNull(), unparsed: value == nil,
                                terms: ["value": value.map { mra(prediction: $0, truth: Double(gt) ?? .nan) } ?? 0])
        }
        return ScoredAnswer(parsed: token ?? NSNull(), unparsed: token == nil,
                            terms: ["value": token?.lowercased() == gt.lowercased() ? 1 : 0])
    }

    static func vlabench(_ text: String, _ sample: Sample, _ parser: String) throws -> ScoredAnswer {
        guard case .skills(let gtRaw, let task) = sample.truth else { throw truthMismatch(sample, "vlabench") }
        let gt = gtRaw.compactMap(VLABenchScore.skill)
        let pred = VLABenchScore.parse(text)
        let parsed: Any = pred.map { $0.map { s -> [String: Any] in
            ["name": s.name, "entity": s.entity ?? NSNull(), "container": s.container ?? NSNull()] } } ?? NSNull()
        return ScoredAnswer(parsed: parsed, unparsed: pred == nil, terms: VLABenchScore.terms(gt: gt, pred: pred, task: task))
    }

    static func truthMismatch(_ s: Sample, _ metric: String) -> ReasonError {
        ReasonError("sample \(s.id): its reference answer does not fit metric \(metric)")
    }

    static func parseLetter(_ text: String, parser: String, sample: Sample) throws -> String? {
        guard letterParsers.contains(parser) else { throw ReasonError("parser \(parser) does not produce a letter") }
        return try letterParsers.lookup(parser)(text, sample)
    }

    public static func parsePoints(_ text: String, parser: String, width: Int, height: Int) throws -> ParsedPoints {
        guard pointParsers.contains(parser) else { throw ReasonError("parser \(parser) does not produce points") }
        return try pointParsers.lookup(parser)(text, width, height)
    }

    /// VSI-Bench mean relative accuracy of one numeric answer (§4.7; note "≤").
    public static func mra(prediction: Double, truth: Double) -> Double {
        guard prediction.isFinite, truth.isFinite, truth != 0 else { return 0 }
        let rel = abs(prediction - truth) / truth
        return Double(mraThresholds.filter { rel <= 1 - $0 }.count) / Double(mraThresholds.count)
    }

    static func scorePoints(_ text: String, sample: Sample, parser: String, metric: String) throws -> ScoredAnswer {
        if case .points1000(let gt) = sample.truth {
            // Pixmo (§4.6): predictions stay on the 0–1000 grid; a hit is within the radius of any GT point.
            let pred = try parsePoints(text, parser: parser, width: 1000, height: 1000)
            let hits = pred.hits(within: pixmoRadius, of: gt)
            return ScoredAnswer(parsed: pred.json, unparsed: pred.elements.isEmpty,
                                terms: ["hits": Double(hits), "points": Double(max(pred.count, 1))])
        }
        let size = try sample.imageSize()
        let pred = try parsePoints(text, parser: parser, width: size.width, height: size.height)
        let px = PointParsers.toPixels(pred, width: size.width, height: size.height)
        let parsed = px.json
        switch sample.truth {
        case .mask(let source, let rule):
            let mask = Mask(try source.decoded(), rule: rule)
            let value = px.isEmpty ? 0 : px.weight(in: mask) / Double(px.count)
            return ScoredAnswer(parsed: parsed, unparsed: px.isEmpty, terms: ["value": value])
        case .pointMask(let source, let count):
            // Point-Bench (§4.4): counting needs the exact count with every point inside; others use the first point.
            let mask = Mask(try source.decoded(), rule: .anyChannelAbove127)
            let ok: Bool
            if let count { ok = px.count == count && px.allInside(mask) } else { ok = px.first.map { mask.value(x: $0.x, y: $0.y) > 0 } ?? false }
            return ScoredAnswer(parsed: parsed, unparsed: px.isEmpty, terms: ["correct": ok ? 1 : 0])
        case .polygons(let instances):
            // PACO (§4.5): union of every polygon of every instance; micro precision over points.
            let mask = Mask.polygons(instances.flatMap { $0 }, width: size.width, height: size.height)
            return ScoredAnswer(parsed: parsed, unparsed: px.isEmpty,
                                terms: ["hits": Double(px.hits(in: mask)), "points": Double(max(px.count, 1))])
        default:
            throw truthMismatch(sample, metric)
        }
    }
}
