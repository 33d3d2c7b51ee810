import Foundation
import Kinematics
import TestSupport
import VLMath

/// Runs the real Pinocchio (PyPI `pin`, in the test venv) on the same URDF file and a batch of configurations,
/// returning what it computes for each: every link frame's world pose, the TCP frame Jacobian
/// (LOCAL_WORLD_ALIGNED, columns of the chain's joints) and the generalized gravity of every joint.
///
/// Pinocchio 2.7 ignores `<mimic>` (a mimic joint becomes an independent DOF), so callers pass every movable
/// joint's value — mimic joints at `multiplier · q_master + offset` — and compare gravity per joint unfolded.
enum PinocchioOracle {
    struct Sample {
        var poses: [String: Pose]
        var rotations: [String: Mat3]
        var jacobian: [Double]  // row-major 6 × chain.count
        var gravity: [String: Double]
    }

    static let script = #"""
import json, sys
import numpy as np
import pinocchio as pin
req = json.load(sys.stdin)
model = pin.buildModelFromUrdf(req["urdf"])
data = model.createData()
names = list(model.names)
def qvec(qd):
    q = pin.neutral(model)
    for name, v in qd.items():
        q[model.joints[names.index(name)].idx_q] = v
    return q
fids = {l: model.getFrameId(l, pin.FrameType.BODY) for l in req["links"]}
tcp = model.getFrameId(req["tcp"], pin.FrameType.BODY)
cols = [model.joints[names.index(j)].idx_v for j in req["chain"]]
vnames = [None] * model.nv
for jid in range(1, model.njoints):
    vnames[model.joints[jid].idx_v] = names[jid]
out = []
for s in req["samples"]:
    q = qvec(s["q"])
    pin.framesForwardKinematics(model, data, q)
    poses = {}
    for l, f in fids.items():
        M = data.oMf[f]
        poses[l] = list(M.translation) + list(M.rotation.reshape(-1))
    J = pin.computeFrameJacobian(model, data, q, tcp, pin.LOCAL_WORLD_ALIGNED)[:, cols]
    model.gravity.linear = np.array(s["g"])
    g = pin.computeGeneralizedGravity(model, data, q)
    out.append({"poses": poses, "jacobian": list(J.reshape(-1)),
                "gravity": {vnames[i]: float(g[i]) for i in range(model.nv)}})
json.dump(out, sys.stdout)
"""#

    static func evaluate(urdf: URL, links: [String], tcp: String, chain: [String],
                         samples: [(q: [String: Double], gravity: Vec3)]) throws -> [Sample] {
        let request: [String: Any] = [
            "urdf": urdf.path, "links": links, "tcp": tcp, "chain": chain,
            "samples": samples.map { ["q": $0.q, "g": $0.gravity.array] as [String: Any] },
        ]
        let input = try JSONSerialization.data(withJSONObject: request)
        let output = try TestSupport.python(script, stdin: input)
        guard let rows = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] else {
            throw TestSupportError.pythonFailed("unexpected oracle output: \(output.prefix(200))")
        }
        return rows.map { row in
            var poses: [String: Pose] = [:], rotations: [String: Mat3] = [:]
            for (link, v) in row["poses"] as! [String: [Double]] {
                let r = Mat3(rows: Vec3(v[3], v[4], v[5]), Vec3(v[6], v[7], v[8]), Vec3(v[9], v[10], v[11]))
                poses[link] = Pose(p: Vec3(v[0], v[1], v[2]), q: Quat(r))
                rotations[link] = r
            }
            return Sample(poses: poses, rotations: rotations, jacobian: row["jacobian"] as! [Double],
                          gravity: row["gravity"] as! [String: Double])
        }
    }
}

/// Random configurations within the joint limits, mimic joints following their masters, and random gravity
/// directions of magnitude 9.81 (to exercise "gravity in the base frame").
func randomSamples(_ model: URDFModel, count: Int, seed: UInt64) -> [(q: [String: Double], gravity: Vec3)] {
    var rng = SeededRandom(seed: seed)
    let tree = KinematicTree(model)
    return (0..<count).map { _ in
        var q: [String: Double] = [:]
        for j in model.joints where j.type.isMovable && j.mimic == nil {
            let lo = j.limit.map { j.type == .continuous ? -Double.pi : $0.lower } ?? -.pi
            let hi = j.limit.map { j.type == .continuous ? Double.pi : $0.upper } ?? .pi
            q[j.name] = rng.uniform(lo, hi)
        }
        for j in model.joints where j.mimic != nil { q[j.name] = tree.position(of: j, in: q) }
        let g = Vec3(rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1) - 1.5).normalized * 9.81
        return (q, g)
    }
}
