import Foundation
import Testing
import Trajectory
import VLMath
@testable import Sim
import TestSupport

/// The Google Robot planner controller (simplerenv-tasks.md §3.3).
@Suite struct GoogleControllerTests {
    static let root = TestSupport.repoRoot.appendingPathComponent("scenes")

    /// A delta-pose action moves the measured TCP by about the commanded translation within a control period or two.
    @Test func translationActionMovesTheTCP() throws {
        try TestSupport.withODE {
            let assets = try TaskAssets(task: "google_pick_coke_can_horizontal", root: Self.root)
            let ep = try Episode(assets: assets, index: 0)
            let p0 = ep.robotState().tcpPose.p
            try ep.apply([0.05, 0, 0, 0, 0, 0, 0])
            try ep.apply([0, 0, 0, 0, 0, 0, 0])
            let p1 = ep.robotState().tcpPose.p
            print("TCP", p0, p1)
            #expect(abs((p1 - p0).x - 0.05) < 0.01)
            #expect(abs((p1 - p0).y) < 0.01 && abs((p1 - p0).z) < 0.01)
        }
    }
}
