// Fuzz target for the scene data loaders (libFuzzer; docs/fuzzing.md): tasks, robot set-ups, stages, objects,
// variants, looks and policy presets. A copy of scenes/ lives in a scratch directory; the input's first byte picks
// the file it replaces, the rest is that file's new content, and the original is put back afterwards.
import Foundation
import FuzzDriver
import Policies
import Sim

/// (file under scenes/, what loads it).
let targets: [(String, (URL) throws -> Void)] = [
    ("tasks/widowx_carrot_on_plate.json", { try build("widowx_carrot_on_plate", $0) }),
    ("setups/widowx_flat_table.json", { try build("widowx_carrot_on_plate", $0) }),
    ("stages/bridge_flat_table.json", { try build("widowx_carrot_on_plate", $0) }),
    ("objects/bridge_carrot_generated_modified.json", { try build("widowx_carrot_on_plate", $0) }),
    ("tasks/google_move_near.json", { try build("google_move_near", $0) }),
    ("variants/widowx_visual-matching.json", { root in
        let assets = try TaskAssets(task: "widowx_carrot_on_plate", root: root)
        for v in try VariantSet.load(suite: "widowx", protocolName: "visual-matching", root: root)?.variants(for: "widowx_carrot_on_plate") ?? [] {
            _ = try v.resetQpos(assets.setup, robot: assets.robot)
        }
    }),
    ("looks/table_textures.json", { root in _ = try SceneLooks.load(root: root) }),
    ("policy-presets/openvla-bridge.json", { root in
        _ = try RemotePolicy.fromSpec("http://127.0.0.1:9/act", preset: "openvla-bridge", scenesRoot: root)
    }),
]

/// Loads `task` and, when it loads, builds its first episode (the physics world: where a mass of 1e300 once
/// tripped an ODE assertion) and runs one control step.
func build(_ task: String, _ root: URL) throws {
    let assets = try TaskAssets(task: task, root: root)
    let episode = try Episode(assets: assets, index: 0)
    try episode.apply([0, 0, 0, 0, 0, 0, 1])
}

let scratch: URL = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
    let dir = base.appendingPathComponent("scene-fuzz-\(getpid())/scenes")
    try? FileManager.default.removeItem(at: dir)
    try! FileManager.default.createDirectory(at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
    try! FileManager.default.copyItem(at: SceneLibrary.defaultRoot(), to: dir)
    return dir
}()
atexit { try? FileManager.default.removeItem(at: scratch.deletingLastPathComponent()) }
let originals = targets.map { [UInt8](try! Data(contentsOf: scratch.appendingPathComponent($0.0))) }

/// Loading must succeed or throw a data error naming the file; anything else (a trap, an ODE assertion) is a bug.
func exercise(_ bytes: [UInt8]) {
    guard let selector = bytes.first else { return }
    let i = Int(selector) % targets.count
    let url = scratch.appendingPathComponent(targets[i].0)
    try? Data(bytes.dropFirst()).write(to: url)
    defer { try? Data(originals[i]).write(to: url) }
    _ = try? targets[i].1(scratch)
}

FuzzDriver.run("scene-fuzz", exercise)
