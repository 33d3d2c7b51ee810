import Foundation
import Testing
import TestSupport

/// `vlaser-eval view` runs episodes through the same engine as `sim`: the task's own scripted expert, the filled-in
/// instruction sent to a remote policy, the protocol's variant.
@Suite(.serialized) struct ViewEngineTests {
    static let xvfb = "/usr/bin/xvfb-run"

    static func view(_ args: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.run(xvfb, ["-a", "-s", "-screen 0 1280x1024x24", TestSupport.cliExecutable, "view"] + args,
                            cwd: TestSupport.repoRoot)
    }

    /// One task of each Google family, played to the end with the scripted expert (episodes the expert solves in
    /// `sim`, docs/google-robot.md): the viewer must run that task's expert, not the WidowX pick-and-place.
    @Test(arguments: [("google_open_top_drawer", 0), ("google_close_middle_drawer", 0), ("google_pick_coke_can_vertical", 0),
                      ("google_move_near", 0), ("google_place_apple_in_closed_top_drawer", 0)])
    func theScriptedExpertOfTheTaskSucceeds(task: String, episode: Int) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.xvfb), "xvfb-run is missing: run scripts/install-deps.sh")
        let r = try Self.view(["--task", task, "--episode", "\(episode)", "--policy", "scripted", "--no-overlay", "--play",
                               "--steps-per-frame", "40", "--frames", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("google-robot/\(task)/urdf_default/\(episode)/0: success=true"), "\(task): \(r.stderr)")
    }

    @Test func aRemotePolicySeesTheFilledInInstruction() throws {
        let dir = try TestSupport.makeTempDir()
        let log = dir.appendingPathComponent("prompts.log")
        let server = dir.appendingPathComponent("logging_server.py")
        try """
            import json, sys
            import numpy as np
            import vlaser_policy_server as vps

            def infer(obs):
                with open(\(String(reflecting: log.path)), "a") as f:
                    f.write(json.dumps(str(obs.get("prompt"))) + "\\n")
                return {"actions": np.zeros((4, 7), dtype=np.float32)}

            vps.serve(infer, "openpi", "127.0.0.1", 0)
            """.write(to: server, atomically: true, encoding: .utf8)
        let peer = try Peer(script: server, [])
        let r = try Self.view(["--task", "google_move_near", "--episode", "3", "--policy", "ws://127.0.0.1:\(peer.port)",
                               "--policy-preset", "vlaser-simpler-google", "--no-overlay", "--play", "--frames", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let prompts = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(!prompts.isEmpty)
        for p in prompts {
            #expect(p.hasPrefix("\"move ") && p.contains(" near ") && !p.contains("{"), "sent \(p)")
        }
    }

    @Test func anUnknownVariantIsRefusedWithTheKnownOnes() throws {
        let r = try Self.view(["--task", "google_open_top_drawer", "--protocol", "variant-aggregation", "--variant", "nope",
                               "--frames", "1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown variant 'nope'") && r.stderr.contains("drawer_base"), "\(r.stderr)")
    }
}
