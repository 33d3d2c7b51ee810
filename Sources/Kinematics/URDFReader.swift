import Foundation
import VLMath

/// Interprets a URDF element tree: the subset vlaser-eval needs (links, inertials, visual/collision primitives and
/// meshes, materials, revolute/continuous/prismatic/fixed joints, limits, mimic, dynamics), then checks that the
/// joints form one tree. Every error names the file, the element (with its `name`) and the attribute.
struct URDFReader {
    let source: String
    /// Directory that relative mesh filenames are resolved against (nil: keep them as written).
    let meshBase: URL?
    /// Whether `<inertial>` is read and checked (a model only drawn needs none).
    var readsInertials = true

    /// Heaviest link accepted, kg. The heaviest link of the robots and props here is the Google Robot base
    /// (52.91 kg, scenes/robots/google_robot.urdf); values like 1e300 overflow ODE's inertia checks (an assertion
    /// that kills the process), so anything beyond a tonne is a typo, refused at load.
    static let maxLinkMass = 1000.0
    /// Largest origin offset accepted, m: robot and prop frames sit within a few metres of their parent; 1e300
    /// makes every pose NaN.
    static let maxOriginOffset = 100.0

    func read(_ data: Data) throws -> URDFModel {
        let root = try XMLElementNode.parse(data, source: source)
        guard root.name == "robot" else {
            throw URDFError.invalidStructure(source: source, element: "<\(root.name)>",
                                             reason: "root element must be <robot>")
        }
        let robotLabel = "<robot>"
        let robotName = try attribute(root, "name", robotLabel)
        var materials: [String: [Double]] = [:]
        for m in root.children("material") {
            let label = "<material name=\"\(m.attributes["name"] ?? "")\">"
            let name = try attribute(m, "name", label)
            if let color = m.child("color") { materials[name] = try numbers(color, "rgba", label + " <color>", count: 4) }
        }
        let links = try root.children("link").map { try readLink($0, materials: materials) }
        let joints = try root.children("joint").map(readJoint)
        let model = URDFModel(name: robotName, links: links, joints: joints)
        try validate(model)
        return model
    }

    // MARK: links

    private func readLink(_ e: XMLElementNode, materials: [String: [Double]]) throws -> URDFLink {
        let name = try attribute(e, "name", "<link>")
        let label = "<link name=\"\(name)\">"
        var link = URDFLink(name: name)
        if readsInertials, let i = e.child("inertial") { link.inertial = try readInertial(i, label + " <inertial>") }
        link.visuals = try e.children("visual").map { try readGeometryElement($0, label + " <visual>", materials) }
        link.collisions = try e.children("collision").map {
            try readGeometryElement($0, label + " <collision>", materials)
        }
        return link
    }

    private func readInertial(_ e: XMLElementNode, _ label: String) throws -> URDFInertial {
        guard let massNode = e.child("mass") else {
            throw URDFError.missingElement(source: source, element: label, child: "mass")
        }
        let mass = try number(massNode, "value", label + " <mass>")
        guard mass > 0, mass <= Self.maxLinkMass else {
            throw URDFError.invalidValue(source: source, element: label + " <mass>", attribute: "value",
                                         value: massNode.attributes["value"]!, expected: "a mass in (0, \(Self.maxLinkMass)] kg")
        }
        guard let t = e.child("inertia") else {
            throw URDFError.missingElement(source: source, element: label, child: "inertia")
        }
        let tl = label + " <inertia>"
        return URDFInertial(origin: try origin(e, label), mass: mass,
                            ixx: try number(t, "ixx", tl), ixy: try number(t, "ixy", tl), ixz: try number(t, "ixz", tl),
                            iyy: try number(t, "iyy", tl), iyz: try number(t, "iyz", tl), izz: try number(t, "izz", tl))
    }

    private func readGeometryElement(_ e: XMLElementNode, _ label: String,
                                     _ materials: [String: [Double]]) throws -> URDFGeometryElement {
        guard let g = e.child("geometry") else {
            throw URDFError.missingElement(source: source, element: label, child: "geometry")
        }
        guard let shape = g.children.first else {
            throw URDFError.missingElement(source: source, element: label + " <geometry>",
                                           child: "box|cylinder|sphere|capsule|mesh")
        }
        let sl = label + " <geometry> <\(shape.name)>"
        let geometry: URDFGeometry
        switch shape.name {
        case "box": geometry = .box(size: try vector(shape, "size", sl, positive: true))
        case "cylinder":
            geometry = .cylinder(radius: try positive(shape, "radius", sl), length: try positive(shape, "length", sl))
        case "capsule":
            geometry = .capsule(radius: try positive(shape, "radius", sl), length: try positive(shape, "length", sl))
        case "sphere": geometry = .sphere(radius: try positive(shape, "radius", sl))
        case "mesh":
            let file = try attribute(shape, "filename", sl)
            let scale = shape.attributes["scale"] == nil ? Vec3(1, 1, 1) : try vector(shape, "scale", sl)
            geometry = .mesh(path: resolveMesh(file), scale: scale)
        default:
            throw URDFError.invalidStructure(source: source, element: sl,
                                             reason: "unknown geometry (expected box, cylinder, sphere, capsule or mesh)")
        }
        var rgba: [Double]?
        if let m = e.child("material") {
            let ml = label + " <material>"
            if let c = m.child("color") {
                rgba = try numbers(c, "rgba", ml + " <color>", count: 4)
            } else if let ref = m.attributes["name"] {
                guard let known = materials[ref] else {
                    throw URDFError.invalidValue(source: source, element: ml, attribute: "name", value: ref,
                                                 expected: "a top-level <material> with a <color>")
                }
                rgba = known
            }
        }
        return URDFGeometryElement(name: e.attributes["name"], origin: try origin(e, label), geometry: geometry,
                                   rgba: rgba)
    }

    /// `package://` and plain relative paths resolve against the URDF's directory; absolute paths stay.
    private func resolveMesh(_ file: String) -> String {
        var path = file
        if path.hasPrefix("package://") { path = String(path.dropFirst("package://".count)) }
        if path.hasPrefix("file://") { return String(path.dropFirst("file://".count)) }
        guard let base = meshBase, !path.hasPrefix("/") else { return path }
        return base.appendingPathComponent(path).standardizedFileURL.path
    }

    // MARK: joints

    private func readJoint(_ e: XMLElementNode) throws -> URDFJoint {
        let name = try attribute(e, "name", "<joint>")
        let label = "<joint name=\"\(name)\">"
        let typeText = try attribute(e, "type", label)
        guard let type = URDFJointType(rawValue: typeText) else {
            let allowed = URDFJointType.allCases.map(\.rawValue).joined(separator: ", ")
            throw URDFError.invalidValue(source: source, element: label, attribute: "type", value: typeText,
                                         expected: "one of \(allowed)")
        }
        func linkRef(_ tag: String) throws -> String {
            guard let node = e.child(tag) else {
                throw URDFError.missingElement(source: source, element: label, child: tag)
            }
            return try attribute(node, "link", label + " <\(tag)>")
        }
        var joint = URDFJoint(name: name, type: type, parent: try linkRef("parent"), child: try linkRef("child"),
                              origin: try origin(e, label))
        // A fixed joint's axis means nothing (URDF spec); the Google robot's camera mount writes 0 0 0.
        if let a = e.child("axis"), type != .fixed {
            let axis = try vector(a, "xyz", label + " <axis>")
            guard axis.norm > 1e-12 else {
                throw URDFError.invalidValue(source: source, element: label + " <axis>", attribute: "xyz",
                                             value: a.attributes["xyz"]!, expected: "a non-zero vector")
            }
            joint.axis = axis.normalized
        }
        if let l = e.child("limit") {
            let ll = label + " <limit>"
            // ±inf position limits mean "unbounded" (the Google robot's wheel joints; SAPIEN accepts them).
            joint.limit = URDFJointLimit(lower: try number(l, "lower", ll, default: 0, infinite: true),
                                         upper: try number(l, "upper", ll, default: 0, infinite: true),
                                         effort: try number(l, "effort", ll, default: 0),
                                         velocity: try number(l, "velocity", ll, default: 0))
            if joint.limit!.lower > joint.limit!.upper {
                throw URDFError.invalidValue(source: source, element: ll, attribute: "upper",
                                             value: l.attributes["upper"] ?? "0", expected: "a value ≥ lower")
            }
        } else if type == .revolute || type == .prismatic {
            throw URDFError.missingElement(source: source, element: label, child: "limit")
        }
        if let m = e.child("mimic") {
            let ml = label + " <mimic>"
            joint.mimic = URDFMimic(joint: try attribute(m, "joint", ml),
                                    multiplier: try number(m, "multiplier", ml, default: 1),
                                    offset: try number(m, "offset", ml, default: 0))
        }
        if let d = e.child("dynamics") {
            joint.damping = try number(d, "damping", label + " <dynamics>", default: 0)
            joint.friction = try number(d, "friction", label + " <dynamics>", default: 0)
        }
        return joint
    }

    // MARK: model checks

    private func validate(_ model: URDFModel) throws {
        guard !model.links.isEmpty else {
            throw URDFError.missingElement(source: source, element: "<robot name=\"\(model.name)\">", child: "link")
        }
        var linkNames = Set<String>()
        for l in model.links where !linkNames.insert(l.name).inserted {
            throw URDFError.invalidStructure(source: source, element: "<link name=\"\(l.name)\">",
                                             reason: "duplicate link name")
        }
        var jointNames = Set<String>(), childOf: [String: String] = [:]
        for j in model.joints {
            let label = "<joint name=\"\(j.name)\">"
            guard jointNames.insert(j.name).inserted else {
                throw URDFError.invalidStructure(source: source, element: label, reason: "duplicate joint name")
            }
            for (tag, link) in [("parent", j.parent), ("child", j.child)] where !linkNames.contains(link) {
                throw URDFError.invalidValue(source: source, element: label + " <\(tag)>", attribute: "link",
                                             value: link, expected: "the name of a <link> in this file")
            }
            if let other = childOf.updateValue(j.name, forKey: j.child) {
                throw URDFError.invalidStructure(source: source, element: label + " <child>",
                                                 reason: "link '\(j.child)' is already the child of joint '\(other)'")
            }
        }
        let roots = model.links.filter { childOf[$0.name] == nil }
        guard roots.count == 1 else {
            throw URDFError.invalidStructure(
                source: source, element: "<robot name=\"\(model.name)\">",
                reason: roots.isEmpty ? "the joints form a cycle (no root link)"
                    : "expected one root link, found \(roots.count): \(roots.map(\.name).joined(separator: ", "))")
        }
        try checkReachable(model, root: roots[0].name)
        try checkMimics(model)
    }

    private func checkReachable(_ model: URDFModel, root: String) throws {
        var seen: Set<String> = [root], frontier = [root]
        while let l = frontier.popLast() {
            for j in model.joints where j.parent == l && seen.insert(j.child).inserted { frontier.append(j.child) }
        }
        if let lost = model.links.first(where: { !seen.contains($0.name) }) {
            throw URDFError.invalidStructure(source: source, element: "<link name=\"\(lost.name)\">",
                                             reason: "not connected to root link '\(root)' (joint cycle)")
        }
    }

    private func checkMimics(_ model: URDFModel) throws {
        let byName = Dictionary(uniqueKeysWithValues: model.joints.map { ($0.name, $0) })
        for j in model.joints {
            guard let m = j.mimic else { continue }
            let label = "<joint name=\"\(j.name)\"> <mimic>"
            guard let master = byName[m.joint], master.type.isMovable, j.type.isMovable else {
                throw URDFError.invalidValue(source: source, element: label, attribute: "joint", value: m.joint,
                                             expected: "a movable joint of this file (and a movable mimic joint)")
            }
            guard master.mimic == nil else {
                throw URDFError.invalidValue(source: source, element: label, attribute: "joint", value: m.joint,
                                             expected: "a joint that is not itself a mimic")
            }
        }
    }

    // MARK: attribute helpers

    private func attribute(_ e: XMLElementNode, _ name: String, _ label: String) throws -> String {
        guard let v = e.attributes[name] else {
            throw URDFError.missingAttribute(source: source, element: label, attribute: name)
        }
        return v
    }

    private func numbers(_ e: XMLElementNode, _ name: String, _ label: String, count: Int, infinite: Bool = false) throws -> [Double] {
        let text = try attribute(e, name, label)
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "," })
        let values = parts.compactMap { Double($0) }.filter { infinite ? !$0.isNaN : $0.isFinite }
        guard parts.count == count, values.count == count else {
            throw URDFError.invalidValue(source: source, element: label, attribute: name, value: text,
                                         expected: "\(count) \(infinite ? "numbers or ±inf" : "finite numbers")")
        }
        return values
    }

    private func number(_ e: XMLElementNode, _ name: String, _ label: String, default d: Double? = nil,
                        infinite: Bool = false) throws -> Double {
        if e.attributes[name] == nil, let d { return d }
        return try numbers(e, name, label, count: 1, infinite: infinite)[0]
    }

    private func positive(_ e: XMLElementNode, _ name: String, _ label: String) throws -> Double {
        let v = try number(e, name, label)
        guard v > 0 else {
            throw URDFError.invalidValue(source: source, element: label, attribute: name, value: e.attributes[name]!,
                                         expected: "a positive number")
        }
        return v
    }

    private func vector(_ e: XMLElementNode, _ name: String, _ label: String, positive: Bool = false) throws -> Vec3 {
        let v = try numbers(e, name, label, count: 3)
        if positive, v.contains(where: { $0 <= 0 }) {
            throw URDFError.invalidValue(source: source, element: label, attribute: name, value: e.attributes[name]!,
                                         expected: "3 positive numbers")
        }
        return Vec3(v[0], v[1], v[2])
    }

    /// `<origin xyz rpy>`; rpy is URDF's fixed-axis roll-pitch-yaw, R = Rz(y)·Ry(p)·Rx(r).
    private func origin(_ e: XMLElementNode, _ label: String) throws -> Pose {
        guard let o = e.child("origin") else { return .identity }
        let ol = label + " <origin>"
        let xyz = o.attributes["xyz"] == nil ? Vec3.zero : try vector(o, "xyz", ol)
        if [xyz.x, xyz.y, xyz.z].contains(where: { abs($0) > Self.maxOriginOffset }) {
            throw URDFError.invalidValue(source: source, element: ol, attribute: "xyz", value: o.attributes["xyz"]!,
                                         expected: "offsets within ±\(Self.maxOriginOffset) m")
        }
        let rpy = o.attributes["rpy"] == nil ? Vec3.zero : try vector(o, "rpy", ol)
        return Pose(p: xyz, q: Quat(roll: rpy.x, pitch: rpy.y, yaw: rpy.z))
    }
}
