import Foundation
import Kinematics
import Testing
import TestSupport
import VLMath

/// IK round trips: targets from FK of random configurations, solved from perturbed seeds.
@Suite struct InverseKinematicsTests {
    static func chain(_ robot: String, _ base: String, _ tip: String) throws -> KinematicChain {
        try KinematicChain(model: RobotFiles.load(robot), base: base, tip: tip)
    }

    func withinLimits(_ chain: KinematicChain, _ q: [Double]) -> Bool {
        q.indices.allSatisfy { q[$0] >= chain.lowerLimits[$0] && q[$0] <= chain.upperLimits[$0] }
    }

    @Test(arguments: [("widowx_250s", "base_link", "ee_gripper_link", 0.2),
                      ("google_robot", "link_base", "link_gripper_tcp", 0.2)])
    func roundTripsConverge(robot: String, base: String, tip: String, perturbation: Double) throws {
        let chain = try Self.chain(robot, base, tip)
        var rng = SeededRandom(seed: 42)
        let trials = 1000
        var converged = 0
        for _ in 0..<trials {
            let q = (0..<chain.dof).map { rng.uniform(chain.lowerLimits[$0], chain.upperLimits[$0]) }
            let seed = (0..<chain.dof).map {
                (q[$0] + rng.uniform(-perturbation, perturbation)).clamped(chain.lowerLimits[$0], chain.upperLimits[$0])
            }
            let target = chain.forward(q)
            let r = chain.inverse(target: target, seed: seed)
            #expect(withinLimits(chain, r.q))
            #expect(r.iterations <= 100)
            // The reported errors are the real errors of the returned configuration.
            let reached = chain.forward(r.q)
            #expect(abs((reached.p - target.p).norm - r.positionError) < 1e-12)
            #expect(abs((target.q * reached.q.conjugate).angle - r.rotationError) < 1e-9)
            if r.converged {
                #expect(r.positionError < 1e-4 && r.rotationError < 1e-3)
                converged += 1
            } else {
                #expect(r.positionError >= 1e-4 || r.rotationError >= 1e-3)
            }
        }
        #expect(Double(converged) >= 0.99 * Double(trials), "\(robot): \(converged)/\(trials) converged")
    }

    @Test func unreachableTargetFailsWithinLimits() throws {
        let chain = try Self.chain("widowx_250s", "base_link", "ee_gripper_link")
        let seed = [0.1, 0.2, 0.3, 0.0, 1.0, 0.0]
        let r = chain.inverse(target: Pose(p: Vec3(1.5, 0.2, 0.3)), seed: seed)
        #expect(!r.converged)
        #expect(r.positionError > 0.5)
        #expect(withinLimits(chain, r.q))
        #expect(r.iterations <= 100)
    }

    @Test func seedAtSolutionTakesNoIterations() throws {
        let chain = try Self.chain("widowx_250s", "base_link", "ee_gripper_link")
        let q = [-0.01840777, 0.0398835, 0.22242722, -0.00460194, 1.36524296, 0.00153398]  // §2.1 flat table
        let r = chain.inverse(target: chain.forward(q), seed: q)
        #expect(r.converged && r.iterations == 0 && r.q == q)
    }

    /// A small base-frame delta like one policy action (1 cm, 0.05 rad) is solved in a few iterations.
    @Test func smallDeltaConvergesQuickly() throws {
        let chain = try Self.chain("widowx_250s", "base_link", "ee_gripper_link")
        let q = [-0.01840777, 0.0398835, 0.22242722, -0.00460194, 1.36524296, 0.00153398]
        let start = chain.forward(q)
        let target = Pose(p: start.p + Vec3(0.01, -0.005, 0.008),
                          q: Quat(rotationVector: Vec3(0.02, 0.05, -0.03)) * start.q)
        let r = chain.inverse(target: target, seed: q)
        #expect(r.converged)
        #expect(r.iterations <= 6, "took \(r.iterations) iterations")
    }

    /// The Jacobian is the derivative of FK: central differences agree.
    @Test func jacobianMatchesFiniteDifferences() throws {
        let chain = try Self.chain("widowx_250s", "base_link", "ee_gripper_link")
        var rng = SeededRandom(seed: 5)
        for _ in 0..<20 {
            let q = (0..<chain.dof).map { rng.uniform(chain.lowerLimits[$0], chain.upperLimits[$0]) }
            let j = chain.jacobian(q)
            let h = 1e-6
            for k in 0..<chain.dof {
                var qp = q, qm = q
                qp[k] += h; qm[k] -= h
                let a = chain.forward(qp), b = chain.forward(qm)
                let v = (a.p - b.p) / (2 * h)
                let w = (a.q * b.q.conjugate).rotationVector / (2 * h)
                for r in 0..<3 {
                    #expect(abs(j[r, k] - v[r]) < 1e-7)
                    #expect(abs(j[r + 3, k] - w[r]) < 1e-7)
                }
            }
        }
    }
}
