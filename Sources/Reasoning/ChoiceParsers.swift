import Foundation

/// Multiple-choice and short-answer extraction, one rule per benchmark (reasoning-benchmarks.md §5.1).
public enum ChoiceParsers {
    /// Removes `<think>…</think>` blocks; an unclosed `<think>` drops everything after it (no answer yet).
    public static func stripThinking(_ text: String) -> String {
        var s = text
        while let open = s.range(of: "<think>") {
            if let close = s.range(of: "</think>", range: open.upperBound..<s.endIndex) {
                s.removeSubrange(open.lowerBound..<close.upperBound)
            } else {
                s.removeSubrange(open.lowerBound..<s.endIndex)
            }
        }
        // A lone closing tag (template put the opening one in the prompt): keep what follows it.
        if let close = s.range(of: "</think>") { s = String(s[close.upperBound...]) }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// EgoPlan-Bench2 `extract_characters_regex` (§4.2). The two concatenated prefixes are kept as the official
    /// list has them (missing commas), so they never fire.
    static let egoPlanPrefixes = ["The best answer is", "The correct answer is", "The answer is", "The answer",
                                  "The best option isThe correct option is", "Best answer:Best option:",
                                  "Answer:", "Option:", "The correct answer", "The correct option"]

    public static func egoPlan(_ text: String) -> String? {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for prefix in egoPlanPrefixes { s = s.replacingOccurrences(of: prefix, with: "") }
        let letters = s.unicodeScalars.first { "ABCD".unicodeScalars.contains($0) }
        if s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count > 10 && letters == nil { return nil }
        return letters.map { String($0) }
    }

    /// VSI-Bench (§4.7): the first whitespace-separated token with trailing "." removed.
    public static func firstToken(_ text: String) -> String? {
        guard let first = text.split(whereSeparator: { $0.isWhitespace }).first else { return nil }
        var t = String(first)
        while t.hasSuffix(".") { t.removeLast() }
        return t.isEmpty ? nil : t
    }

    /// VSI-Bench numeric answer: Python float() of the token ("nan"/"inf" accepted like Python, number words not).
    public static func vsiNumber(_ token: String?) -> Double? {
        guard let t = token?.replacingOccurrences(of: "_", with: "") else { return nil }
        return Double(t)
    }

    /// MMSI-Bench (§4.9): ``X`` span, else `X` span, else {X} span, else the first standalone A–D that is not
    /// followed by " <letter>"; then the "(X", "option X", "the answer is X" forms.
    public static func mmsi(_ text: String) -> String? {
        var candidate = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for pattern in [#"``(.*?)``"#, #"`(.*?)`"#, #"\{(.*?)\}"#] {
            if let m = captures(pattern, in: candidate, options: [.dotMatchesLineSeparators]).first {
                candidate = m[1].trimmingCharacters(in: .whitespacesAndNewlines); break
            }
        }
        if let m = captures(#"\b([A-D])\b(?! [A-Za-z])"#, in: candidate).first { return m[1] }
        let lower = candidate.lowercased()
        for lead in ["(", "option ", "the answer is "] where lower.hasPrefix(lead) {
            let rest = lower.dropFirst(lead.count)
            if let c = rest.first, "abcd".contains(c) { return c.uppercased() }
        }
        return nil
    }

    /// ERQA (official rule unknown, §4.1): the priority extractor of lmms-eval's `mcq_extract` restated —
    /// answer phrases 7, starts-with 10, ends-with 9, "(X)" 6, "X." 5, "X:" 4, "X)" 3, "X " 2, bare letter 0;
    /// highest priority wins, ties go to the later position.
    public static func priorityLetter(_ text: String, letters: [Character]) -> String? {
        let edge = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)
        let s = text.trimmingCharacters(in: edge)
        guard !s.isEmpty, !letters.isEmpty else { return nil }
        let set = String(letters)
        var best: (priority: Int, position: Int, letter: String)? = nil
        func offer(_ priority: Int, _ position: Int, _ letter: String) {
            if best == nil || priority > best!.priority || (priority == best!.priority && position >= best!.position) {
                best = (priority, position, letter)
            }
        }
        let rules: [(String, Int)] = [
            (#"(?i:the answer is|answer is|answer:|correct option is|correct answer is|i choose|option)\s*\(?([\#(set)])\b"#, 7),
            (#"^([\#(set)])(?![A-Za-z])"#, 10),
            (#"(?<![A-Za-z])([\#(set)])$"#, 9),
            (#"\(([\#(set)])\)"#, 6),
            (#"\b([\#(set)])\."#, 5),
            (#"\b([\#(set)]):"#, 4),
            (#"\b([\#(set)])\)"#, 3),
            (#"\b([\#(set)]) "#, 2),
            (#"\b([\#(set)])\b"#, 0),
        ]
        let ns = s as NSString
        for (pattern, priority) in rules {
            guard let re = CompiledPatterns.regex(pattern) else { continue }
            for m in re.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
                offer(priority, m.range(at: 1).location, ns.substring(with: m.range(at: 1)))
            }
        }
        return best?.letter
    }

    /// The option letters a question offers ("A. …" lines), A–D when none are found.
    public static func optionLetters(in question: String) -> [Character] {
        let found = captures(#"(?m)^\s*\(?([A-J])[.)]\s"#, in: question).compactMap { $0[1].first }
        var unique: [Character] = []
        for c in found where !unique.contains(c) { unique.append(c) }
        return unique.count >= 2 ? unique.sorted() : ["A", "B", "C", "D"]
    }
}
