import Foundation

/// `DIR/index.html`: one card per episode of a sim run — outcome, steps, instruction, its video (or first frame) and
/// links to its executed actions and log — so a user opens the run folder in a browser and finds the failures to
/// watch. Written by `sim` at the end of a run and by `merge`; the page links the run's own files by relative path
/// and reads nothing else.
public enum RunGallery {
    public static let fileName = "index.html"

    /// Writes the gallery of `records` (in run order) into `dir`.
    public static func write(_ records: [EpisodeRecord], manifest: SimManifest, to dir: URL) throws {
        try Data(render(records, manifest: manifest, in: dir).utf8).write(to: dir.appendingPathComponent(fileName), options: .atomic)
    }

    static func render(_ records: [EpisodeRecord], manifest: SimManifest, in dir: URL) -> String {
        let fm = FileManager.default
        func exists(_ path: String) -> Bool { fm.fileExists(atPath: dir.appendingPathComponent(path).path) }
        let done = records.filter { !$0.isError }
        let successes = done.filter(\.success).count
        var h = """
            <!doctype html><html><head><meta charset="utf-8"><title>\(e(manifest.label)) · \(e(manifest.suite))</title><style>
            body{font:14px system-ui,sans-serif;margin:16px}.g{display:flex;flex-wrap:wrap;gap:12px}
            .c{border:2px solid #ccc;border-radius:6px;padding:6px;width:336px}.success{border-color:#2a2}.failure{border-color:#c33}
            .error{border-color:#e90}.c video,.c img{width:320px;display:block}.o{font-weight:bold}
            .success .o{color:#2a2}.failure .o{color:#c33}.error .o{color:#e90}small{color:#555}
            </style></head><body>
            <h1>\(e(manifest.label))</h1>
            <p>\(e(manifest.suite)) · \(e(manifest.protocol)) · policy \(e(manifest.policy)) · seed \(manifest.seed)\(manifest.limit.map { " · partial (--limit \($0))" } ?? "")
            · \(successes)/\(done.count) successful, \(records.count - done.count) errors · <a href="summary.json">summary.json</a>
            · <a href="episodes.jsonl">episodes.jsonl</a></p>
            <div class="g">

            """
        for r in records {
            let stem = RunArtifacts.stem(episodeID: r.episodeId)
            let outcome = r.isError ? "error" : r.success ? "success" : "failure"
            let videoStem = "videos/\(r.task)/" + RunArtifacts.outcomeStem(episodeID: r.episodeId, success: r.success)
            var media = ""
            if exists(videoStem + ".mp4") {
                media = "<video controls preload=\"metadata\" src=\"\(e(videoStem)).mp4\"></video>"
            } else if let first = ["\(videoStem)/frame_00000.png", "frames/\(r.task)/\(stem)/step_0000.png"].first(where: exists) {
                media = "<img loading=\"lazy\" alt=\"first frame\" src=\"\(e(first))\">"
            }
            var links: [String] = []
            for (label, path) in [("actions", "actions/\(r.task)/\(stem).jsonl"), ("raw policy replies", "actions/\(r.task)/\(stem).raw.jsonl"),
                                  ("log", "logs/\(r.task)/\(stem).jsonl")] where exists(path) {
                links.append("<a href=\"\(e(path))\">\(label)</a>")
            }
            h += "<div class=\"c \(outcome)\">\(media)<div><span class=\"o\">\(outcome)</span> · \(r.steps) steps · "
                + "\(e(r.variant))</div><div>\(e(r.instruction ?? ""))</div><small>\(e(r.episodeId))</small>"
                + (links.isEmpty ? "" : "<div>" + links.joined(separator: " · ") + "</div>") + "</div>\n"
        }
        return h + "</div></body></html>\n"
    }

    static func e(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
