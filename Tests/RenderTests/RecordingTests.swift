import Foundation
import ImageIO
import Testing
import TestSupport
@testable import Render

@Suite struct RecordingTests {
    func frames() -> [RGBImage] {
        (0..<6).map { k in
            var img = RGBImage(width: 63, height: 47)  // odd sizes exercise the even-size padding
            for i in 0..<img.pixels.count { img.pixels[i] = UInt8(truncatingIfNeeded: i / 3 + k * 40) }
            return img
        }
    }

    @Test func pngFrameFallback() throws {
        let dir = try TestSupport.makeTempDir()
        let rec = try VideoRecorder(base: dir.appendingPathComponent("widowx_carrot_on_plate_ep003"),
                                    width: 63, height: 47, fps: 5, useFFmpeg: false)
        for f in frames() { try rec.append(f) }
        guard case let .pngFrames(out) = try rec.finish() else { Issue.record("expected PNG frames"); return }
        #expect(out.lastPathComponent == "widowx_carrot_on_plate_ep003.frames")
        #expect(try readPNG(out.appendingPathComponent("frame_00005.png")).rgb == frames()[5])
        #expect(throws: VideoRecorder.RecorderError.self) { try rec.append(RGBImage(width: 2, height: 2)) }
    }

    /// MP4 through ffmpeg (installed by scripts/install-deps.sh): right frame count and size (ffprobe), and the
    /// same frames give the same bytes.
    @Test func mp4ThroughFFmpegIsDeterministic() throws {
        let ffmpeg = try #require(VideoRecorder.findFFmpeg(), "ffmpeg not on PATH; run scripts/install-deps.sh")
        let dir = try TestSupport.makeTempDir()
        var files: [URL] = []
        for run in 0..<2 {
            let rec = try VideoRecorder(base: dir.appendingPathComponent("v\(run)"), width: 63, height: 47, fps: 5)
            for f in frames() { try rec.append(f) }
            guard case let .mp4(url) = try rec.finish() else { Issue.record("expected MP4"); return }
            files.append(url)
        }
        #expect(try Data(contentsOf: files[0]) == Data(contentsOf: files[1]))
        let ffprobe = URL(fileURLWithPath: ffmpeg).deletingLastPathComponent().appendingPathComponent("ffprobe").path
        let probe = try TestSupport.run(ffprobe, ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                                                  "stream=nb_read_frames,width,height,pix_fmt,codec_name", "-of", "csv=p=0", files[0].path])
        #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "h264,64,48,yuv420p,6")
    }
}
