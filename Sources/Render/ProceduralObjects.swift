import Foundation
import ImageIO
import VLMath

/// Stand-ins for the SimplerEnv objects, shaped and coloured like the real ones so a policy trained on Bridge or
/// RT-1 images sees something familiar. Every mesh is fitted to the requested bounding box (full extents,
/// centred at the origin); the sizes are data (each object's `visual.size` in scenes/objects).
public enum ProceduralObjects {
    public static let names = ["apple", "basket", "bottle", "can", "carrot", "cube", "eggplant", "orange", "plate",
                               "sink", "sponge", "spoon", "towel"]

    /// Can liveries: body colour and band colour (variant names as in the model ids, e.g. `opened_pepsi_can`).
    static let cans: [String: (Float3, Float3)] = [
        "coke": (Float3(0.80, 0.05, 0.07), Float3(0.95, 0.95, 0.95)), "pepsi": (Float3(0.05, 0.18, 0.60), Float3(0.85, 0.10, 0.12)),
        "7up": (Float3(0.10, 0.55, 0.20), Float3(0.95, 0.90, 0.20)), "sprite": (Float3(0.15, 0.55, 0.30), Float3(0.75, 0.80, 0.85)),
        "fanta": (Float3(0.95, 0.45, 0.05), Float3(0.10, 0.25, 0.65)), "redbull": (Float3(0.25, 0.35, 0.65), Float3(0.78, 0.78, 0.80)),
    ]

    /// Builds a named object. Throws for an unknown name or variant.
    /// `color` replaces the object's main colour (the carrot's orange, a can's body, the cube, …); accents stay.
    public static func make(_ name: String, size: Float3, variant: String? = nil, color: Float3? = nil) throws -> (Mesh, Material) {
        let white = Material(rgb: 1, 1, 1)
        switch name {
        case "carrot":
            // Tapered root along +x: pointed tip at −x, thick shoulder, then a short green leaf stub.
            let orange = color ?? Float3(0.93, 0.42, 0.08), green = Float3(0.20, 0.55, 0.15)
            let zs: [Float] = [0, 0.1, 0.3, 0.5, 0.7, 0.82, 0.86, 0.88, 1.0]
            let rs: [Float] = [0.02, 0.25, 0.5, 0.72, 0.92, 1.0, 0.9, 0.45, 0.35]
            let cols = zs.map { $0 > 0.865 ? green : orange }
            return (lathe(zs, rs, cols, along: "x").fitted(to: size), white)
        case "eggplant":
            let purple = color ?? Float3(0.26, 0.08, 0.30), calyx = Float3(0.25, 0.45, 0.15)
            let zs: [Float] = [0, 0.05, 0.2, 0.45, 0.65, 0.8, 0.88, 0.9, 1.0]
            let rs: [Float] = [0.3, 0.75, 1.0, 0.9, 0.7, 0.55, 0.5, 0.25, 0.12]
            return (lathe(zs, rs, zs.map { $0 > 0.87 ? calyx : purple }, along: "x").fitted(to: size), white)
        case "spoon":
            let bowl = Primitives.sphere(radius: 1).transformed(pose: Pose(p: Vec3(0.045, 0, 0.004)), scale: Float3(0.025, 0.0173, 0.008))
            let handle = Primitives.box(Float3(0.095, 0.011, 0.004))
                .transformed(pose: Pose(p: Vec3(-0.022, 0, 0.008), q: Quat(axis: Vec3(0, 1, 0), angle: 0.2)))
            return (Mesh.merged([bowl, handle]).fitted(to: size), Material(baseColor: color ?? Float3(0.72, 0.72, 0.75)))
        case "towel":
            return (Primitives.box(Float3(1, 1, 1)).fitted(to: size),
                    Material(baseColor: color ?? Float3(1, 1, 1), texture: Texture(gingham(cell: 8, cells: 8))))
        case "plate":
            let zs: [Float] = [0, 0.05, 0.6, 1.0, 1.0, 0.55, 0.5]
            let rs: [Float] = [0, 0.62, 0.72, 1.0, 0.93, 0.68, 0]
            return (Primitives.lathe(zip(zs, rs).map { ($0, $1) }, segments: 32, capped: false).fitted(to: size),
                    Material(baseColor: color ?? Float3(0.74, 0.68, 0.60)))
        case "cube":
            return (Primitives.box(size), Material(baseColor: color ?? Float3(0.1, 0.7, 0.2)))
        case "sink":
            return (openBox(wall: 0.012, floor: 0.01).fitted(to: size), Material(baseColor: color ?? Float3(0.62, 0.63, 0.65)))
        case "basket":
            let zs: [Float] = [0, 0, 0.9, 1.0, 1.0, 0.12, 0.12]
            let rs: [Float] = [0, 0.8, 0.96, 1.0, 0.93, 0.76, 0]
            return (Primitives.lathe(zip(zs, rs).map { ($0, $1) }, segments: 32, capped: false).fitted(to: size),
                    Material(baseColor: color ?? Float3(0.95, 0.80, 0.10)))
        case "can":
            guard let (livery, band) = cans[variant ?? "coke"] else {
                throw VisualSpecError.badField(field: "variant", value: variant ?? "", expected: cans.keys.sorted().joined(separator: ", "))
            }
            let metal = Float3(0.78, 0.78, 0.80), body = color ?? livery
            let zs: [Float] = [0, 0.04, 0.08, 0.40, 0.40, 0.55, 0.55, 0.90, 0.96, 1.0]
            let cols = [metal, metal, body, body, band, band, body, body, metal, metal]
            let rs: [Float] = [0.85, 1, 1, 1, 1, 1, 1, 1, 0.85, 0.8]
            return (lathe(zs, rs, cols, along: "y").fitted(to: size), white)
        case "bottle":
            let blue = color ?? Float3(0.35, 0.55, 0.90), cap = Float3(0.95, 0.95, 0.95)
            let zs: [Float] = [0, 0.03, 0.6, 0.75, 0.85, 0.9, 0.9, 1.0]
            let rs: [Float] = [0.9, 1, 1, 0.7, 0.4, 0.4, 0.45, 0.45]
            return (lathe(zs, rs, zs.enumerated().map { $0.offset >= 6 ? cap : blue }, along: "y").fitted(to: size), white)
        case "apple", "orange":
            let apple = name == "apple"
            let zs: [Float] = apple ? [0.08, 0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 0.9] : [0, 0.02, 0.15, 0.5, 0.85, 0.98, 1.0]
            let rs: [Float] = apple ? [0, 0.3, 0.75, 0.97, 1.0, 0.95, 0.7, 0.3, 0] : [0, 0.35, 0.75, 1.0, 0.75, 0.35, 0]
            let skin = color ?? (apple ? Float3(0.72, 0.08, 0.08) : Float3(0.98, 0.55, 0.08))
            return (lathe(zs, rs, zs.map { _ in skin }, along: "z").fitted(to: size), white)
        case "sponge":
            let base = Primitives.box(Float3(1, 1, 0.7)).transformed(pose: Pose(p: Vec3(0, 0, -0.15))).colored(color ?? Float3(0.95, 0.85, 0.25))
            let pad = Primitives.box(Float3(1, 1, 0.3)).transformed(pose: Pose(p: Vec3(0, 0, 0.35))).colored(Float3(0.15, 0.50, 0.25))
            return (Mesh.merged([base, pad]).fitted(to: size), white)
        default:
            throw VisualSpecError.unknownShape(name)
        }
    }

    private static func lathe(_ zs: [Float], _ rs: [Float], _ cols: [Float3], along axis: String) -> Mesh {
        let m = Primitives.lathe(zip(zs, rs).map { ($0, $1) }, segments: 24, colors: cols)
        return m.transformed(pose: Pose(q: Primitives.axisRotation(axis)!))
    }

    /// A unit open-top box (basin) from five slabs.
    private static func openBox(wall: Float, floor: Float) -> Mesh {
        let parts: [(Float3, Float3)] = [
            (Float3(1, 1, floor), Float3(0, 0, floor / 2)),
            (Float3(wall, 1, 1), Float3(-0.5 + wall / 2, 0, 0.5)), (Float3(wall, 1, 1), Float3(0.5 - wall / 2, 0, 0.5)),
            (Float3(1, wall, 1), Float3(0, -0.5 + wall / 2, 0.5)), (Float3(1, wall, 1), Float3(0, 0.5 - wall / 2, 0.5)),
        ]
        return Mesh.merged(parts.map { Primitives.box($0.0).transformed(pose: Pose(p: Vec3(Double($0.1.x), Double($0.1.y), Double($0.1.z)))) })
    }

    /// A blue-and-white gingham pattern like the Bridge kitchen towels.
    static func gingham(cell: Int, cells: Int) -> RGBImage {
        let n = cell * cells
        var img = RGBImage(width: n, height: n)
        for y in 0..<n {
            for x in 0..<n {
                let a = (x / cell) % 2 == 0, b = (y / cell) % 2 == 0
                let c: (UInt8, UInt8, UInt8) = a && b ? (40, 70, 160) : (a || b ? (130, 150, 205) : (235, 235, 240))
                let i = (y * n + x) * 3
                img.pixels[i] = c.0; img.pixels[i + 1] = c.1; img.pixels[i + 2] = c.2
            }
        }
        return img
    }
}
