import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A minimal element tree built with Foundation's SAX parser, so the URDF reader (and the renderer's COLLADA
/// reader) can walk the document with ordinary code and report each problem with its element path.
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
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElementNode] = []
    var root: XMLElementNode?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(XMLElementNode(name: elementName, attributes: attributeDict, children: [],
                                    line: parser.lineNumber))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard let done = stack.popLast() else { return }
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }
}
