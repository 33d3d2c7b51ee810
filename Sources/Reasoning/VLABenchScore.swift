import Foundation

/// VLABench VLM-track per-example scores (reasoning-benchmarks.md §4.10, `evaluation/utils.py` restated).
public enum VLABenchScore {
    public struct Skill: Equatable {
        public let name: String
        public let entity: String?
        public let container: String?
    }

    /// Tasks whose subtasks may run in any order: every node hangs off START (§4.10).
    static let seqIndependentTasks: Set<String> = ["cook_dishes", "texas_holdem"]
    /// Sub-task patterns in matching order (§4.10).
    static let patterns: [[String]] = [["pick", "place"], ["pick", "insert"], ["pick", "pour", "place"], ["pick", "pour"],
                                       ["pick", "pull"], ["pick", "lift"], ["pick", "push", "pull"], ["pick", "push", "place"],
                                       ["pick", "push"], ["pick", "open_door"], ["press"]]
    /// total_score weights as the code applies them: skill 0.4, entity 0.4 (the declared 0.1 weights for
    /// skill_with_entity and exact_match are never applied, so the maximum is 80).
    static let skillWeight = 0.4, entityWeight = 0.4

    /// The text between the first "```json" and the next "```" must be a JSON list of {name, params}.
    public static func parse(_ text: String) -> [Skill]? {
        guard let start = text.range(of: "```json") else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.range(of: "```") else { return nil }
        guard let json = try? JSONSerialization.jsonObject(with: Data(rest[..<end.lowerBound].utf8)),
              let list = json as? [Any] else { return nil }
        var skills: [Skill] = []
        for item in list {
            guard let obj = item as? [String: Any], let s = skill(obj) else { return nil }
            skills.append(s)
        }
        return skills
    }

    public static func skill(_ obj: [String: Any]) -> Skill? {
        guard let name = obj["name"] as? String else { return nil }
        let params = obj["params"] as? [String: Any] ?? [:]
        func text(_ v: Any?) -> String? {
            if let s = v as? String { return s }
            if let n = v as? NSNumber { return n.stringValue }
            return nil
        }
        return Skill(name: name, entity: text(params["target_entity_name"]), container: text(params["target_container_name"]))
    }

    /// Size of the multiset intersection.
    static func overlap<T: Hashable>(_ a: [T], _ b: [T]) -> Int {
        var counts: [T: Int] = [:]
        for x in b { counts[x, default: 0] += 1 }
        var n = 0
        for x in a where (counts[x] ?? 0) > 0 { counts[x]! -= 1; n += 1 }
        return n
    }

    struct Role: Hashable { let role: String; let value: String }
    struct Triple: Hashable { let name: String; let entity: String?; let container: String? }
    struct Node: Hashable { let pattern: [String]; let entity: String?; let container: String? }

    static func roles(_ s: [Skill]) -> [Role] {
        s.flatMap { k in [k.entity.map { Role(role: "entity", value: $0) }, k.container.map { Role(role: "container", value: $0) }].compactMap { $0 } }
    }

    /// Splits a sequence into sub-task nodes: at each position the first pattern that matches; unmatched skills
    /// are skipped. A node keeps the last entity and last container named inside it.
    static func nodes(_ s: [Skill]) -> [Node] {
        var out: [Node] = [], i = 0
        while i < s.count {
            if let p = patterns.first(where: { p in i + p.count <= s.count && zip(p, s[i..<i + p.count]).allSatisfy { $0 == $1.name } }) {
                let part = s[i..<i + p.count]
                out.append(Node(pattern: p, entity: part.compactMap(\.entity).last, container: part.compactMap(\.container).last))
                i += p.count
            } else { i += 1 }
        }
        return out
    }

    /// Layered DAG match: chain tasks put node k in layer k with node k−1 as predecessor; Seq-independent tasks
    /// put every node in layer 1 under START. A GT node counts when an unused predicted node of the same layer
    /// has the same content and the same predecessor.
    static func exactMatch(gt: [Skill], pred: [Skill], task: String) -> Double {
        let g = nodes(gt), p = nodes(pred)
        guard !g.isEmpty else { return 0 }
        let independent = seqIndependentTasks.contains(task)
        func layered(_ n: [Node]) -> [[(node: Node, parent: Node?)]] {
            if independent { return [n.map { ($0, nil) }] }
            return n.indices.map { [(n[$0], $0 > 0 ? n[$0 - 1] : nil)] }
        }
        let gl = layered(g), pl = layered(p)
        var matched = 0
        for (layer, gtNodes) in gl.enumerated() where layer < pl.count {
            var used = [Bool](repeating: false, count: pl[layer].count)
            for gn in gtNodes {
                if let j = pl[layer].indices.first(where: { !used[$0] && pl[layer][$0].node == gn.node && pl[layer][$0].parent == gn.parent }) {
                    used[j] = true; matched += 1
                }
            }
        }
        return 100 * Double(matched) / Double(g.count)
    }

    /// All per-example terms; a format error (nil prediction) scores 0 everywhere.
    public static func terms(gt: [Skill], pred: [Skill]?, task: String) -> [String: Double] {
        guard let pred, !gt.isEmpty else {
            return ["skill_match": 0, "entity_match": 0, "skill_with_entity": 0, "exact_match": 0, "total_score": 0]
        }
        let skill = 100 * Double(overlap(gt.map(\.name), pred.map(\.name))) / Double(gt.count)
        let gtRoles = roles(gt)
        let entity = gtRoles.isEmpty ? 0 : 100 * Double(overlap(gtRoles, roles(pred))) / Double(gtRoles.count)
        let triples = { (s: [Skill]) in s.map { Triple(name: $0.name, entity: $0.entity, container: $0.container) } }
        let withEntity = 100 * Double(overlap(triples(gt), triples(pred))) / Double(gt.count)
        return ["skill_match": skill, "entity_match": entity, "skill_with_entity": withEntity,
                "exact_match": exactMatch(gt: gt, pred: pred, task: task),
                "total_score": skillWeight * skill + entityWeight * entity]
    }
}
