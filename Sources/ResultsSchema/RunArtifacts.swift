// The per-episode files of a sim run directory besides episodes.jsonl (docs/results-schema.md): executed actions,
// videos, frames and episode logs, each under `<kind>/<task>/<episode stem>[.ext]`. `merge` carries them over so a
// merged run replays (`--policy replay:MERGED`) and its videos sit in one place.
import Foundation

public enum RunArtifacts {
    /// The folders holding per-episode files.
    public static let kinds = ["actions", "videos", "frames", "logs"]

    /// An episode's file stem: its id with `/` → `__`, e.g. `widowx__widowx_carrot_on_plate__base__3__0`.
    public static func stem(episodeID: String) -> String { episodeID.replacingOccurrences(of: "/", with: "__") }

    /// A video's stem names the outcome too, as SimplerEnv's and ManiSkill's file names do:
    /// `widowx__widowx_carrot_on_plate__base__3__0__success` (`.mp4`, or a folder of PNG frames without ffmpeg).
    public static func outcomeStem(episodeID: String, success: Bool) -> String {
        stem(episodeID: episodeID) + (success ? outcomeSuffixes[0] : outcomeSuffixes[1])
    }
    public static let outcomeSuffixes = ["__success", "__failure"]

    /// Copies from each shard the per-episode files (or folders) of the episodes whose record was taken from that
    /// shard, into `out/<kind>/<task>/`. `source` maps episode ids to the shard directory that provided them.
    /// Returns the number of entries copied.
    @discardableResult
    public static func copy(source: [String: URL], into out: URL) throws -> Int {
        let fm = FileManager.default
        var byStem: [String: URL] = [:]
        for (id, dir) in source { byStem[stem(episodeID: id)] = dir.standardizedFileURL }
        var copied = 0
        for dir in Set(source.values.map(\.standardizedFileURL)).sorted(by: { $0.path < $1.path }) {
            for kind in kinds {
                let kindDir = dir.appendingPathComponent(kind)
                for task in (try? fm.contentsOfDirectory(atPath: kindDir.path))?.sorted() ?? [] {
                    let taskDir = kindDir.appendingPathComponent(task)
                    for name in (try? fm.contentsOfDirectory(atPath: taskDir.path))?.sorted() ?? [] {
                        // `<stem>` (a folder of frames) or `<stem>.<ext>`.
                        guard owner(of: name, in: byStem) == dir else { continue }
                        let target = out.appendingPathComponent(kind).appendingPathComponent(task).appendingPathComponent(name)
                        do {
                            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                            try fm.copyItem(at: taskDir.appendingPathComponent(name), to: target)
                        } catch {
                            throw ResultFileError.unreadable(path: taskDir.appendingPathComponent(name).path,
                                                             reason: "cannot copy to \(target.path): \((error as NSError).localizedDescription)")
                        }
                        copied += 1
                    }
                }
            }
        }
        return copied
    }

    /// The shard owning the entry `name`: the name itself, or the name without one extension after another.
    static func owner(of name: String, in byStem: [String: URL]) -> URL? {
        var candidate = Substring(name)
        while true {
            if let d = byStem[String(candidate)] { return d }
            if let suffix = outcomeSuffixes.first(where: { candidate.hasSuffix($0) }),
               let d = byStem[String(candidate.dropLast(suffix.count))] { return d }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = candidate[..<dot]
        }
    }
}
