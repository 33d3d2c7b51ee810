// Fuzz target for the OBJ + MTL reader (libFuzzer; docs/fuzzing.md). The input is an OBJ file, optionally followed
// by "\n%%MTL\n" and the material library it names as `mtllib fuzz.mtl`; both are written to a scratch directory
// because the reader resolves `mtllib` and `map_Kd` next to the OBJ, as it does for a user's `--assets`.
import Foundation
import FuzzDriver
import Render

let scratch: URL = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
    let dir = base.appendingPathComponent("mesh-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}()
atexit { try? FileManager.default.removeItem(at: scratch) }
let separator = Array("\n%%MTL\n".utf8)

/// Loading must return meshes or throw a `LoadError`; every index of a loaded mesh must name one of its vertices.
func exercise(_ bytes: [UInt8]) {
    var obj = bytes[...], mtl: ArraySlice<UInt8> = []
    if let r = bytes.firstRange(of: separator) { obj = bytes[..<r.lowerBound]; mtl = bytes[r.upperBound...] }
    let objURL = scratch.appendingPathComponent("fuzz.obj")
    try? Data(obj).write(to: objURL)
    try? Data(mtl).write(to: scratch.appendingPathComponent("fuzz.mtl"))
    guard let groups = try? OBJLoader.load(objURL) else { return }
    for g in groups {
        precondition(g.mesh.indices.allSatisfy { Int($0) < g.mesh.positions.count }, "index beyond the vertices")
        precondition(g.mesh.indices.count % 3 == 0, "not a triangle list")
    }
}

FuzzDriver.run("mesh-fuzz", exercise)
