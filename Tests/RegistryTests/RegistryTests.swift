import Registry
import Testing

@Suite struct RegistryTests {
    @Test func looksUpRegisteredEntries() throws {
        let r = Registry<Int>("widget", [("b", 2), ("a", 1)])
        #expect(try r.lookup("a") == 1)
        #expect(try r.lookup("b") == 2)
        #expect(r.names == ["a", "b"])
        #expect(r.contains("a") && !r.contains("c"))
    }

    @Test func unknownNameListsTheKnownOnes() {
        let r = Registry<Int>("widget", [("b", 2), ("a", 1)])
        #expect(throws: UnknownName(kind: "widget", name: "c", known: ["a", "b"])) { try r.lookup("c") }
        #expect("\(UnknownName(kind: "widget", name: "c", known: ["a", "b"]))" == "unknown widget 'c' (known: a, b)")
    }
}
