import Foundation
import Physics
import VLMath

/// Who owns a collision geom, for contact-based predicates.
public enum Actor: Hashable, Sendable {
    case robot(link: String)
    case object(role: String)
    case prop(name: String)

    var isRobot: Bool { if case .robot = self { return true } else { return false } }
}

/// The last physics sub-step's contacts, grouped by actor (SimplerEnv scores contacts from the last sub-step, §1.5).
struct ContactQuery {
    let contacts: [ContactRecord]
    let actorOf: [GeomHandle: Actor]

    /// Summed impulse acting on `a` from each other actor it touches.
    func impulses(on a: Actor) -> [Actor: Vec3] {
        var out: [Actor: Vec3] = [:]
        for c in contacts {
            guard let x = actorOf[c.geomA], let y = actorOf[c.geomB] else { continue }
            if x == a { out[y, default: .zero] += c.impulseOnA } else if y == a { out[x, default: .zero] -= c.impulseOnA }
        }
        return out
    }

    /// Positions of every contact between `a` and an actor matching `other` (RoboTwin reads contact points, not
    /// impulses: any touching pair counts).
    func positions(between a: Actor, and other: (Actor) -> Bool) -> [Vec3] {
        contacts.compactMap { c in
            guard let x = actorOf[c.geomA], let y = actorOf[c.geomB] else { return nil }
            return (x == a && other(y)) || (y == a && other(x)) ? c.position : nil
        }
    }

    /// Summed impulse acting on any of `links` (robot) from actor `other`.
    func impulse(onRobotLinks links: [String], from other: Actor) -> Vec3 {
        var j = Vec3.zero
        for link in links { j += impulses(on: .robot(link: link))[other] ?? .zero }
        return j
    }
}
