import Foundation
import Sim

/// Turns a `--policy` value into a policy: `scripted`, `zero`, `random`, `replay:PATH`, or a policy server URL
/// (`ws://`, `http://`, `tcp://`; docs/policy-servers.md).
public enum PolicyFactory {
    public static func make(_ spec: String) throws -> Policy {
        switch spec {
        case "scripted": return ScriptedExpert()
        case "zero": return ZeroPolicy()
        case "random": return RandomPolicy()
        default:
            if spec.hasPrefix("replay:") { return try ReplayPolicy(source: URL(fileURLWithPath: String(spec.dropFirst(7)))) }
            if RemotePolicy.isRemote(spec) { return try RemotePolicy.fromSpec(spec) }
            throw PolicyError.unknown(spec)
        }
    }
}
