import Engine
import Foundation
import Policies
import PolicyTransport
import Render
import ResultsSchema
import Sim

/// What a run's results depend on beyond its settings, recorded in the manifest by the parent process before any
/// episode runs (docs/results-schema.md § provenance): the remote policy preset's full contents, the policy
/// server's metadata frame, and the files from outside the repository that shape what the policy sees (SimplerEnv's
/// overlay photos, the user's `--assets` meshes), each by name, size and SHA-256. The binary's version and the
/// scenes' commit are the manifest's `harness_version` and `git_commit`.
enum RunProvenance {
    /// Fills the provenance fields of `manifest` for the episodes `keys`.
    static func record(into manifest: inout SimManifest, policy: Policy, keys: [EpisodeKey], assets: [String: TaskAssets],
                       variants: [String: [String: SceneVariant]], options: SimRunOptions) throws {
        if let remote = policy as? RemotePolicy {
            manifest.policyPreset = try JSONCoding.decoder.decode(JSONValue.self, from: JSONCoding.encoder.encode(remote.configuration))
            manifest.serverMetadata = serverMetadata(remote)
        }
        // The photos shape what the policy sees only when frames are rendered (a camera policy, --record, --save-frames).
        let rendersFrames = !policy.observationSpec.cameras.isEmpty || options.record || options.saveFrames
        let files = try (rendersFrames ? overlayPhotos(keys: keys, assets: assets, variants: variants, options: options) : [])
            + userMeshes(keys: keys, assets: assets, variants: variants, options: options)
        manifest.inputFiles = files.isEmpty ? nil : files
    }

    /// The commit of the scenes data: `share/vlaser-eval/COMMIT` of an installed copy, else the checkout's commit,
    /// marked `-dirty` when files under the scenes folder differ from it; `unknown` outside both.
    static func scenesCommit(near url: URL) -> String {
        if let installed = try? String(contentsOf: url.appendingPathComponent("../COMMIT").standardized, encoding: .utf8) {
            return installed.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let commit = git(["-C", url.path, "rev-parse", "--short=12", "HEAD"]), !commit.isEmpty else { return "unknown" }
        let changes = git(["-C", url.path, "status", "--porcelain", "--", "."]) ?? ""
        return changes.isEmpty ? commit : commit + "-dirty"
    }

    /// `git ARGS`' trimmed stdout, or nil when git is missing or fails.
    static func git(_ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        let out = Pipe()
        p.standardOutput = out; p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// The run's policy as the episodes build it (a remote one does not connect until asked).
    static func policy(_ options: SimRunOptions) throws -> Policy {
        var policyOptions = options.policyOptions
        policyOptions.scenesRoot = options.scenesRoot
        return try PolicyFactory.make(options.policy, options: policyOptions)
    }

    /// The openpi server's metadata frame, from one connection opened for it; nil for protocols without one or when
    /// the server does not answer (the episodes then report the failure, as `--on-policy-error` decides).
    static func serverMetadata(_ policy: RemotePolicy) -> JSONValue? {
        guard let frame = try? policy.serverMetadata() else { return nil }
        return json(frame)
    }

    /// A wire value as JSON: maps with string keys as objects, binary and arrays summarised by type and shape.
    static func json(_ v: WireValue) -> JSONValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int, .uint, .float, .double: return .number(v.number!)
        case .string(let s): return .string(s)
        case .binary(let b): return .string("<\(b.count) bytes>")
        case .array(let a): return .array(a.map(json))
        case .map(let m):
            return .object(Dictionary(m.entries.map { (($0.key.string ?? "\($0.key)"), json($0.value)) }, uniquingKeysWith: { a, _ in a }))
        case .ext(let type, let data): return .string("<ext \(type), \(data.count) bytes>")
        case .ndarray(let a): return .string("<ndarray \(a.dtype.descr) \(a.shape)>")
        }
    }

    /// Under visual matching, every photo the episodes composite (the task's, with `{label}` filled from each
    /// episode's layout, or `--overlay`), unless the episode's variant switches the overlay off.
    static func overlayPhotos(keys: [EpisodeKey], assets: [String: TaskAssets], variants: [String: [String: SceneVariant]],
                              options: SimRunOptions) throws -> [InputFile] {
        guard options.protocolName == "visual-matching" else { return [] }
        var names = Set<String>()
        for key in keys {
            guard let a = assets[key.task], var name = a.task.overlay else { continue }
            let variant = variants[key.task]?[key.variant] ?? .base
            guard variant.visual.overlay != false else { continue }
            if let layout = try a.task.layout(key.index, protocolName: variant.grid) {
                for (label, value) in layout.labels { name = name.replacingOccurrences(of: "{\(label)}", with: value) }
            }
            names.insert(name)
        }
        if let explicit = options.overlay, !names.isEmpty {
            let file = URL(fileURLWithPath: explicit)
            return [try InputFile(kind: "overlay", name: file.lastPathComponent, file: file)]
        }
        let library = OverlayLibrary.standard()
        return try names.sorted().map { try InputFile(kind: "overlay", name: $0, file: library.locate($0)) }
    }

    /// With SimplerEnv's meshes (`SimplerAssetRoot`), every file of the model folders the run's objects draw from
    /// (visual mesh, collision mesh, textures), by their repository paths under the root.
    static func userMeshes(keys: [EpisodeKey], assets: [String: TaskAssets], variants: [String: [String: SceneVariant]],
                           options: SimRunOptions) throws -> [InputFile] {
        guard let root = options.assetRoot else { return [] }
        let dir = root.url
        var ids = Set<String>()
        for key in keys {
            guard let a = assets[key.task] else { continue }
            ids.formUnion(a.objects.values.map(\.id))
            let variant = variants[key.task]?[key.variant] ?? .base
            if let layout = try a.task.layout(key.index, protocolName: variant.grid) { ids.formUnion(layout.placements.map(\.model)) }
        }
        var found: [InputFile] = []
        for id in ids.sorted() {
            guard root.objectVisual(id) != nil || root.objectCollision(id) != nil else { continue }
            let folder = dir.appendingPathComponent(SimplerAssetRoot.modelFolder(id))
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().map { folder.appendingPathComponent($0) }
            for f in files {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: f.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                found.append(try InputFile(kind: "mesh", name: String(f.path.dropFirst(dir.standardizedFileURL.path.count + 1)), file: f))
            }
        }
        return found
    }
}

extension InputFile {
    init(kind: String, name: String, file: URL) throws {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw EvaluationError.usage("\(file.path): cannot read this \(kind) file")
        }
        self.init(kind: kind, name: name, bytes: data.count, sha256: SHA256.hex(data))
    }
}
