import Foundation
import ImageIO

/// Finds the SimplerEnv overlay photos (simplerenv-tasks.md §1.4), which the project does not ship.
/// Search order: an explicit path (`--overlay`), `$VLASER_OVERLAY_DIR`, the cache filled by
/// `scripts/fetch-overlays.sh` (`$VLASER_CACHE_DIR/overlays`, default `~/.cache/vlaser-eval/overlays`), and for
/// developers `../shared/assets/simpler-overlays` next to the working directory or the executable's checkout.
public struct OverlayLibrary: Sendable {
    public static let fetchScript = "scripts/fetch-overlays.sh"
    public var directories: [URL]

    public init(directories: [URL]) { self.directories = directories }

    /// The standard search path for this process's environment.
    public static func standard(environment env: [String: String] = ProcessInfo.processInfo.environment) -> OverlayLibrary {
        var dirs: [URL] = []
        if let d = env["VLASER_OVERLAY_DIR"], !d.isEmpty { dirs.append(URL(fileURLWithPath: d)) }
        let cache = env["VLASER_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 }.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache/vlaser-eval")
        dirs.append(cache.appendingPathComponent("overlays"))
        dirs.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("../shared/assets/simpler-overlays").standardized)
        return OverlayLibrary(directories: dirs)
    }

    public enum LookupError: Error, CustomStringConvertible {
        case missing(name: String, searched: [String])
        case unreadable(path: String, reason: String)
        public var description: String {
            switch self {
            case let .missing(name, searched):
                return "overlay photo \(name) not found (searched: \(searched.joined(separator: ", "))); run "
                    + "\(OverlayLibrary.fetchScript) to download the SimplerEnv overlays, or pass --overlay PATH"
            case let .unreadable(path, reason): return "overlay photo \(path): \(reason)"
            }
        }
    }

    /// The file for `name` (e.g. `bridge_real_eval_1.png`); `explicit` (a user's `--overlay PATH`) wins.
    public func locate(_ name: String, explicit: String? = nil) throws -> URL {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw LookupError.missing(name: explicit, searched: [explicit])
            }
            return URL(fileURLWithPath: explicit)
        }
        for d in directories {
            let f = d.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: f.path) { return f }
        }
        throw LookupError.missing(name: name, searched: directories.map(\.path))
    }

    /// Loads the photo as RGB (the RGBA files' alpha is opaque; OpenCV's `imread` drops it too).
    public func load(_ name: String, explicit: String? = nil) throws -> RGBImage {
        let url = try locate(name, explicit: explicit)
        do { return try readPNG(url).rgb } catch { throw LookupError.unreadable(path: url.path, reason: "\(error)") }
    }
}
