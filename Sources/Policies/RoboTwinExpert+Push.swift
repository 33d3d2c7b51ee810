import Foundation
import VLMath

/// Pushing an object clear before a top grasp, as a person slides a box off the edge of a tray before picking it up:
/// when an open pad of the planned grasp would come down on another object (the fries beside the tray's rim in
/// place_burger_fries), the closed gripper first pushes the object, at a low height, the shortest distance along one of
/// its sides that frees both pads. The plan reasons on the scene as it will be after the push (`Scene.moving`) and
/// its grasp tracks the object's `middle` point, so it closes wherever the pushed object came to rest.
extension RoboTwinExpert {
    /// The aloha-agilex jaw (scenes/robots/aloha_agilex.urdf, fl_link7/fl_link8 collision boxes 0.07 × 0.02 × 0.02 at
    /// joint offset ±0.0245 and box offset ∓0.013): each pad is 2 cm thick along the jaw and 2 cm wide across it; open
    /// (joints at 0.045) its outer face is 0.0665 m from the jaw's centre; closed, the two pads span ±0.0215 m.
    static let padThickness = 0.02
    static let padWidth = 0.02
    static let openPadReach = 0.0665
    static let closedJawHalf = 0.0215
    /// Our tuning (not from a spec): how far an open pad coming down must stay from another object's outline; how far
    /// from the pushed face the pusher comes down; one push waypoint per `pushStep`, so each joint move stays close to
    /// the straight line; the longest push tried, and the step of the search for the shortest.
    static let graspClearance = 0.005
    static let pushStandoff = 0.01
    static let pushStep = 0.02
    static let maxPush = 0.12
    static let pushResolution = 0.002

    /// A rectangle on the table: centre, the heading of its first side (radians from world x) and half sides.
    struct Footprint {
        var centre: Vec3, heading: Double, half: (Double, Double)

        var axes: [Vec3] { [Vec3(cos(heading), sin(heading), 0), Vec3(-sin(heading), cos(heading), 0)] }
        /// Half the rectangle's extent along horizontal unit `axis`.
        func radius(along axis: Vec3) -> Double {
            let a = axes
            return half.0 * abs(a[0].dot(axis)) + half.1 * abs(a[1].dot(axis))
        }
        /// Separating-axis test of two rectangles.
        func overlaps(_ o: Footprint) -> Bool {
            let d = Vec3(o.centre.x - centre.x, o.centre.y - centre.y, 0)
            return (axes + o.axes).allSatisfy { abs(d.dot($0)) < radius(along: $0) + o.radius(along: $0) }
        }
        func grown(by m: Double) -> Footprint { Footprint(centre: centre, heading: heading, half: (half.0 + m, half.1 + m)) }
        func moved(by v: Vec3) -> Footprint { Footprint(centre: centre + v, heading: heading, half: half) }
    }

    /// The open jaw's two pads for a top grasp at `p` with the jaw along `jaw`.
    static func openPads(at p: Vec3, jaw: Double) -> [Footprint] {
        let u = Vec3(cos(jaw), sin(jaw), 0), r = openPadReach - padThickness / 2
        return [p + u * r, p - u * r].map { Footprint(centre: $0, heading: jaw, half: (padThickness / 2, padWidth / 2)) }
    }

    /// The push that lets a top grasp of `role` at `grasp` (jaw along `jaw`) come down without an open pad landing on
    /// another object taller than the pad tips: none when the grasp is clear already or no push up to `maxPush`
    /// clears it (the grasp is then tried as planned). Of the object's four sides, the push may start only where the
    /// closed gripper comes down clear of every object, must not drive the object into one, and is the shortest.
    /// Returns the pusher's waypoints (the acting arm's) and how far the object is expected to move.
    static func clearingPush(_ s: Scene, _ role: String, grasp: Vec3, jaw: Double) throws -> (waypoints: [Waypoint], moved: Vec3) {
        let tips = grasp.z - padBelowTCP
        let others = try s.frames.keys.sorted().filter { try $0 != role && s.top($0) > tips }.map { try s.footprint($0) }
        let near = others.map { $0.grown(by: graspClearance) }
        func clear(_ f: Footprint, of list: [Footprint]) -> Bool { !list.contains { $0.overlaps(f) } }
        func padsClear(_ v: Vec3) -> Bool { openPads(at: grasp + v, jaw: jaw).allSatisfy { clear($0, of: near) } }
        guard !padsClear(.zero) else { return ([], .zero) }
        let body = try s.body(role)
        var best: (side: Double, pusher: Footprint, distance: Double)?
        for side in (0..<4).map({ body.heading + Double($0) * .pi / 2 }) {
            let d = Vec3(cos(side), sin(side), 0)
            let pusher = Footprint(centre: body.centre - d * (body.radius(along: d) + pushStandoff + padWidth / 2),
                                   heading: side + .pi / 2, half: (closedJawHalf, padWidth / 2))
            guard clear(pusher, of: near) else { continue }
            var k = pushResolution
            while k <= maxPush && k < best?.distance ?? .infinity {
                let v = d * k
                guard clear(body.moved(by: v), of: others), clear(pusher.moved(by: v + d * pushStandoff), of: others) else { break }
                if padsClear(v) { best = (side, pusher, k); break }
                k += pushResolution
            }
        }
        guard let b = best else { return ([], .zero) }
        let d = Vec3(cos(b.side), sin(b.side), 0), pusherJaw = Self.jaw(across: b.pusher.heading)
        let from = Vec3(b.pusher.centre.x, b.pusher.centre.y, graspHeight(tableTop))
        let travel = d * (pushStandoff + b.distance), up = Vec3(0, 0, approachHeight)
        let n = Int((travel.norm / pushStep).rounded(.up))
        let back = from + travel - d * pushStandoff
        let path = [from + up, from] + (1...n).map { from + travel * (Double($0) / Double(n)) } + [back, back + up]
        return (path.map { Waypoint(at: $0, jaw: pusherJaw, gripper: 0) }, d * b.distance)
    }
}

extension RoboTwinExpert.Scene {
    typealias Footprint = RoboTwinExpert.Footprint

    /// Where an object stands on the table: its bounds box seen from above (turned about z; a box tipped over is
    /// taken as the world-aligned box around it).
    func footprint(_ role: String) throws -> Footprint {
        guard let b = bounds[role], let h = halfExtents[role] else { throw PolicyError.missingPrivilegedState }
        guard abs(b.q.act(.unitZ).z) > 0.99 else {
            let a = b.q.boundingHalfExtents(h)
            return Footprint(centre: b.p, heading: 0, half: (a.x, a.y))
        }
        let x = b.q.act(.unitX)
        return Footprint(centre: b.p, heading: atan2(x.y, x.x), half: (h.x, h.y))
    }

    /// An upright object's body: the rectangle centred on its `middle` point (the bounds' centre without one) that
    /// fits its footprint — the bounds of primitives are centred on the model origin, so an off-centre body (the fries
    /// carton, origin at its base end) has a footprint reaching past its far side by its offset.
    func body(_ role: String) throws -> Footprint {
        let f = try footprint(role), centre = points[role]?["middle"] ?? f.centre
        let off = centre - f.centre, a = f.axes
        return Footprint(centre: centre, heading: f.heading,
                         half: (f.half.0 - abs(off.dot(a[0])), f.half.1 - abs(off.dot(a[1]))))
    }

    /// The scene with `role` moved by `v` (where a push is expected to leave it).
    func moving(_ role: String, by v: Vec3) -> Self {
        func shift(_ p: Pose) -> Pose { Pose(p: p.p + v, q: p.q) }
        var frames = frames, points = points, bounds = bounds
        frames[role] = frames[role].map(shift)
        bounds[role] = bounds[role].map(shift)
        points[role] = points[role]?.mapValues { $0 + v }
        return Self(frames: frames, points: points, bounds: bounds, halfExtents: halfExtents, arm: arm)
    }
}
