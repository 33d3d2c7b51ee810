// Fuzz target for every reasoning answer parser (libFuzzer; docs/fuzzing.md): a model's reply is untrusted text.
// Each input is scored as the reply to one sample of every metric, through each parser that metric uses.
import Foundation
import FuzzDriver
import Reasoning

let options = "Which is next? A. open the drawer B. pick up the cup C. wipe the table D. stop"
let samples: [(Sample, parsers: [String], metric: String)] = [
    (Sample(id: "mcq", fields: ["question": options], images: [], group: "", truth: .letter("B")),
     ["mcq_egoplan", "mcq_mmsi", "mcq_priority"], "accuracy"),
    (Sample(id: "vsi-n", fields: [:], images: [], group: "", truth: .vsi(answer: "2.5", numeric: true)), [""], "vsi"),
    (Sample(id: "vsi-c", fields: [:], images: [], group: "", truth: .vsi(answer: "C", numeric: false)), [""], "vsi"),
    (Sample(id: "pixmo", fields: [:], images: [], group: "", truth: .points1000([[500, 500], [10, 990]])),
     ["vlaser_points", "loose_brackets", "robopoint_tuples", "json_pixel_points"], "precision_at_radius"),
    (Sample(id: "paco", fields: [:], images: [], group: "", truth: .polygons([[[1, 1, 60, 2, 30, 40]], [[0, 0, 5, 0, 5, 5, 0, 5]]]),
            size: (64, 48)),
     ["vlaser_points", "loose_brackets", "robopoint_tuples", "json_pixel_points"], "micro_precision"),
    (Sample(id: "vla", fields: [:], images: [], group: "", truth: .skills([["name": "pick", "params": ["target_entity_name": "mug"]],
                                                                            ["name": "place", "params": ["target_entity_name": "mug", "target_container_name": "shelf"]]],
                                                                           task: "select_mug")), [""], "vlabench"),
]

/// Scoring must return a result or throw a `ReasonError` for any reply; a crash or a non-finite term is a bug.
func exercise(_ bytes: [UInt8]) {
    let reply = String(decoding: bytes, as: UTF8.self)
    for (sample, parsers, metric) in samples {
        for parser in parsers {
            guard let scored = try? Scoring.score(reply, sample: sample, parser: parser, metric: metric) else { continue }
            precondition(scored.terms.values.allSatisfy(\.isFinite), "\(metric)/\(parser): non-finite term \(scored.terms)")
            precondition(JSONSerialization.isValidJSONObject(["parsed": scored.parsed]), "\(metric)/\(parser): parsed value is not JSON")
        }
    }
}

FuzzDriver.run("answer-fuzz", exercise)
