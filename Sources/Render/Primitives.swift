import Foundation
import VLMath

/// Basic shapes, all centred at the origin, sizes as full extents. Surfaces of revolution run along +z.
public enum Primitives {
    /// An axis-aligned box with per-face normals and 0…1 UVs on every face.
    public static func box(_ size: Float3) -> Mesh {
        let h = size / 2
        var pos: [Float3] = [], nrm: [Float3] = [], uv: [Float2] = [], idx: [UInt32] = []
        // Each face: normal, and two in-plane axes (u, v) with u × v = normal.
        let faces: [(Float3, Float3, Float3)] = [
            (Float3(1, 0, 0), Float3(0, 1, 0), Float3(0, 0, 1)), (Float3(-1, 0, 0), Float3(0, -1, 0), Float3(0, 0, 1)),
            (Float3(0, 1, 0), Float3(-1, 0, 0), Float3(0, 0, 1)), (Float3(0, -1, 0), Float3(1, 0, 0), Float3(0, 0, 1)),
            (Float3(0, 0, 1), Float3(1, 0, 0), Float3(0, 1, 0)), (Float3(0, 0, -1), Float3(-1, 0, 0), Float3(0, 1, 0)),
        ]
        for (n, u, v) in faces {
            let base = UInt32(pos.count)
            for (su, sv) in [(Float(-1), Float(-1)), (1, -1), (1, 1), (-1, 1)] {
                pos.append((n + u * su + v * sv) * h); nrm.append(n); uv.append(Float2((su + 1) / 2, (sv + 1) / 2))
            }
            idx += [base, base + 1, base + 2, base, base + 2, base + 3]
        }
        return Mesh(positions: pos, normals: nrm, uvs: uv, indices: idx, closed: true)
    }

    /// A surface of revolution about z through profile points (z, radius), smooth normals along the profile,
    /// optional per-profile-point albedo. Ends with radius > 0 are closed with flat caps when `capped`.
    public static func lathe(_ profile: [(z: Float, r: Float)], segments: Int = 24, colors: [Float3]? = nil,
                             capped: Bool = true) -> Mesh {
        precondition(profile.count >= 2 && (colors == nil || colors!.count == profile.count))
        // Profile-plane normal (radial, axial) per point: average of adjacent segment normals.
        var pn = [Float2](repeating: .zero, count: profile.count)
        for i in 0..<(profile.count - 1) {
            let dz = profile[i + 1].z - profile[i].z, dr = profile[i + 1].r - profile[i].r
            let n = Float2(dz, -dr) / max(1e-9, (dz * dz + dr * dr).squareRoot())
            pn[i] += n; pn[i + 1] += n
        }
        var pos: [Float3] = [], nrm: [Float3] = [], uv: [Float2] = [], col: [Float3] = [], idx: [UInt32] = []
        for (i, p) in profile.enumerated() {
            let n2 = pn[i] / max(1e-9, (pn[i] * pn[i]).sum().squareRoot())
            for s in 0...segments {
                let a = Float(s) / Float(segments) * 2 * .pi
                let c = cos(a), sn = sin(a)
                pos.append(Float3(p.r * c, p.r * sn, p.z)); nrm.append(Float3(n2.x * c, n2.x * sn, n2.y))
                uv.append(Float2(Float(s) / Float(segments), Float(i) / Float(profile.count - 1)))
                col.append(colors?[i] ?? Float3(1, 1, 1))
            }
        }
        let ring = UInt32(segments + 1)
        for i in 0..<UInt32(profile.count - 1) {
            for s in 0..<UInt32(segments) {
                let a = i * ring + s, b = a + 1, c = a + ring, d = c + 1
                idx += [a, b, d, a, d, c]
            }
        }
        // Closed when each end lies on the axis or gets a cap.
        let closed = profile[0].r < 1e-6 && profile[profile.count - 1].r < 1e-6 || capped
        var parts = [Mesh(positions: pos, normals: nrm, uvs: uv, colors: col, indices: idx, closed: closed)]
        if capped {
            for (end, up) in [(0, Float(-1)), (profile.count - 1, Float(1))] where profile[end].r > 1e-6 {
                parts.append(disk(radius: profile[end].r, z: profile[end].z, up: up, segments: segments,
                                  color: colors?[end] ?? Float3(1, 1, 1)))
            }
        }
        return Mesh.merged(parts)
    }

    /// A flat disk in the plane z = `z`, facing +z (`up` = 1) or −z.
    static func disk(radius: Float, z: Float, up: Float, segments: Int, color: Float3) -> Mesh {
        var pos = [Float3(0, 0, z)], uv = [Float2(0.5, 0.5)], idx: [UInt32] = []
        for s in 0...segments {
            let a = Float(s) / Float(segments) * 2 * .pi
            pos.append(Float3(radius * cos(a), radius * sin(a), z)); uv.append(Float2(0.5 + cos(a) / 2, 0.5 + sin(a) / 2))
        }
        for s in 1...UInt32(segments) { idx += up > 0 ? [0, s, s + 1] : [0, s + 1, s] }
        return Mesh(positions: pos, normals: Array(repeating: Float3(0, 0, up), count: pos.count), uvs: uv,
                    colors: Array(repeating: color, count: pos.count), indices: idx, closed: true)
    }

    public static func cylinder(radius: Float, length: Float, segments: Int = 24) -> Mesh {
        lathe([(-length / 2, radius), (length / 2, radius)], segments: segments)
    }

    /// Profile of a half circle from the south pole to the north pole, centred at `z0`.
    static func hemiProfile(radius: Float, z0: Float, from a0: Float, to a1: Float, steps: Int) -> [(z: Float, r: Float)] {
        (0...steps).map { k in
            let a = a0 + (a1 - a0) * Float(k) / Float(steps)
            return (z0 - radius * cos(a), max(0, radius * sin(a)))
        }
    }

    public static func sphere(radius: Float, segments: Int = 24) -> Mesh {
        lathe(hemiProfile(radius: radius, z0: 0, from: 0, to: .pi, steps: segments / 2), segments: segments, capped: false)
    }

    /// A capsule along z: total length `length` including the two hemispherical ends.
    public static func capsule(radius: Float, length: Float, segments: Int = 24) -> Mesh {
        let half = max(0, length / 2 - radius), steps = segments / 4
        let bottom = hemiProfile(radius: radius, z0: -half, from: 0, to: .pi / 2, steps: steps)
        let top = hemiProfile(radius: radius, z0: half, from: .pi / 2, to: .pi, steps: steps)
        return lathe(bottom + top, segments: segments, capped: false)
    }

    /// Rotation taking the primitives' +z axis onto the named body axis ("x", "y" or "z").
    public static func axisRotation(_ axis: String) -> Quat? {
        switch axis {
        case "x": return Quat(axis: Vec3(0, 1, 0), angle: .pi / 2)
        case "y": return Quat(axis: Vec3(1, 0, 0), angle: -.pi / 2)
        case "z": return .identity
        default: return nil
        }
    }
}
