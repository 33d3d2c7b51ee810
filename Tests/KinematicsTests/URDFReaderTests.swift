import Foundation
import Kinematics
import Testing
import TestSupport
import VLMath

/// The URDF reader on small constructed documents: what it keeps, and the error it gives for bad input.
@Suite struct URDFReaderTests {
    static let source = "scenes/robots/test.urdf"

    static func robot(_ body: String) -> Data {
        Data("""
        <?xml version="1.0"?>
        <robot name="t">
          <material name="red"><color rgba="1 0 0 1"/></material>
          <link name="a"/>
          <link name="b"/>
          \(body)
        </robot>
        """.utf8)
    }

    static func error(_ body: String) -> String {
        do {
            _ = try URDFModel.parse(robot(body), source: source)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func readsGeometryMaterialsAndJoints() throws {
        let xml = """
        <?xml version="1.0"?>
        <robot name="t">
          <material name="red"><color rgba="1 0 0 1"/></material>
          <link name="a">
            <inertial><origin xyz="0 0 0.1" rpy="0 0 1.5707963267948966"/><mass value="2"/>
              <inertia ixx="1" ixy="0.1" ixz="0.2" iyy="2" iyz="0.3" izz="3"/></inertial>
            <visual name="shell"><origin xyz="1 2 3"/><geometry><cylinder radius="0.1" length="0.5"/></geometry>
              <material name="red"/></visual>
            <visual><geometry><mesh filename="meshes/a.stl" scale="0.001 0.001 0.001"/></geometry>
              <material name="inline"><color rgba="0 0.5 0 1"/></material></visual>
            <collision><geometry><sphere radius="0.2"/></geometry></collision>
            <collision><geometry><capsule radius="0.1" length="0.3"/></geometry></collision>
          </link>
          <link name="b"/>
          <link name="c"/>
          <joint name="j1" type="continuous"><parent link="a"/><child link="b"/><axis xyz="0 0 2"/>
            <dynamics damping="0.5" friction="0.25"/></joint>
          <joint name="j2" type="prismatic"><parent link="a"/><child link="c"/>
            <limit lower="-0.1" upper="0.2" effort="10" velocity="1"/><mimic joint="j1" multiplier="-2" offset="0.1"/>
          </joint>
        </robot>
        """
        let dir = try TestSupport.makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.urdf")
        try Data(xml.utf8).write(to: file)
        let m = try URDFModel.load(contentsOf: file)
        #expect(m.rootLink == "a")
        #expect(m.childJoints(of: "a").map(\.name) == ["j1", "j2"])
        let a = try #require(m.link(named: "a"))
        #expect(a.inertial?.mass == 2 && a.inertial?.iyz == 0.3 && a.inertial?.origin.p == Vec3(0, 0, 0.1))
        #expect(a.visuals[0].name == "shell" && a.visuals[0].rgba == [1, 0, 0, 1])
        #expect(a.visuals[0].geometry == .cylinder(radius: 0.1, length: 0.5))
        #expect(a.visuals[1].rgba == [0, 0.5, 0, 1])
        #expect(a.visuals[1].geometry == .mesh(path: dir.appendingPathComponent("meshes/a.stl").standardizedFileURL.path,
                                               scale: Vec3(0.001, 0.001, 0.001)))
        #expect(a.collisions.map(\.geometry) == [.sphere(radius: 0.2), .capsule(radius: 0.1, length: 0.3)])
        let j1 = try #require(m.joint(named: "j1")), j2 = try #require(m.joint(named: "j2"))
        #expect(j1.type == .continuous && j1.axis == Vec3(0, 0, 1) && j1.damping == 0.5 && j1.friction == 0.25)
        #expect(j2.axis == Vec3(1, 0, 0))  // URDF default
        #expect(j2.mimic?.joint == "j1" && j2.mimic?.multiplier == -2 && j2.mimic?.offset == 0.1)
        #expect(j2.limit?.lower == -0.1 && j2.limit?.upper == 0.2 && j2.limit?.effort == 10)
        // Mimic: q_j2 = −2·q_j1 + 0.1 along x.
        let poses = KinematicTree(m).linkPoses(["j1": 0.3, "j2": 5])
        #expect(abs(poses["c"]!.p.x - (-0.5)) < 1e-15)
        // Origin rpy is fixed-axis roll-pitch-yaw: yaw π/2 turns x into y.
        #expect((a.inertial!.origin.q.act(.unitX) - .unitY).norm < 1e-12)
    }

    @Test func malformedXMLNamesFileAndLine() {
        let e = Self.error("<joint name=\"j\" type=\"fixed\"><parent link=\"a\"></joint>")
        #expect(e.hasPrefix("\(Self.source):"), "\(e)")
        #expect(e.contains("malformed XML"), "\(e)")
    }

    /// Invalid UTF-8 (here inside a comment, where Foundation's parser trapped) is refused with its line.
    @Test func invalidUTF8IsRefused() throws {
        var data = Data("<robot name=\"t\">\n<!-- mass: ".utf8)
        data.append(0x80)
        data.append(contentsOf: Array(" -->\n<link name=\"a\"/></robot>".utf8))
        #expect { _ = try URDFModel.parse(data, source: Self.source) } throws: {
            "\($0)" == "\(Self.source):2: malformed XML: not UTF-8 text"
        }
    }

    /// The XML subset: declaration, comments, processing instructions (an empty one made Foundation's parser read
    /// NULL) and CDATA are skipped, entities decoded; declarations, stray text and repeated attributes refused.
    @Test func xmlSubsetIsReadStrictly() throws {
        let doc = """
            <?xml version="1.0" encoding="utf-8"?>\n<?x?><!-- c --><robot name='t&amp;&#x41;&#66;'><![CDATA[ <x> ]]>
            <link name="a"/><?empty?></robot><!-- end -->
            """
        #expect(try URDFModel.parse(Data(doc.utf8), source: Self.source).name == "t&AB")
        // Each refused on its line as malformed XML, naming the culprit (the reader is our own parser, docs/cluster.md).
        for (bad, line, culprit) in [("<robot name=\"t\" name=\"u\"/>", 1, "repeated in <robot>"),
                                     ("<robot name=\"t\">\n<link name=\"a\">", 2, "<link> opened on line 2"),
                                     ("<robot name=\"&bogus;\"/>", 1, "&bogus;"),
                                     ("<robot name=\"t\"/><robot name=\"u\"/>", 1, "a second root element")] {
            #expect { _ = try URDFModel.parse(Data(bad.utf8), source: Self.source) } throws: {
                "\($0)".hasPrefix("\(Self.source):\(line): malformed XML: ") && "\($0)".contains(culprit)
            }
        }
        // Text outside the root element is no robot.
        #expect(throws: (any Error).self) { _ = try URDFModel.parse(Data("x<robot name=\"t\"/>".utf8), source: Self.source) }
    }

    @Test func unknownJointTypeNamesElementAndAttribute() {
        let e = Self.error(#"<joint name="elbow" type="hinge"><parent link="a"/><child link="b"/></joint>"#)
        #expect(e.hasPrefix(#"scenes/robots/test.urdf: <joint name="elbow">: attribute 'type' has unknown value 'hinge'"#),
                "\(e)")
    }

    @Test func missingParentLinkNamesJointAndAttribute() {
        let e = Self.error(#"<joint name="j" type="fixed"><parent link="nowhere"/><child link="b"/></joint>"#)
        #expect(e.contains(#"<joint name="j"> <parent>: attribute 'link' has invalid value 'nowhere'"#), "\(e)")
        let missing = Self.error(#"<joint name="j" type="fixed"><child link="b"/></joint>"#)
        #expect(missing == #"scenes/robots/test.urdf: <joint name="j">: missing child element <parent>"#)
        let noAttr = Self.error(#"<joint name="j" type="fixed"><parent/><child link="b"/></joint>"#)
        #expect(noAttr == #"scenes/robots/test.urdf: <joint name="j"> <parent>: missing attribute 'link'"#)
    }

    @Test(arguments: [
        (#"<joint name="j" type="revolute"><parent link="a"/><child link="b"/></joint>"#,
         #"<joint name="j">: missing child element <limit>"#),
        (#"<joint name="j" type="fixed"><parent link="a"/><child link="b"/><origin xyz="1 2"/></joint>"#,
         #"<joint name="j"> <origin>: attribute 'xyz' has invalid value '1 2' (expected 3 finite numbers)"#),
        (#"<joint name="j" type="prismatic"><parent link="a"/><child link="b"/><axis xyz="0 0 0"/><limit/></joint>"#,
         #"<joint name="j"> <axis>: attribute 'xyz' has invalid value '0 0 0'"#),
        (#"<joint name="j" type="fixed"><parent link="a"/><child link="b"/></joint><joint name="k" type="fixed"><parent link="a"/><child link="b"/></joint>"#,
         #"<joint name="k"> <child>: link 'b' is already the child of joint 'j'"#),
        (#"<joint name="j" type="fixed"><parent link="b"/><child link="a"/></joint><joint name="k" type="fixed"><parent link="a"/><child link="b"/></joint>"#,
         #"<robot name="t">: the joints form a cycle (no root link)"#),
        (#"<joint name="j" type="fixed"><parent link="a"/><child link="b"/><mimic joint="ghost"/></joint>"#,
         #"<joint name="j"> <mimic>: attribute 'joint' has invalid value 'ghost'"#),
        (#"<link name="a"/>"#, #"<link name="a">: duplicate link name"#),
        (#"<link name="c"><collision><geometry><box size="1 -1 1"/></geometry></collision></link>"#,
         #"<link name="c"> <collision> <geometry> <box>: attribute 'size' has invalid value '1 -1 1'"#),
        (#"<link name="c"><visual><geometry><cone/></geometry></visual></link>"#,
         #"<link name="c"> <visual> <geometry> <cone>: unknown geometry"#),
        (#"<link name="c"><visual><geometry><box size="1 1 1"/></geometry><material name="blue"/></visual></link>"#,
         #"<link name="c"> <visual> <material>: attribute 'name' has invalid value 'blue'"#),
        (#"<link name="c"><inertial><mass value="heavy"/><inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial></link>"#,
         #"<link name="c"> <inertial> <mass>: attribute 'value' has invalid value 'heavy'"#),
        ("", #"<robot name="t">: expected one root link, found 2: a, b"#),
        (#"<link name="c"><inertial><mass value="0"/><inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial></link>"#,
         #"<link name="c"> <inertial> <mass>: attribute 'value' has invalid value '0' (expected a mass in (0, 1000.0] kg)"#),
        (#"<link name="c"><inertial><mass value="1e300"/><inertia ixx="1" ixy="0" ixz="0" iyy="1" iyz="0" izz="1"/></inertial></link>"#,
         #"<link name="c"> <inertial> <mass>: attribute 'value' has invalid value '1e300'"#),
        (#"<joint name="j" type="fixed"><parent link="a"/><child link="b"/><origin xyz="0 1e300 0"/></joint>"#,
         #"<joint name="j"> <origin>: attribute 'xyz' has invalid value '0 1e300 0' (expected offsets within ±100.0 m)"#),
    ])
    func badInputIsReportedPrecisely(body: String, expected: String) {
        let e = Self.error(body)
        #expect(e.hasPrefix("\(Self.source): \(expected)"), "\(e)")
    }

    @Test func unreadableFileNamesPath() {
        do {
            _ = try URDFModel.load(contentsOf: URL(fileURLWithPath: "/nonexistent/robot.urdf"))
            Issue.record("no error")
        } catch {
            #expect("\(error)".hasPrefix("/nonexistent/robot.urdf: cannot read URDF"))
        }
    }

    @Test func chainErrorsNameTheLinks() throws {
        let m = try RobotFiles.load("widowx_250s")
        #expect(throws: KinematicsError.notAnAncestor(robot: "widowx_250s", base: "left_finger_link",
                                                       tip: "ee_gripper_link")) {
            try KinematicChain(model: m, base: "left_finger_link", tip: "ee_gripper_link")
        }
        #expect(throws: KinematicsError.unknownLink(robot: "widowx_250s", link: "hand")) {
            try KinematicChain(model: m, base: "base_link", tip: "hand")
        }
        #expect(throws: KinematicsError.mimicInChain(robot: "widowx_250s", joint: "right_finger")) {
            try KinematicChain(model: m, base: "base_link", tip: "right_finger_link")
        }
    }
}
