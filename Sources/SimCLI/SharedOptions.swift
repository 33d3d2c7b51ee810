import ArgumentParser
import Foundation
import Policies
import Sim

/// The policy flags `sim` and `view` share: which policy, and how a remote one is set up.
public struct PolicyFlags: ParsableArguments {
    public init() {}
    @Option(help: "Policy: scripted | zero | random | replay:FILE_OR_RUN_DIR | ws://HOST:PORT | http://HOST:PORT/act | tcp://HOST:PORT.")
    public var policy = "scripted"
    @Option(help: "Remote policy preset: a name under scenes/policy-presets/ or a JSON file (default: the suite's, scenes/suites.json; docs/policy-servers.md).")
    public var policyPreset: String?
    @Option(help: "Remote policy: execute K actions of each predicted chunk (default: the preset's).") public var execute: Int?

    /// The policy set-up; remote policies without `--policy-preset` take the suite's default preset.
    public func options(scenesRoot: URL, suite: String) throws -> PolicyOptions {
        var o = PolicyOptions()
        o.preset = policyPreset
        o.execute = execute
        o.scenesRoot = scenesRoot
        o.defaultPresets = try SuiteDefaults.load(suite: suite, root: scenesRoot).policyPresets
        return o
    }
}

/// The scene flags `sim` and `view` share: where the data lives, the protocol, the photo, the seed.
public struct SceneFlags: ParsableArguments {
    public init() {}
    @Option(name: .customLong("protocol"), help: "Evaluation protocol: visual-matching, variant-aggregation (google-robot) or physics-only (no photos; for experts and CI). Default: the suite's SimplerEnv protocol, visual-matching (SimplerEnv scripts/*_visual_matching.sh).")
    public var protocolName: String?
    @Option(help: "Visual matching: use this photo instead of each task's default overlay.") public var overlay: String?
    @Option(help: "Base seed; each episode's seed is a hash of its id and this.") public var seed = 0
    @Option(help: "Scenes directory (default: ./scenes or the installed copy).") public var scenes: String?
    @Option(help: "Robot set-up replacing each task's (a name under scenes/setups/), e.g. aloha_agilex_ee for RoboTwin's end-effector actions.")
    public var setup: String?

    public var scenesRoot: URL { scenes.map { URL(fileURLWithPath: $0) } ?? SceneLibrary.defaultRoot() }
}
