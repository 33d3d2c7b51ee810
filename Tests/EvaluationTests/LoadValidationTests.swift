import Foundation
import Testing
import TestSupport

/// Bad scenes/ data is found when the run loads, before episode 0: exit 2, one line naming the file and the field,
/// and no episode written.
@Suite struct LoadValidationTests {
    /// Runs `sim` on an edited copy of scenes/ and returns (exit status, stderr, whether any episode was written).
    static func run(_ file: String, replacing old: String, with new: String, suite: String = "widowx",
                    task: String = "widowx_carrot_on_plate") throws -> (Int32, String, Bool) {
        let edited = try TestSupport.editedScenes(file, replacing: old, with: new)
        let out = try TestSupport.makeTempDir().appendingPathComponent("run")
        let r = try TestSupport.cli(["sim", "--suite", suite, "--task", task, "--episodes", "0", "--protocol", "physics-only",
                                     "--scenes", edited.scenes.path, "--out", out.path])
        let wrote = FileManager.default.fileExists(atPath: out.appendingPathComponent("episodes.jsonl").path)
        return (r.status, r.stderr, wrote)
    }

    @Test func anUnknownKeyIsAnError() throws {
        // A misspelt optional key (`xy_margn`) used to be ignored silently.
        let (status, err, wrote) = try Self.run("tasks/widowx_carrot_on_plate.json", replacing: "\"xy_margin\"", with: "\"xy_margn\"")
        #expect(status == 2 && !wrote)
        #expect(err.contains("widowx_carrot_on_plate.json: field 'success.xy_margn': unknown key"), "\(err)")
        #expect(err.split(separator: "\n").count == 1, "\(err)")
    }

    @Test func anUnknownKeyInAnExtendedFileIsAnError() throws {
        let (status, err, wrote) = try Self.run("tasks/google_open_top_drawer.json", replacing: "\"instruction\"",
                                                with: "\"instruktion\": \"x\", \"instruction\"", suite: "google-robot",
                                                task: "google_open_top_drawer")
        #expect(status == 2 && !wrote)
        #expect(err.contains("google_open_top_drawer.json: field 'instruktion': unknown key"), "\(err)")
    }

    @Test func aControllerWithAMissingGainFailsBeforeAnyEpisode() throws {
        let (status, err, wrote) = try Self.run("setups/widowx_flat_table.json", replacing: "1169.7891719504198,", with: "")
        #expect(status == 2 && !wrote)
        #expect(err.contains("widowx_flat_table.json: field 'controller.arms.arm.gains.stiffness': needs 6 values (one per joint), got 5"), "\(err)")
    }

    @Test func aPredicateMissingAThresholdFailsBeforeAnyEpisode() throws {
        let (status, err, wrote) = try Self.run("tasks/google_pick_coke_can_horizontal.json",
                                                replacing: "\"significant_lift\": 0.02,", with: "", suite: "google-robot",
                                                task: "google_pick_coke_can_horizontal")
        #expect(status == 2 && !wrote)
        #expect(err.contains("google_pick_coke_can_horizontal.json: field 'success.thresholds.significant_lift': is required for kind lift"), "\(err)")
    }

    @Test func anUnknownControllerKindListsTheKnownOnes() throws {
        let (status, err, _) = try Self.run("setups/widowx_flat_table.json", replacing: "\"ee_target_delta_pose_align2\"",
                                            with: "\"ee_target_delta\"")
        #expect(status == 2)
        #expect(err.contains("field 'controller.kind': unknown controller 'ee_target_delta' (known: ee_delta_pose_align_interpolate_by_planner, ee_target_delta_pose_align2, joint_position_move)"), "\(err)")
    }

    @Test func anInitialJointOutsideTheRobotIsAnError() throws {
        let (status, err, _) = try Self.run("setups/widowx_flat_table.json", replacing: "\"waist\": -0.01840777",
                                            with: "\"waist\": 1e30")
        #expect(status == 2)
        #expect(err.contains("widowx_flat_table.json: field 'initial_qpos.waist'"), "\(err)")
    }
}
