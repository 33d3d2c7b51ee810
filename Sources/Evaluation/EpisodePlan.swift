import Foundation
import ResultsSchema
import VLMath

/// Which episode indices to run: `A..B` (inclusive) or a comma list, e.g. `0..23` or `0,5,7`. A range stays a
/// range until it is checked against the task's grid, so `0..9223372036854775807` is refused, not materialised.
public struct EpisodeSelection: Codable, Sendable, Equatable {
    let ranges: [ClosedRange<Int>]?

    public static let all = EpisodeSelection(ranges: nil)
    init(ranges: [ClosedRange<Int>]?) { self.ranges = ranges }

    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let r = t.range(of: "..") {
            guard let a = Int(t[..<r.lowerBound]), let b = Int(t[r.upperBound...]), a >= 0, b >= a else {
                throw EvaluationError.usage("--episodes '\(text)': expected an inclusive range A..B with 0 ≤ A ≤ B")
            }
            ranges = [a...b]
        } else {
            let parts = t.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw EvaluationError.usage("--episodes '\(text)': expected A..B or a comma list of indices ≥ 0")
            }
            var seen = Set<Int>()
            if let twice = parts.first(where: { !seen.insert($0!).inserted }) {
                throw EvaluationError.usage("--episodes '\(text)': index \(twice!) is given twice")
            }
            ranges = parts.map { $0!...$0! }
        }
    }

    func resolve(count: Int, task: String) throws -> [Int] {
        guard let ranges else { return Array(0..<count) }
        if let bad = ranges.first(where: { $0.upperBound >= count }) {
            throw EvaluationError.usage("--episodes: index \(bad.upperBound) is outside task \(task)'s grid 0..\(count - 1)")
        }
        return ranges.flatMap { Array($0) }
    }
}

/// `--shard i/n`: this process runs the episodes whose canonical ordinal ≡ i (mod n).
extension Shard {
    public init(parsing text: String) throws {
        let p = text.split(separator: "/").map { Int($0) }
        guard p.count == 2, let i = p[0], let n = p[1], n >= 1, i >= 0, i < n else {
            throw EvaluationError.usage("--shard '\(text)': expected i/n with 0 ≤ i < n")
        }
        self.init(index: i, count: n)
    }
}

public enum EvaluationError: Error, CustomStringConvertible {
    /// Bad command-line or data input: exit code 2.
    case usage(String)
    case io(String)
    /// `--on-policy-error abort` after an episode failed: exit code 1, results so far kept.
    case aborted(String)
    public var description: String {
        switch self { case .usage(let m), .io(let m), .aborted(let m): return m }
    }
}
