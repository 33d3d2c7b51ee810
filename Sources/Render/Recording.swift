import Foundation
import ImageIO

/// Per-episode video of the policy camera. MP4 (H.264, yuv420p) through an `ffmpeg` subprocess when one is on
/// PATH; otherwise a directory of numbered PNG frames. The encoder settings are fixed (one thread, bitexact,
/// no metadata) so the same frames give the same file.
public final class VideoRecorder {
    public enum Output: Equatable { case mp4(URL), pngFrames(URL) }
    public enum RecorderError: Error, CustomStringConvertible {
        case ffmpeg(String)
        case frameSize(expected: (Int, Int), got: (Int, Int))
        public var description: String {
            switch self {
            case let .ffmpeg(m): return "video: ffmpeg failed: \(m)"
            case let .frameSize(e, g): return "video: frame is \(g.0)×\(g.1), the recording is \(e.0)×\(e.1)"
            }
        }
    }

    public let output: Output
    let width: Int, height: Int
    private var process: Process?
    private var stdin: FileHandle?
    private var stderrFile: URL?
    private var frameCount = 0

    /// `base` is the path without extension (`.mp4` or `.frames/` is added); `useFFmpeg: false` forces PNG frames.
    public init(base: URL, width: Int, height: Int, fps: Double, useFFmpeg: Bool = true) throws {
        self.width = width; self.height = height
        let dir = base.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if useFFmpeg, let ffmpeg = Self.findFFmpeg() {
            let url = base.appendingPathExtension("mp4")
            output = .mp4(url)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ffmpeg)
            p.arguments = ["-hide_banner", "-loglevel", "error", "-y",
                           "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", String(fps), "-i", "-",
                           "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",  // yuv420p needs even sizes
                           "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
                           "-threads", "1", "-x264-params", "threads=1:sliced-threads=0",
                           "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1", url.path]
            let pipe = Pipe()
            p.standardInput = pipe
            p.standardOutput = FileHandle.nullDevice
            let err = FileManager.default.temporaryDirectory.appendingPathComponent("vlaser-ffmpeg-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            p.standardError = try FileHandle(forWritingTo: err)
            signal(SIGPIPE, SIG_IGN)  // a dying ffmpeg must surface as a write error, not kill the harness
            try p.run()
            process = p; stdin = pipe.fileHandleForWriting; stderrFile = err
        } else {
            let url = base.appendingPathExtension("frames")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            output = .pngFrames(url)
        }
    }

    /// The first executable `ffmpeg` on PATH (or `$VLASER_FFMPEG`).
    public static func findFFmpeg(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = env["VLASER_FFMPEG"], FileManager.default.isExecutableFile(atPath: p) { return p }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/ffmpeg"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    public func append(_ frame: RGBImage) throws {
        guard frame.width == width, frame.height == height else {
            throw RecorderError.frameSize(expected: (width, height), got: (frame.width, frame.height))
        }
        switch output {
        case .mp4:
            do { try stdin!.write(contentsOf: frame.pixels) } catch { throw RecorderError.ffmpeg(ffmpegLog() + " (\(error))") }
        case let .pngFrames(dir):
            try writePNG(frame, to: dir.appendingPathComponent(String(format: "frame_%05d.png", frameCount)))
        }
        frameCount += 1
    }

    /// Closes the file; returns where the recording is.
    @discardableResult
    public func finish() throws -> Output {
        if let p = process {
            try stdin?.close()
            p.waitUntilExit()
            let log = ffmpegLog()
            if let e = stderrFile { try? FileManager.default.removeItem(at: e) }
            process = nil
            if p.terminationStatus != 0 { throw RecorderError.ffmpeg("exit \(p.terminationStatus): \(log)") }
        }
        return output
    }

    private func ffmpegLog() -> String {
        stderrFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}
