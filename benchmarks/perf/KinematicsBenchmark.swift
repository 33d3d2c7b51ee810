import Foundation
import Kinematics
import VLMath

/// `vlaser-perf ik [robot] [n]`: IK solve time for control-step-sized moves (targets = FK of the current joints
/// moved by up to ±0.05 rad each, seeded at the current joints, as the EE controllers do every step), FK and
/// Jacobian time, and the iteration counts. Robots: widowx_250s (default) or google_robot.
func kinematicsBenchmark(_ args: [String]) throws {
    let robot = args.first ?? "widowx_250s"
    let n = args.count > 1 ? Int(args[1]) ?? 20000 : 20000
    let tips = ["widowx_250s": ("base_link", "ee_gripper_link"), "google_robot": ("link_base", "link_gripper_tcp")]
    guard let (base, tip) = tips[robot] else { throw BenchmarkUsage("unknown robot '\(robot)'") }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let model = try URDFModel.load(contentsOf: root.appendingPathComponent("scenes/robots/\(robot).urdf"))
    let chain = try KinematicChain(model: model, base: base, tip: tip)
    var rng = SeededRandom(seed: 1)
    var cases: [(seed: [Double], target: Pose)] = []
    while cases.count < n {
        let q = (0..<chain.dof).map { rng.uniform(chain.lowerLimits[$0] * 0.8, chain.upperLimits[$0] * 0.8) }
        cases.append((q, chain.forward(q.map { $0 + rng.uniform(-0.05, 0.05) })))
    }
    var converged = 0, iterations = 0
    let t0 = DispatchTime.now().uptimeNanoseconds
    for c in cases {
        let r = chain.inverse(target: c.target, seed: c.seed)
        if r.converged { converged += 1 }
        iterations += r.iterations
    }
    let t1 = DispatchTime.now().uptimeNanoseconds
    var sink = 0.0
    for c in cases { sink += chain.jacobian(c.seed).data[0] + chain.forward(c.seed).p.x }
    let t2 = DispatchTime.now().uptimeNanoseconds
    let perSolve = Double(t1 - t0) / Double(n) / 1000
    print(String(format: "ik %@: %d solves, %.1f µs/solve, %.2f iterations/solve, %.2f%% converged",
                 robot, n, perSolve, Double(iterations) / Double(n), 100 * Double(converged) / Double(n)))
    print(String(format: "fk+jacobian %@: %.2f µs/call (checksum %.3f)", robot,
                 Double(t2 - t1) / Double(n) / 1000, sink))
    // Whole-tree link poses and gravity loads, as a simulator computes them every physics sub-step.
    let tree = KinematicTree(model)
    let configs = cases.map { Dictionary(uniqueKeysWithValues: zip(chain.jointNames, $0.seed)) }
    let t3 = DispatchTime.now().uptimeNanoseconds
    for q in configs { sink += tree.linkPoses(q).count > 0 ? 1 : 0 }
    let t4 = DispatchTime.now().uptimeNanoseconds
    for q in configs { sink += tree.gravityTorques(q, gravity: Vec3(0, 0, -9.81)).values.reduce(0, +) }
    let t5 = DispatchTime.now().uptimeNanoseconds
    print(String(format: "tree %@: linkPoses %.2f µs/call, gravityTorques %.2f µs/call (checksum %.3f)", robot,
                 Double(t4 - t3) / Double(n) / 1000, Double(t5 - t4) / Double(n) / 1000, sink))
}

struct BenchmarkUsage: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
