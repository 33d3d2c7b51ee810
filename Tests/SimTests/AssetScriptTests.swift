import Foundation
import Testing
import TestSupport
@testable import Sim

/// `scripts/fetch-assets.sh` against a `file://` copy of the repository (`../shared/assets/simpler-meshes`, which
/// mirrors its paths): every listed file arrives verified, a tampered source is refused, a damaged local file is
/// fetched again, and the asset root it fills is what `SimplerAssetRoot` resolves and reads.
@Suite(.serialized) struct AssetScriptTests {
    static let script = TestSupport.repoRoot.appendingPathComponent("scripts/fetch-assets.sh").path
    static let mirror = TestSupport.sharedAssets.appendingPathComponent("simpler-meshes")

    static func fetch(from base: URL, into dest: URL) throws -> TestSupport.ProcessResult {
        var env = ProcessInfo.processInfo.environment
        env["VLASER_ASSETS_BASE_URL"] = base.absoluteString
        env["VLASER_ASSETS_DIR"] = dest.path
        return try TestSupport.run("/bin/bash", [script], environment: env)
    }

    static func listed() throws -> [(sha: String, size: String, path: String)] {
        try String(contentsOf: TestSupport.repoRoot.appendingPathComponent("scripts/simpler-assets.sha256"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
                let f = line.split(separator: " ").map(String.init)
                return (f[0], f[1], f[2])
            }
    }

    @Test func fetchesVerifiesAndRefetches() throws {
        #expect(FileManager.default.fileExists(atPath: Self.mirror.path), "the SimplerEnv meshes are expected in ../shared/assets")
        let dest = try TestSupport.makeTempDir().appendingPathComponent("root")
        let r = try Self.fetch(from: Self.mirror, into: dest)
        #expect(r.status == 0, "\(r.stderr)")
        let pinned = try Self.listed().filter { $0.sha != "-" }
        #expect(r.stdout.contains("\(pinned.count) downloaded, 0 already present, 5 unavailable"), "\(r.stdout)")
        #expect(r.stderr.contains("data/custom/models/eggplant/textured.dae is not available"))
        for f in pinned {
            let attrs = try FileManager.default.attributesOfItem(atPath: dest.appendingPathComponent(f.path).path)
            #expect("\(attrs[.size] as? Int ?? -1)" == f.size, "\(f.path)")
        }
        // What issue 14 needs from the same root: every collision mesh and the model databases.
        let root = SimplerAssetRoot(url: dest, origin: .flag)
        #expect(root.objectCollision("bridge_carrot_generated_modified") != nil && root.modelDatabase("info_bridge_custom_v0.json") != nil)
        #expect(root.objectVisual("baked_apple_v2") == "data/custom/models/baked_apple_v2/textured.glb")
        #expect(root.objectVisual("eggplant") == nil)

        // A damaged local file is fetched again; the others are kept.
        try Data("truncated".utf8).write(to: dest.appendingPathComponent(pinned[0].path))
        let again = try Self.fetch(from: Self.mirror, into: dest)
        #expect(again.status == 0 && again.stdout.contains("1 downloaded, \(pinned.count - 1) already present"), "\(again.stdout)")
    }

    @Test func refusesATamperedSource() throws {
        let bad = try TestSupport.makeTempDir()
        try Data("not the Apache licence".utf8).write(to: bad.appendingPathComponent("LICENSE"))
        let dest = try TestSupport.makeTempDir().appendingPathComponent("root")
        let r = try Self.fetch(from: bad, into: dest)
        #expect(r.status == 1)
        #expect(r.stderr.contains("LICENSE: checksum or size mismatch"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dest.appendingPathComponent("LICENSE").path))
    }

    @Test func rootResolution() throws {
        let flag = try TestSupport.makeTempDir()
        #expect(try SimplerAssetRoot.resolve(explicit: flag.path, environment: ["VLASER_ASSETS_DIR": "/e"]) == SimplerAssetRoot(url: flag, origin: .flag))
        #expect(try SimplerAssetRoot.resolve(explicit: nil, environment: ["VLASER_ASSETS_DIR": "/e"]).url.path == "/e")
        let cache = try SimplerAssetRoot.resolve(explicit: nil, environment: ["VLASER_CACHE_DIR": "/c", "HOME": "/h"])
        #expect(cache.url.path == "/c/simpler-assets" && cache.origin == .cache)
        #expect(try SimplerAssetRoot.resolve(explicit: nil, environment: ["HOME": "/h"]).url.path == "/h/.cache/vlaser-eval/simpler-assets")
        #expect(throws: DataFileError.self) { try SimplerAssetRoot.resolve(explicit: flag.appendingPathComponent("none").path) }
        #expect(SimplerAssetRoot.urdfVariant("a/robot.urdf", version: "recolor_x") == "a/robot_recolor_x.urdf")
        #expect(SimplerAssetRoot.urdfVariant("a/robot.urdf", version: "default") == "a/robot.urdf")
    }
}
