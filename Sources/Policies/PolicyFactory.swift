import Foundation
import Sim

/// Turns a `--policy` value into a policy: `scripted`, `zero`, `random`, `replay:PATH`.
public enum PolicyFactory {
    public static func make(_ spec: String) throws -> Policy {
        switch spec {
        case "scripted": return ScriptedPolicy()
        case "zero": return ZeroPolicy()
        case "random": return RandomPolicy()
        default:
            if spec.hasPrefix("replay:") { return try ReplayPolicy(source: URL(fileURLWithPath: String(spec.dropFirst(7)))) }
            throw PolicyError.unknown(spec)
        }
    }
}
