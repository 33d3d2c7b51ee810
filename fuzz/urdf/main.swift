// Fuzz target for the URDF reader and its XML parser (libFuzzer; docs/fuzzing.md).
import Foundation
import FuzzDriver
import Kinematics
import VLMath

/// Parsing must return a model or throw a `URDFError`; a model that parses must give finite link poses (the
/// reader bounds masses and offsets) and gravity torques at the zero configuration and at 0.5 rad (or m) per joint.
func exercise(_ bytes: [UInt8]) {
    guard let model = try? URDFModel.parse(Data(bytes), source: "fuzz.urdf") else { return }
    let tree = KinematicTree(model)
    var q: [String: Double] = [:]
    for j in model.joints { q[j.name] = 0.5 }
    for configuration in [[:], q] {
        for (link, pose) in tree.linkPoses(configuration) {
            precondition([pose.p.x, pose.p.y, pose.p.z].allSatisfy(\.isFinite), "link \(link): pose \(pose)")
        }
        _ = tree.gravityTorques(configuration, gravity: Vec3(0, 0, -9.81))
    }
}

FuzzDriver.run("urdf-fuzz", exercise)
