import Foundation
import VLMath

/// One episode to run: a stable identity, independent of worker count, shard or order (engineering-notes.md §6).
public struct EpisodeKey: Hashable, Sendable, Comparable {
    public var suite: String
    public var task: String
    public var variant: String
    public var index: Int
    public var repeatIndex: Int
    /// For sampled (RoboTwin) tasks, the candidate seed the run's expert filter kept for this index; nil = the
    /// index-th candidate. Not part of the id: a run fixes the mapping in its manifest.
    public var sceneSeed: Int?

    public init(suite: String, task: String, variant: String = "base", index: Int, repeatIndex: Int = 0, sceneSeed: Int? = nil) {
        self.suite = suite; self.task = task; self.variant = variant; self.index = index; self.repeatIndex = repeatIndex
        self.sceneSeed = sceneSeed
    }

    /// `suite/task/variant/index/repeat`, e.g. `widowx/widowx_carrot_on_plate/base/3/0`.
    public var id: String { "\(suite)/\(task)/\(variant)/\(index)/\(repeatIndex)" }

    public init?(id: String) {
        let p = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard p.count == 5, let i = Int(p[3]), let r = Int(p[4]) else { return nil }
        self.init(suite: p[0], task: p[1], variant: p[2], index: i, repeatIndex: r)
    }

    /// Per-episode seed: a hash of the id and the base seed, so results never depend on scheduling.
    public func seed(base: UInt64) -> UInt64 { stableHash64("\(id)#\(base)") }

    public static func < (a: EpisodeKey, b: EpisodeKey) -> Bool {
        (a.suite, a.task, a.variant, a.index, a.repeatIndex) < (b.suite, b.task, b.variant, b.index, b.repeatIndex)
    }
}
