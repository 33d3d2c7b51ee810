import Foundation
import Render

/// The named look presets a variant's `visual` refers to (simplerenv-tasks.md §3.3, §3.6, §4.2), one file per
/// kind under `scenes/looks/`, each `{"_source": …, "presets": {name: preset}}`. Adding a look is adding data.
public struct SceneLooks: Sendable {
    /// `robot_colour` presets: recolourings of the robot's URDF visuals (§3.3 `urdf_version`).
    public let robotColours: [String: Colouring]
    /// `cabinet_colour` presets: recolourings of articulated props (the mk_station colourings, §3.6).
    public let cabinetColours: [String: Colouring]
    /// `background` presets: visual-only parts around the stage (the stage scans, §4.2).
    public let backgrounds: [String: [BackgroundPart]]
    /// `table_texture` presets: the look of the stage part named `table` (§4.2).
    public let tableTextures: [String: TableLook]

    /// Preset files, relative to the scenes directory.
    static let robotFile = "looks/robot_colours.json", cabinetFile = "looks/cabinet_colours.json"
    static let backgroundFile = "looks/backgrounds.json", tableFile = "looks/table_textures.json"
    /// What `shader` may say; both are drawn by the one rasterizer (there is no ray tracer here).
    public static let shaders = ["rasterize", "raytrace"]

    /// Loads the presets under `root/looks/`; a missing file means no presets of that kind.
    public static func load(root: URL) throws -> SceneLooks {
        func presets<T: Codable>(_ file: String, _ type: T.Type) throws -> [String: T] {
            let url = root.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
            return try DataFile.load(PresetFile<T>.self, from: url).presets
        }
        return SceneLooks(robotColours: try presets(robotFile, Colouring.self),
                          cabinetColours: try presets(cabinetFile, Colouring.self),
                          backgrounds: try presets(backgroundFile, [BackgroundPart].self),
                          tableTextures: try presets(tableFile, TableLook.self))
    }

    /// Checks that every preset `visual` names exists, so a typo fails when the run starts, not mid-run.
    /// `file` and `field` locate the `visual` object in the variants file.
    public func validate(_ visual: VariantVisual, file: String, field: String) throws {
        func check(_ name: String?, _ key: String, _ known: [String], presetFile: String?) throws {
            guard let name, !known.contains(name) else { return }
            let source = presetFile.map { " in \($0)" } ?? ""
            throw DataFileError(file: file, field: "\(field).\(key)",
                                message: "unknown value '\(name)' (known\(source): \(known.sorted().joined(separator: ", ")))")
        }
        try check(visual.robotColour, "robot_colour", Array(robotColours.keys), presetFile: Self.robotFile)
        try check(visual.cabinetColour, "cabinet_colour", Array(cabinetColours.keys), presetFile: Self.cabinetFile)
        try check(visual.background, "background", Array(backgrounds.keys), presetFile: Self.backgroundFile)
        try check(visual.tableTexture, "table_texture", Array(tableTextures.keys), presetFile: Self.tableFile)
        try check(visual.shader, "shader", Self.shaders, presetFile: nil)
    }

    private struct PresetFile<T: Codable>: Codable { let presets: [String: T] }
}

/// A recolouring of URDF visuals: rules tried in order, the first that matches a visual sets its RGBA; visuals no
/// rule matches keep the URDF's colour (so the `default` preset is an empty list).
public struct Colouring: Codable, Sendable, Equatable {
    public struct Rule: Codable, Sendable, Equatable {
        /// Link-name prefixes (`link_finger` covers fingers, tips and nails); nil = every link.
        public var links: [String]?
        /// The URDF `<visual name="…">` to match (`front`, `handle`); nil = every visual of the matched links.
        public var visual: String?
        public var rgba: [Double]
    }
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// The colour for visual `visual` of link `link`, or nil to keep the URDF's.
    func rgba(link: String, visual: String?) -> [Double]? {
        rules.first { r in
            (r.links?.contains { link.hasPrefix($0) } ?? true) && (r.visual == nil || r.visual == visual)
        }?.rgba
    }
}

/// A visual-only part of a background: a named shape placed by its `origin` in world coordinates. Never collides.
public struct BackgroundPart: Codable, Sendable, Equatable {
    public var name: String
    public var visual: VisualSpec
}

/// A table look: a colour or a procedural texture replacing the table part's (its geometry stays).
public struct TableLook: Codable, Sendable, Equatable {
    public var color: [Double]?
    public var texture: TextureSpec?

    /// The table's visual with this look.
    func applied(to spec: VisualSpec) -> VisualSpec {
        var s = spec
        s.color = color
        s.texture = texture
        return s
    }
}
