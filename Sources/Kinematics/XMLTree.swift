import Foundation

/// A minimal element tree, so the URDF reader (and the renderer's COLLADA reader) can walk the document with ordinary
/// code and report each problem with its element path. Parsed here rather than by Foundation's XMLParser, which
/// would link libxml2 into the binary (a self-contained `sim` binary needs only ODE, OpenBLAS, libpng and libjpeg
/// beyond a plain Debian base; docs/cluster.md). Covers what robot and mesh files use: the XML declaration,
/// comments, processing instructions, a DOCTYPE without an internal subset, CDATA, and the predefined and numeric
/// character references; a prefixed name such as `xacro:macro` is kept as written (no namespace resolution).
public struct XMLElementNode: Sendable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElementNode]
    public var line: Int
    /// The character data directly inside the element (COLLADA keeps its number arrays there).
    public var text = ""

    public func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    public func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Parses a whole document and returns its root element.
    public static func parse(_ data: Data, source: String) throws -> XMLElementNode {
        // Robot and mesh files are UTF-8; a stray byte (found by fuzz/urdf in a comment) is refused with its line.
        // A newline byte is never part of a multi-byte character, so lines can be checked one by one.
        for (i, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where String(data: Data(line), encoding: .utf8) == nil {
            throw URDFError.malformedXML(source: source, line: i + 1, reason: "not UTF-8 text")
        }
        var p = XMLScanner(bytes: [UInt8](data))
        do { return try p.document() } catch let e as XMLScanner.Failure {
            var reason = e.reason
            if let open = p.stack.last {
                reason += " inside <\(open.name)> opened on line \(open.line) (unclosed or mismatched tag?)"
            }
            throw URDFError.malformedXML(source: source, line: e.line, reason: reason)
        }
    }
}

/// A single pass over the bytes, keeping the open elements on a stack.
private struct XMLScanner {
    struct Failure: Error { let line: Int; let reason: String }

    let bytes: [UInt8]
    var i = 0
    var line = 1
    var stack: [XMLElementNode] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }  // UTF-8 byte order mark
    }

    mutating func document() throws -> XMLElementNode {
        var root: XMLElementNode?
        while i < bytes.count {
            if bytes[i] != UInt8(ascii: "<") {
                let start = i
                let text = try characters()
                if stack.isEmpty {
                    guard text.allSatisfy(\.isWhitespace) else { throw fail("text outside the root element", at: start) }
                } else {
                    stack[stack.count - 1].text += text
                }
            } else if starts("<!--") {
                try skip(past: "-->", what: "comment")
            } else if starts("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if starts("<![CDATA[") {
                i += 9
                let start = i
                try skip(past: "]]>", what: "CDATA section")
                guard !stack.isEmpty else { throw fail("CDATA outside the root element", at: start) }
                stack[stack.count - 1].text += String(decoding: bytes[start..<(i - 3)], as: UTF8.self)
            } else if starts("<!DOCTYPE") {
                try skip(past: ">", what: "DOCTYPE")
            } else if starts("</") {
                i += 2
                let name = try self.name()
                skipSpace()
                try expect(">")
                guard let open = stack.popLast() else { throw fail("closing tag </\(name)> without an open element", at: i) }
                guard open.name == name else {
                    stack.append(open)
                    throw fail("closing tag </\(name)> does not match <\(open.name)>", at: i)
                }
                if stack.isEmpty {
                    guard root == nil else { throw fail("a second root element <\(name)>", at: i) }
                    root = open
                } else {
                    stack[stack.count - 1].children.append(open)
                }
            } else {
                let at = line
                i += 1
                let element = try startTag(line: at)
                if stack.isEmpty && root != nil { throw fail("a second root element <\(element.node.name)>", at: i) }
                if element.selfClosing {
                    if stack.isEmpty { root = element.node } else { stack[stack.count - 1].children.append(element.node) }
                } else {
                    stack.append(element.node)
                }
            }
        }
        guard stack.isEmpty else { throw Failure(line: line, reason: "unexpected end of document") }
        guard let root else { throw Failure(line: line, reason: "no root element") }
        return root
    }

    /// `name attr="v" …>` or `… />` after the `<`.
    mutating func startTag(line at: Int) throws -> (node: XMLElementNode, selfClosing: Bool) {
        let name = try self.name()
        var attributes: [String: String] = [:]
        while true {
            let hadSpace = skipSpace()
            guard i < bytes.count else { throw fail("unterminated tag <\(name)>", at: i) }
            if bytes[i] == UInt8(ascii: ">") { i += 1; return (XMLElementNode(name: name, attributes: attributes, children: [], line: at), false) }
            if starts("/>") { i += 2; return (XMLElementNode(name: name, attributes: attributes, children: [], line: at), true) }
            guard hadSpace else { throw fail("expected a space before an attribute in <\(name)>", at: i) }
            let key = try self.name()
            skipSpace()
            try expect("=")
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                throw fail("attribute \(key) of <\(name)> has no quoted value", at: i)
            }
            let quote = bytes[i]
            i += 1
            let start = i
            while i < bytes.count && bytes[i] != quote {
                if bytes[i] == UInt8(ascii: "<") { throw fail("'<' in the value of attribute \(key)", at: i) }
                if bytes[i] == 0x0A { line += 1 }
                i += 1
            }
            guard i < bytes.count else { throw fail("unterminated value of attribute \(key)", at: start) }
            guard attributes[key] == nil else { throw fail("attribute \(key) repeated in <\(name)>", at: start) }
            // Attribute-value normalisation (XML 1.0 §3.3.3): each literal tab, CR or LF reads as a space.
            let value = bytes[start..<i].map { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
            attributes[key] = try decodeReferences(value[...], at: start)
            i += 1
        }
    }

    /// Character data up to the next `<`, references decoded.
    mutating func characters() throws -> String {
        let start = i
        while i < bytes.count && bytes[i] != UInt8(ascii: "<") {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        return try decodeReferences(bytes[start..<i], at: start)
    }

    func decodeReferences(_ raw: ArraySlice<UInt8>, at offset: Int) throws -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var k = raw.startIndex
        while k < raw.endIndex {
            guard raw[k] == UInt8(ascii: "&") else { out.append(raw[k]); k += 1; continue }
            guard let semi = raw[k...].firstIndex(of: UInt8(ascii: ";")), semi - k <= 12 else {
                throw fail("'&' that starts no character reference", at: offset + k - raw.startIndex)
            }
            let entity = String(decoding: raw[(k + 1)..<semi], as: UTF8.self)
            let named: [String: String] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
            var scalar: Unicode.Scalar?
            if let s = named[entity] { scalar = s.unicodeScalars.first }
            else if entity.hasPrefix("#x") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
            else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init) }
            guard let scalar else { throw fail("unknown entity &\(entity);", at: offset + k - raw.startIndex) }
            out.append(contentsOf: Array(String(scalar).utf8))
            k = semi + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func name() throws -> String {
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            let ok = c >= 0x80 || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (i > start && ((c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")))
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")
            guard ok else { break }
            i += 1
        }
        guard i > start else { throw fail("expected a name", at: i) }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    @discardableResult
    mutating func skipSpace() -> Bool {
        let start = i
        while i < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[i]) {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        return i > start
    }

    func starts(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return i + u.count <= bytes.count && bytes[i..<(i + u.count)].elementsEqual(u)
    }

    mutating func expect(_ s: String) throws {
        guard starts(s) else { throw fail("expected '\(s)'", at: i) }
        i += s.utf8.count
    }

    /// Moves past the next `end`, counting lines; fails when the document ends first.
    mutating func skip(past end: String, what: String) throws {
        let start = i
        while i < bytes.count && !starts(end) {
            if bytes[i] == 0x0A { line += 1 }
            i += 1
        }
        guard i < bytes.count else { throw fail("unterminated \(what)", at: start) }
        i += end.utf8.count
    }

    /// A failure at byte `offset`, with the line number counted up to there.
    func fail(_ reason: String, at offset: Int) -> Failure {
        let upTo = min(max(offset, 0), bytes.count)
        return Failure(line: 1 + bytes[..<upTo].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, reason: reason)
    }
}
