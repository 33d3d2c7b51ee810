import Engine
import Foundation
import ImageIO
import Render
import ResultsSchema

/// Receives the policy camera's frames of one episode at a time (`--record`, `--save-frames`).
public protocol EpisodeFrameSink: AnyObject {
    /// `framesPerSecond`: the task's control frequency (one frame per policy step).
    func begin(_ key: EpisodeKey, framesPerSecond: Double) throws
    /// `caption`: the step, success so far and instruction (FrameCaption), for sinks that draw it.
    func frame(_ image: RGBImage, step: Int, caption: [String]) throws
    /// The episode is over; `success` is its outcome.
    func end(success: Bool) throws
}

/// Names files so a user finds the failure they look for: `<kind>/<task>/<suite>__<task>__<variant>__<index>__<repeat>`.
enum EpisodeFiles {
    static func stem(_ key: EpisodeKey) -> String { RunArtifacts.stem(episodeID: key.id) }
    static func directory(_ root: URL, _ kind: String, _ key: EpisodeKey) -> URL {
        root.appendingPathComponent(kind).appendingPathComponent(key.task)
    }
}

/// `--save-frames`: one PNG per control step, `frames/<task>/<episode>/step_0000.png`.
public final class PNGFrameSink: EpisodeFrameSink {
    let root: URL
    private var dir: URL?
    public init(runDirectory: URL) { root = runDirectory }

    public func begin(_ key: EpisodeKey, framesPerSecond: Double) throws {
        let d = EpisodeFiles.directory(root, "frames", key).appendingPathComponent(EpisodeFiles.stem(key))
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        dir = d
    }
    public func frame(_ image: RGBImage, step: Int, caption: [String]) throws {
        guard let dir else { return }
        try writePNG(image, to: dir.appendingPathComponent(String(format: "step_%04d.png", step)))
    }
    public func end(success: Bool) throws { dir = nil }
}

/// Fans frames out to several sinks.
public final class FrameSinks: EpisodeFrameSink {
    let sinks: [EpisodeFrameSink]
    public init(_ sinks: [EpisodeFrameSink]) { self.sinks = sinks }
    public func begin(_ key: EpisodeKey, framesPerSecond: Double) throws {
        for s in sinks { try s.begin(key, framesPerSecond: framesPerSecond) }
    }
    public func frame(_ image: RGBImage, step: Int, caption: [String]) throws {
        for s in sinks { try s.frame(image, step: step, caption: caption) }
    }
    public func end(success: Bool) throws { for s in sinks { try s.end(success: success) } }
}

/// `--record`: one video per episode, `videos/<task>/<episode>__success.mp4` (or `__failure`) through ffmpeg when
/// present, else a PNG frame sequence in `videos/<task>/<episode>__success/` (the renderer's `VideoRecorder`
/// decides). The outcome joins the name when the episode ends; a re-run episode (resume) replaces its old video.
public final class VideoFrameSink: EpisodeFrameSink {
    let root: URL
    private var fps = 5.0
    private var key: EpisodeKey?
    private var recorder: VideoRecorder?
    /// `--info-on-video`: draw each frame's caption into the video (the policy saw the frame without it).
    let drawsCaption: Bool
    public init(runDirectory: URL, drawsCaption: Bool = false) { root = runDirectory; self.drawsCaption = drawsCaption }

    public func begin(_ key: EpisodeKey, framesPerSecond: Double) throws { self.key = key; fps = framesPerSecond; recorder = nil }
    public func frame(_ image: RGBImage, step: Int, caption: [String]) throws {
        guard let key else { return }
        if recorder == nil {
            let dir = EpisodeFiles.directory(root, "videos", key)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            recorder = try VideoRecorder(base: dir.appendingPathComponent(EpisodeFiles.stem(key)), width: image.width,
                                         height: image.height, fps: fps)
        }
        var frame = image
        if drawsCaption { FrameCaption.draw(caption, on: &frame, scale: max(1, image.width / 320)) }
        try recorder!.append(frame)
    }
    public func end(success: Bool) throws {
        defer { recorder = nil; key = nil }
        guard let key, let output = try recorder?.finish() else { return }
        let written: URL
        switch output { case .mp4(let u), .pngFrames(let u): written = u }
        let ext = written.pathExtension.isEmpty ? "" : "." + written.pathExtension
        let dir = written.deletingLastPathComponent(), fm = FileManager.default
        for outcome in [true, false] {
            let named = dir.appendingPathComponent(RunArtifacts.outcomeStem(episodeID: key.id, success: outcome) + ext)
            if fm.fileExists(atPath: named.path) { try fm.removeItem(at: named) }
            if outcome == success { try fm.moveItem(at: written, to: named) }
        }
    }
}
