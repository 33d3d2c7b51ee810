import Foundation
@testable import Kinematics
import Testing
import TestSupport

/// The project's XML reader against Python's ElementTree (libexpat) on the repository's robot and prop files and on
/// a document with every construct it claims to read; malformed documents fail with the line of the problem.
@Suite struct XMLTreeTests {
    /// `name{k=v,…}[text](children…)`, the same shape printed by the Python oracle below.
    static func canonical(_ e: XMLElementNode) -> String {
        let attrs = e.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let text = e.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(e.name){\(attrs)}[\(text)](" + e.children.map(canonical).joined(separator: ";") + ")"
    }

    static let oracle = """
    import sys, xml.etree.ElementTree as ET
    def canon(e):
        attrs = ",".join(f"{k}={v}" for k, v in sorted(e.attrib.items()))
        text = (e.text or "") + "".join(c.tail or "" for c in e)
        return f"{e.tag}{{{attrs}}}[{text.strip()}](" + ";".join(canon(c) for c in e) + ")"
    for path in sys.argv[1:]:
        print(canon(ET.parse(path).getroot()))
    """

    @Test func matchesElementTree() throws {
        let dir = try TestSupport.makeTempDir("xml")
        let constructs = dir.appendingPathComponent("constructs.xml")
        try Data("""
        \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE robot>
        <!-- a comment with <tags> inside -->
        <robot name='single &amp; "quoted"'>
          <?pi ignored?>
          <link name="a&#x41;&#66;"   note="multi
        line"/>
          <float_array count="3">1 2.5 -3e-2</float_array>
          <text>x &lt; y &gt; z<![CDATA[ <raw> & ]]>tail</text>
          <link-2.b name="tab	here"/>
        </robot>
        """.utf8).write(to: constructs)
        let files = [constructs] + ["robots/widowx_250s.urdf", "robots/google_robot.urdf", "props/mk_station.urdf"]
            .map { TestSupport.repoRoot.appendingPathComponent("scenes/\($0)") }
        let expected = try TestSupport.python(Self.oracle, args: files.map(\.path)).split(separator: "\n").map(String.init)
        #expect(expected.count == files.count)
        for (file, want) in zip(files, expected) {
            let root = try XMLElementNode.parse(Data(contentsOf: file), source: file.lastPathComponent)
            #expect(Self.canonical(root) == want, "\(file.lastPathComponent)")
        }
    }

    @Test func malformedDocumentsNameTheLine() {
        let cases: [(String, Int, String)] = [
            ("<robot>\n<link name=\"a\">\n</robot>", 3, "does not match <link>"),
            ("<robot>\n<link name=a/>\n</robot>", 2, "no quoted value"),
            ("<robot>\n\n<link name=\"a\" name=\"b\"/></robot>", 3, "repeated"),
            ("<robot><link name=\"&bogus;\"/></robot>", 1, "unknown entity"),
            ("<robot>\n<!-- never closed\n", 2, "unterminated comment"),
            ("<robot/>\n<robot/>", 2, "second root"),
            ("<robot>\n<link/>\n", 3, "unexpected end"),
            ("  \n", 2, "no root element"),
        ]
        for (text, line, reason) in cases {
            do {
                _ = try XMLElementNode.parse(Data(text.utf8), source: "t.urdf")
                Issue.record("no error for \(text)")
            } catch {
                let message = "\(error)"
                #expect(message.hasPrefix("t.urdf:\(line): malformed XML") && message.contains(reason), "\(text): \(message)")
            }
        }
    }
}
