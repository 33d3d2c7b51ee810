import Foundation
import Sim

/// `vlaser-perf reference-frames [--frames DIR] [--assets DIR] [--scenes DIR]`: renders every SimplerEnv reference
/// frame (default `../shared/assets/simpler-reference-frames`) with our robot, camera and visuals at the frame's
/// poses and prints a markdown table: robot and per-object mask IoU, mean |ΔRGB| inside the robot mask
/// (docs/rendering.md § Checked against SimplerEnv's frames). Without an asset root the visuals are procedural.
func referenceFramesCheck(_ args: [String]) throws {
    func value(_ flag: String) -> String? { args.firstIndex(of: flag).flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil } }
    let frames = URL(fileURLWithPath: value("--frames") ?? "../shared/assets/simpler-reference-frames")
    let scenes = value("--scenes").map { URL(fileURLWithPath: $0) } ?? SceneLibrary.defaultRoot()
    let root = try SimplerAssetRoot.resolve(explicit: value("--assets"))
    setlinebuf(stdout)
    print("asset root: \(root.url.path)\n")
    print("| env | episode | robot IoU | object IoU | robot mean abs ΔRGB |")
    print("|---|---|---|---|---|")
    var robot: [Double] = [], objects: [Double] = []
    for env in try FileManager.default.contentsOfDirectory(atPath: frames.path).sorted() {
        let dir = frames.appendingPathComponent(env)
        let episodes = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.compactMap { Int($0.dropLast(5)) }.sorted()
        for e in episodes {
            let c = try ReferenceFrame.load(dir.appendingPathComponent("\(e).json")).compare(directory: dir, scenes: scenes, assetRoot: root)
            robot.append(c.robotIoU); objects += c.objectIoU.map(\.iou)
            let objs = c.objectIoU.map { String(format: "%@ %.3f", $0.name, $0.iou) }.joined(separator: ", ")
            print(String(format: "| %@ | %d | %.3f | %@ | %.1f |", env, e, c.robotIoU, objs, c.robotRGBError))
        }
    }
    if !robot.isEmpty {
        print(String(format: "\n%d frames: robot IoU min %.3f mean %.3f; object IoU min %.3f mean %.3f", robot.count,
                     robot.min()!, robot.reduce(0, +) / Double(robot.count), objects.min() ?? .nan,
                     objects.reduce(0, +) / Double(max(1, objects.count))))
    }
}
