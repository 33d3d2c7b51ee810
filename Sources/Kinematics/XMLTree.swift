import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A minimal element tree built with Foundation's SAX parser, so the URDF reader can walk the document with
/// ordinary code and report each problem with its element path.
struct XMLElementNode {
    var name: String
    var attributes: [String: String]
    var children: [XMLElementNode]
    var line: Int

    func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Parses a whole document and returns its root element.
    static func parse(_ data: Data, source: String) throws -> XMLElementNode {
        // Foundation's parser traps on invalid UTF-8 inside a comment (found by fuzz/urdf), so such bytes are
        // refused before it sees them.
        if String(data: data, encoding: .utf8) == nil {
            let line = 1 + (data.prefix(Self.firstInvalidUTF8(data)).filter { $0 == 0x0A }.count)
            throw URDFError.malformedXML(source: source, line: line, reason: "not UTF-8 text")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        if !parser.parse() || builder.root == nil {
            var reason = parser.parserError.map { "libxml2 error \(($0 as NSError).code)" } ?? "no root element"
            if let open = builder.stack.last {
                reason += " inside <\(open.name)> opened on line \(open.line) (unclosed or mismatched tag?)"
            }
            throw URDFError.malformedXML(source: source, line: parser.lineNumber, reason: reason)
        }
        return builder.root!
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

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElementNode] = []
    var root: XMLElementNode?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(XMLElementNode(name: elementName, attributes: attributeDict, children: [],
                                    line: parser.lineNumber))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard let done = stack.popLast() else { return }
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }
}
