import Foundation

/// Where SimplerEnv's own meshes live: a directory mirroring the ManiSkill2_real2sim repository's paths
/// (`data/custom/models/<model id>/…`, `data/custom/info_*.json`, `mani_skill2_real2sim/assets/descriptions/…`), filled
/// by `scripts/fetch-assets.sh`. The project never ships these files; without them every visual is procedural.
///
/// Resolution: `--assets DIR`, else `$VLASER_ASSETS_DIR`, else `${VLASER_CACHE_DIR:-~/.cache/vlaser-eval}/simpler-assets`.
public struct SimplerAssetRoot: Codable, Sendable, Equatable {
    public enum Origin: String, Codable, Sendable { case flag = "--assets", environment = "VLASER_ASSETS_DIR", cache }

    public let url: URL
    public let origin: Origin

    public static let fetchScript = "scripts/fetch-assets.sh"
    /// The model folder's visual files in the order SimplerEnv's `_build_actor_helper` tries them
    /// (ManiSkill2_real2sim `envs/custom_scenes/base_env.py`): the first that exists is the visual.
    public static let visualFileNames = ["textured.obj", "textured.dae", "textured.glb"]

    public init(url: URL, origin: Origin) { self.url = url; self.origin = origin }

    /// The root for this process: `explicit` (a `--assets` value) wins; it must be an existing directory.
    public static func resolve(explicit: String?, environment env: [String: String] = ProcessInfo.processInfo.environment)
        throws -> SimplerAssetRoot {
        if let explicit {
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: explicit, isDirectory: &dir), dir.boolValue else {
                throw DataFileError(file: "--assets \(explicit)", field: "", message: "no such directory")
            }
            return SimplerAssetRoot(url: URL(fileURLWithPath: explicit), origin: .flag)
        }
        if let d = env["VLASER_ASSETS_DIR"], !d.isEmpty { return SimplerAssetRoot(url: URL(fileURLWithPath: d), origin: .environment) }
        let cache = env["VLASER_CACHE_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache/vlaser-eval")
        return SimplerAssetRoot(url: cache.appendingPathComponent("simpler-assets"), origin: .cache)
    }

    /// A file under the root by its repository path, or nil when absent.
    public func file(_ repositoryPath: String) -> URL? {
        let u = url.appendingPathComponent(repositoryPath)
        return FileManager.default.fileExists(atPath: u.path) ? u : nil
    }

    /// Repository path of a model's folder.
    public static func modelFolder(_ modelID: String) -> String { "data/custom/models/\(modelID)" }

    /// The visual file SimplerEnv would load for `modelID` (repository path), or nil when none is present.
    public func objectVisual(_ modelID: String) -> String? {
        Self.visualFileNames.map { "\(Self.modelFolder(modelID))/\($0)" }.first { file($0) != nil }
    }

    /// The model's collision mesh (`collision.obj`: one convex part per `o` block), or nil when absent.
    public func objectCollision(_ modelID: String) -> URL? { file("\(Self.modelFolder(modelID))/collision.obj") }

    /// A model database (`info_bridge_custom_v0.json`, …) under `data/custom/`, or nil when absent.
    public func modelDatabase(_ name: String) -> URL? { file("data/custom/\(name)") }

    /// The URDF variant SimplerEnv loads for `urdf_version` (`base_env.py` `_configure_agent`: the base name with
    /// `_<version>` before `.urdf`; none or `default` is the base file), as a repository path.
    public static func urdfVariant(_ base: String, version: String?) -> String {
        guard let v = version, !v.isEmpty, v != "default", base.hasSuffix(".urdf") else { return base }
        return String(base.dropLast(5)) + "_\(v).urdf"
    }
}
