import Foundation
import ResultsSchema

/// `--model chance` (issue 5 §7): a uniformly random answer of the right type, written in the format the
/// variant's parser reads, so every benchmark gets a no-model floor through the same scoring path.
public enum ChanceModel {
    /// SplitMix64 seeded from the sample, so a chance run is reproducible and independent of sharding.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    static let vlaBenchSkills = ["pick", "place", "press", "open_door", "insert", "pull", "pour", "push", "lift"]

    public static func response(benchmark: String, sample: Sample, parser: String, seed: UInt64) throws -> String {
        let digest = SHA256.digest(Data("\(benchmark)/\(sample.id)".utf8))
        var g = Generator(state: digest.prefix(8).reduce(seed) { $0 << 8 | UInt64($1) })
        switch parser {
        case "mcq_egoplan", "mcq_mmsi":
            return String("ABCD".randomElement(using: &g) ?? "A")
        case "mcq_priority":
            let letters = ChoiceParsers.optionLetters(in: sample.fields["question"] ?? "")
            return String(letters[g.below(letters.count)])
        case "vsi_answer":
            if sample.fields["template_kind"] == "numeric" { return String(format: "%.1f", 10 * g.unit()) }
            let options = (sample.fields["options"] ?? "").split(separator: "\n").count
            return String(Array("ABCDEFGH")[g.below(min(max(options, 1), 8))])
        case "vlaser_points", "loose_brackets":
            return "<point>[[\(g.below(1001)), \(g.below(1001))]]</point>"
        case "robopoint_tuples":
            return String(format: "[(%.3f, %.3f)]", g.unit(), g.unit())
        case "json_pixel_points":
            let size = try sample.imageSize()
            return "[{\"point\": [\(g.below(size.width)), \(g.below(size.height))]}]"
        case "vlabench_json":
            let steps = (0..<(1 + g.below(4))).map { _ in
                "{\"name\": \"\(vlaBenchSkills[g.below(vlaBenchSkills.count)])\", \"params\": {\"target_entity_name\": \(g.below(10)), \"target_container_name\": \(g.below(10))}}"
            }
            return "```json\n[\(steps.joined(separator: ", "))]\n```"
        default:
            throw ReasonError("chance model: no random answer for parser \(parser)")
        }
    }
}

extension ChanceModel.Generator: RandomNumberGenerator {}
