import Foundation

/// A minimal element tree, so the URDF reader can walk the document with ordinary code and report each problem
/// with its element path. Read by our own strict parser of the XML subset URDF files use (declaration, comments,
/// processing instructions and CDATA skipped; elements, attributes, the five named entities and character
/// references): Foundation's `XMLParser` trapped on a comment holding invalid UTF-8 and dereferenced NULL on an
/// empty processing instruction (both found by fuzz/urdf), and a reader of untrusted files must not crash.
struct XMLElementNode {
    var name: String
    var attributes: [String: String]
    var children: [XMLElementNode]
    var line: Int

    func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Deepest element nesting accepted (URDF needs 3; the parser is iterative, this only bounds memory).
    static let maxDepth = 256

    /// Parses a whole document and returns its root element.
    static func parse(_ data: Data, source: String) throws -> XMLElementNode {
        var p = XMLScanner(bytes: [UInt8](data), source: source)
        if String(data: data, encoding: .utf8) == nil {
            p.position = firstInvalidUTF8(data)
            throw p.error("not UTF-8 text")
        }
        return try p.document()
    }

    /// Offset of the first byte that does not continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ data: Data) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let s): offset += s.count
            case .error(let length): return offset + length - 1
            case .emptyInput: return offset
            }
        }
    }
}

/// The parser behind `XMLElementNode.parse`: one pass over the bytes with an explicit stack of open elements.
private struct XMLScanner {
    let bytes: [UInt8]
    let source: String
    var position = 0

    init(bytes: [UInt8], source: String) {
        self.bytes = bytes; self.source = source
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }  // byte-order mark
    }

    func error(_ reason: String) -> URDFError {
        .malformedXML(source: source, line: 1 + bytes[..<min(position, bytes.count)].filter { $0 == 0x0A }.count, reason: reason)
    }

    /// Line of `position`, counted incrementally (positions only grow while elements are read).
    private var counted = (position: 0, line: 1)
    mutating func line() -> Int {
        counted.line += bytes[counted.position..<position].filter { $0 == 0x0A }.count
        counted.position = position
        return counted.line
    }

    var atEnd: Bool { position >= bytes.count }
    func peek(_ s: String) -> Bool { bytes[position...].starts(with: s.utf8) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isNameByte(_ b: UInt8) -> Bool { !isSpace(b) && !"<>/=\"'?!&".utf8.contains(b) }

    mutating func skipSpace() { while !atEnd && Self.isSpace(bytes[position]) { position += 1 } }

    /// Skips past `terminator`, failing with `what` when the document ends first.
    mutating func skip(past terminator: String, _ what: String) throws {
        let t = Array(terminator.utf8)
        while !atEnd {
            if bytes[position...].starts(with: t) { position += t.count; return }
            position += 1
        }
        throw error("unterminated \(what)")
    }

    /// Comments, processing instructions (the declaration among them) and CDATA sections; false if none is here.
    mutating func skipMarkup() throws -> Bool {
        if peek("<!--") { position += 4; try skip(past: "-->", "comment"); return true }
        if peek("<?") { position += 2; try skip(past: "?>", "processing instruction"); return true }
        if peek("<![CDATA[") { position += 9; try skip(past: "]]>", "CDATA section"); return true }
        if peek("<!") { throw error("DOCTYPE and other declarations are not supported") }
        return false
    }

    mutating func name() throws -> String {
        let start = position
        while !atEnd && Self.isNameByte(bytes[position]) { position += 1 }
        guard position > start else { throw error(atEnd ? "the document ends inside a tag" : "expected a name") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// An attribute value between matching quotes, entities decoded.
    mutating func quoted() throws -> String {
        guard !atEnd, bytes[position] == 0x22 || bytes[position] == 0x27 else { throw error("expected a quoted attribute value") }
        let quote = bytes[position]
        position += 1
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw error("unterminated attribute value") }
            let b = bytes[position]
            if b == quote { position += 1; return String(decoding: out, as: UTF8.self) }
            if b == 0x3C { throw error("'<' inside an attribute value") }
            if b == 0x26 { out += try entity() } else { out.append(b); position += 1 }
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xH;` → UTF-8.
    mutating func entity() throws -> [UInt8] {
        let start = position
        while !atEnd && bytes[position] != 0x3B && position - start < 12 { position += 1 }
        guard !atEnd, bytes[position] == 0x3B else { throw error("unterminated entity reference") }
        let body = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
        position += 1
        let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
        if let s = named[body] { return Array(s.utf8) }
        let code = body.hasPrefix("#x") ? UInt32(body.dropFirst(2), radix: 16) : body.hasPrefix("#") ? UInt32(body.dropFirst()) : nil
        guard let code, code > 0, let scalar = Unicode.Scalar(code) else { throw error("unknown entity '&\(body);'") }
        return Array(String(Character(scalar)).utf8)
    }

    mutating func document() throws -> XMLElementNode {
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        while true {
            if stack.isEmpty { skipSpace() }
            guard !atEnd else { break }
            if try skipMarkup() { continue }
            guard bytes[position] == 0x3C else {
                guard !stack.isEmpty else { throw error("text outside the root element") }
                position += 1  // character data: URDF keeps everything in attributes
                continue
            }
            if peek("</") {
                position += 2
                let closing = try name()
                skipSpace()
                guard !atEnd, bytes[position] == 0x3E else { throw error("expected '>' after </\(closing)") }
                position += 1
                guard let open = stack.popLast() else { throw error("</\(closing)> closes no element") }
                guard open.name == closing else {
                    throw error("</\(closing)> closes <\(open.name)> opened on line \(open.line) (unclosed or mismatched tag?)")
                }
                if stack.isEmpty { root = open } else { stack[stack.count - 1].children.append(open) }
                continue
            }
            guard root == nil else { throw error("a second root element") }
            position += 1
            var element = XMLElementNode(name: try name(), attributes: [:], children: [], line: line())
            var selfClosing = false
            while true {
                skipSpace()
                guard !atEnd else { throw error("the document ends inside <\(element.name)>") }
                if bytes[position] == 0x3E { position += 1; break }
                if peek("/>") { position += 2; selfClosing = true; break }
                let key = try name()
                skipSpace()
                guard !atEnd, bytes[position] == 0x3D else { throw error("expected '=' after attribute '\(key)'") }
                position += 1
                skipSpace()
                guard element.attributes.updateValue(try quoted(), forKey: key) == nil else {
                    throw error("attribute '\(key)' repeated in <\(element.name)>")
                }
            }
            if selfClosing {
                if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
            } else {
                guard stack.count < XMLElementNode.maxDepth else { throw error("elements nested deeper than \(XMLElementNode.maxDepth)") }
                stack.append(element)
            }
        }
        if let open = stack.last { throw error("<\(open.name)> opened on line \(open.line) is never closed") }
        guard let root else { throw error("no root element") }
        return root
    }
}
