import Foundation
import VLMath

/// One generated contact between a box and a convex hull, in world coordinates. `separation` < 0 is penetration;
/// `separation` > 0 is a speculative contact within the contact offset (nothing touches yet).
struct HullContact {
    var position: Vec3
    /// Unit normal pointing from the box into the hull.
    var normal: Vec3
    var separation: Double
}

/// Contacts between a box (finger pad, table, drawer wall) and a convex hull (SimplerEnv's collision pieces), the
/// way PhysX builds them for SimplerEnv: every feature pair closer than the contact offset (5 mm in the Bridge and
/// move-near scenes, simplerenv-tasks.md §1.1) becomes a contact, so a rounded hull squeezed between flat pads is
/// supported on a patch of points around the touching spot. ODE's own trimesh–box collider returns only the
/// overlapping points: on the spoon's rounded hull one point per pad, about which the spoon swings out of the hand
/// (docs/collision.md, grasp-rig study). Candidates:
/// - hull vertices near the box, with the exact point–box distance and its normal;
/// - the ends of each box edge's stretch inside the hull grown by the offset, with the plane distance and normal of
///   the face they are farthest outside of (box corners are such ends).
/// The deepest candidate and the ones spreading farthest from the chosen set are kept (at most `maxContacts`).
enum BoxHullContacts {
    static func generate(boxSize: Vec3, boxPose: Pose, hull: ConvexHull, hullPose: Pose, offset: Double,
                         maxContacts: Int) -> (contacts: [HullContact], patchRadius: Double) {
        let h = boxSize / 2
        let toBox = boxPose.inverse * hullPose
        let rBox = Mat3(boxPose.q)
        var candidates: [HullContact] = []
        // Hull vertices against the box (box frame): clamp to the box for the closest point.
        for v in hull.vertices {
            let p = toBox.apply(v)
            let clamped = Vec3(p.x.clamped(-h.x, h.x), p.y.clamped(-h.y, h.y), p.z.clamped(-h.z, h.z))
            let outside = p - clamped
            let normal: Vec3, separation: Double
            if outside.norm > 0 {
                separation = outside.norm
                guard separation <= offset else { continue }
                normal = outside / separation
            } else {
                // Inside: leave through the nearest face.
                let gaps = [h.x - abs(p.x), h.y - abs(p.y), h.z - abs(p.z)]
                let i = gaps.indices.min { gaps[$0] < gaps[$1] }!
                var n = Vec3.zero; n[i] = p[i] >= 0 ? 1 : -1
                normal = n; separation = -gaps[i]
            }
            candidates.append(HullContact(position: boxPose.apply(p), normal: rBox * normal, separation: separation))
        }
        // Box edges against the hull (hull frame): each edge clipped to the hull grown by the offset (Cyrus–Beck), its
        // clipped ends are contacts on the face whose plane they are farthest outside of. This catches a pad edge
        // pressed into a hull face, which no vertex of either shape touches.
        let toHull = hullPose.inverse * boxPose
        let rHull = Mat3(hullPose.q)
        let corners = (0..<8).map { k in toHull.apply(Vec3(k & 1 == 0 ? -h.x : h.x, k & 2 == 0 ? -h.y : h.y, k & 4 == 0 ? -h.z : h.z)) }
        let firstEdgeContact = candidates.count
        for (i, j) in boxEdges {
            guard let (t0, t1) = clip(from: corners[i], to: corners[j], hull: hull, grow: offset) else { continue }
            for t in t0 == t1 ? [t0] : [t0, t1] {
                let c = corners[i] + (corners[j] - corners[i]) * t
                var best = -Double.infinity, face = 0
                for (f, plane) in hull.planes.enumerated() {
                    let d = plane.normal.dot(c) - plane.offset
                    if d > best { best = d; face = f }
                }
                guard best <= offset else { continue }
                if best > 0 && !hull.faceContainsProjection(face, of: c) { continue }  // an edge or vertex region
                let n = hull.planes[face].normal
                let contact = HullContact(position: hullPose.apply(c - n * max(best, 0)), normal: rHull * (-n), separation: best)
                // A box corner ends three edges: it becomes one contact. The same row two or three times makes the
                // LCP of dWorldStep singular; squeezed at 60 N·m, its "LCP internal error" answers threw the Google
                // Robot's 20 g can out of the hand at hundreds of rad/s (docs/collision.md).
                if candidates[firstEdgeContact...].contains(where: { ($0.position - contact.position).norm < samePoint }) { continue }
                candidates.append(contact)
            }
        }
        return (reduce(candidates, to: maxContacts), patchRadius(candidates))
    }

    /// Half the extent of the contact patch (every candidate, touching or within the offset) across the normal of
    /// the deepest contact. PhysX applies a patch's friction at up to two anchors spread over the patch, limited by
    /// the patch's total normal force, so a hull squeezed at one point of a pad still resists turning about the
    /// squeeze axis by μ·N·(patch radius); ODE's per-point friction cannot, so contacts carry that as spin friction.
    static func patchRadius(_ all: [HullContact]) -> Double {
        guard let deepest = all.min(by: { $0.separation < $1.separation }) else { return 0 }
        let n = deepest.normal
        var lo = Vec3(.infinity, .infinity, .infinity), hi = -lo
        for c in all {
            let d = c.position - deepest.position
            let p = d - n * n.dot(d)
            lo = Vec3(min(lo.x, p.x), min(lo.y, p.y), min(lo.z, p.z)); hi = Vec3(max(hi.x, p.x), max(hi.y, p.y), max(hi.z, p.z))
        }
        return (hi - lo).norm / 2
    }

    /// Edge ends closer than this (m) are one point: a corner reached along its three edges, up to rounding.
    static let samePoint = 1e-7

    /// The 12 edges of a box as corner pairs (corner k has bit 0/1/2 set for +x/+y/+z).
    static let boxEdges: [(Int, Int)] = [(0, 1), (2, 3), (4, 5), (6, 7), (0, 2), (1, 3), (4, 6), (5, 7), (0, 4), (1, 5), (2, 6), (3, 7)]

    /// The parameter interval [t0, t1] ⊂ [0, 1] of segment a→b inside the hull grown by `grow` (nil when outside).
    static func clip(from a: Vec3, to b: Vec3, hull: ConvexHull, grow: Double) -> (Double, Double)? {
        var t0 = 0.0, t1 = 1.0
        let d = b - a
        for plane in hull.planes {
            let denom = plane.normal.dot(d), num = plane.offset + grow - plane.normal.dot(a)
            if abs(denom) < 1e-15 {
                if num < 0 { return nil }
            } else if denom > 0 {
                t1 = min(t1, num / denom)
            } else {
                t0 = max(t0, num / denom)
            }
            if t0 > t1 { return nil }
        }
        return (t0, t1)
    }

    /// The deepest contact, then repeatedly the one farthest from all chosen (spreads the support patch).
    static func reduce(_ all: [HullContact], to n: Int) -> [HullContact] {
        guard all.count > n, let first = all.indices.min(by: { all[$0].separation < all[$1].separation }) else { return all }
        var chosen = [all[first]]
        var distance = all.map { ($0.position - all[first].position).norm }
        while chosen.count < n {
            let i = distance.indices.max { distance[$0] < distance[$1] }!
            guard distance[i] > 0 else { break }
            chosen.append(all[i])
            for j in all.indices { distance[j] = min(distance[j], (all[j].position - all[i].position).norm) }
        }
        return chosen
    }
}
