import Foundation
import ResultsSchema

/// The shards of one run (`--shard i/n` on several machines: the same `config_hash` and name) found side by side share
/// one scoreboard row: their episodes are summarised together, as `merge` would, and the row says which shards it
/// holds ("shards 0, 2 of 4"). When the merged run is loaded too, its shards add nothing and join its row.
enum ShardPooling {
    /// `runs` with each run's shards replaced by one pooled run, and every input's run id → the id of the run that
    /// stands for it in the tables.
    static func pool(_ runs: [SimRun]) -> (runs: [SimRun], standsFor: [String: String]) {
        func key(_ r: SimRun) -> String { r.manifest.configHash + "\u{0}" + r.manifest.label }
        let merged = Dictionary(runs.filter { $0.manifest.shard.count == 1 }.map { (key($0), runID($0.directory)) },
                                uniquingKeysWith: { a, _ in a })
        var out: [SimRun] = [], standsFor: [String: String] = [:], groups: [String: [SimRun]] = [:], order: [String] = []
        for r in runs {
            if r.manifest.shard.count == 1 { out.append(r); continue }
            if let whole = merged[key(r)] { standsFor[runID(r.directory)] = whole; continue }
            if groups[key(r)] == nil { order.append(key(r)) }
            groups[key(r), default: []].append(r)
        }
        for k in order {
            let members = groups[k]!.sorted { $0.manifest.shard.index < $1.manifest.shard.index }
            guard let pooled = combine(members) else { out += members; continue }  // unreadable episodes: rows of their own
            out.append(pooled)
            for m in members { standsFor[runID(m.directory)] = runID(pooled.directory) }
        }
        return (out, standsFor)
    }

    /// One run of `members`' episodes (the first member's directory stands for it); nil when an episodes file cannot
    /// be read.
    static func combine(_ members: [SimRun]) -> SimRun? {
        guard var first = members.first, let episodes = try? members.flatMap({ try RunFiles.readEpisodes($0.directory) })
        else { return nil }
        let indices = Set(members.map(\.manifest.shard.index)).sorted()
        first.manifest.episodeIds = members.flatMap(\.manifest.episodeIds)
        first.summary = RunSummary.compute(episodes: episodes, manifest: first.manifest)
        first.summaryComputed = members.contains(where: \.summaryComputed)
        first.shardLabel = members.count == 1 ? nil
            : "shards \(indices.map(String.init).joined(separator: ", ")) of \(first.manifest.shard.count)"
        return first
    }
}
