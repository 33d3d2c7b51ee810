import Foundation
import Sim

/// How remote policies are set up (`--policy-preset`, `--execute`, `--on-policy-error`); in-process policies ignore it.
public struct PolicyOptions: Codable, Sendable {
    public var preset: String?
    /// The suite's preset per scheme when `preset` is nil (`SuiteDefaults.policyPresets`).
    public var defaultPresets: [String: String] = [:]
    public var execute: Int?
    public var onError = OnPolicyError.skip
    public var scenesRoot = SceneLibrary.defaultRoot()
    public init() {}
}

/// Turns a `--policy` value into a policy: `scripted`, `zero`, `random`, `replay:PATH`, or a policy server URL
/// (`ws://`, `http://`, `tcp://`; docs/policy-servers.md).
public enum PolicyFactory {
    public static func make(_ spec: String, options: PolicyOptions = PolicyOptions()) throws -> Policy {
        switch spec {
        case "scripted": return ScriptedPolicy()
        case "zero": return ZeroPolicy()
        case "random": return RandomPolicy()
        default:
            if spec.hasPrefix("replay:") { return try ReplayPolicy(source: URL(fileURLWithPath: String(spec.dropFirst(7)))) }
            if RemotePolicy.isRemote(spec) {
                return try RemotePolicy.fromSpec(spec, preset: options.preset, defaultPresets: options.defaultPresets,
                                                 scenesRoot: options.scenesRoot, onError: options.onError, execute: options.execute)
            }
            throw PolicyError.unknown(spec)
        }
    }
}
