import Foundation
import Testing
import TestSupport
@testable import Sim

/// Parsed files are kept by their bytes (fuzz/scenes: re-reading unchanged set-ups and URDFs dominated each input):
/// the same bytes parse once, new bytes parse afresh, errors are never kept, and the cache stays bounded.
struct ParsedFileCacheTests {
    struct Refused: Error {}

    @Test func sameBytesParseOnceNewBytesAndErrorsAgain() throws {
        let cache = ParsedFileCache(capacity: 3)
        var parses = 0
        func load(_ text: String, _ result: Int) throws -> Int {
            try cache.value("n", path: "f", bytes: Data(text.utf8)) { parses += 1; return result }
        }
        #expect(try load("a", 1) == 1)
        #expect(try load("a", 2) == 1 && parses == 1)
        #expect(try load("b", 3) == 3 && parses == 2)
        for _ in 0..<2 {
            #expect(throws: Refused.self) { try cache.value("n", path: "f", bytes: Data("c".utf8)) { () throws -> Int in parses += 1; throw Refused() } }
        }
        #expect(parses == 4)
        // Another kind or path is another key.
        #expect(try cache.value("m", path: "f", bytes: Data("a".utf8)) { 5 } == 5)
        // Full (a, b, m): the next new entry starts the cache over, so "a" is parsed again.
        #expect(try load("d", 6) == 6)
        #expect(try load("a", 7) == 7 && parses == 6)
    }

    /// A data file rewritten on disk is decoded and checked again: a typo added later is still reported.
    @Test func rewrittenDataFileIsCheckedAgain() throws {
        let dir = try TestSupport.makeTempDir("parsed-cache")
        let url = dir.appendingPathComponent("look.json")
        try Data(#"{"rules": [{"rgba": [1, 0, 0, 1]}]}"#.utf8).write(to: url)
        #expect(try DataFile.load(Colouring.self, from: url).rules.first?.rgba == [1, 0, 0, 1])
        try Data(#"{"rules": [{"rgba": [1, 0, 0, 1], "visul": "front"}]}"#.utf8).write(to: url)
        #expect(throws: DataFileError.self) { try DataFile.load(Colouring.self, from: url) }
        try Data(#"{"rules": [{"rgba": [0, 1, 0, 1]}]}"#.utf8).write(to: url)
        #expect(try DataFile.load(Colouring.self, from: url).rules.first?.rgba == [0, 1, 0, 1])
    }

    /// A file that extends a base is merged again when the base changes, though its own bytes did not.
    @Test func changedBaseFileIsMergedAgain() throws {
        let dir = try TestSupport.makeTempDir("parsed-cache")
        let base = dir.appendingPathComponent("base.json"), child = dir.appendingPathComponent("child.json")
        try Data(#"{"extends": "base.json"}"#.utf8).write(to: child)
        try Data(#"{"rules": [{"rgba": [1, 0, 0, 1]}]}"#.utf8).write(to: base)
        #expect(try DataFile.load(Colouring.self, from: child).rules.first?.rgba == [1, 0, 0, 1])
        try Data(#"{"rules": [{"rgba": [0, 0, 1, 1]}]}"#.utf8).write(to: base)
        #expect(try DataFile.load(Colouring.self, from: child).rules.first?.rgba == [0, 0, 1, 1])
        try Data(#"{"rules": [{"rgba": [0, 0, 1, 1], "visul": "front"}]}"#.utf8).write(to: base)
        #expect(throws: DataFileError.self) { try DataFile.load(Colouring.self, from: child) }
    }

    /// An empty data file is refused as invalid JSON without being read (Foundation's reader leaked 4 KB per empty
    /// file; fuzz/scenes seed `regression-empty-object-file`).
    @Test func emptyDataFileIsNotJSON() throws {
        let url = try TestSupport.makeTempDir("parsed-cache").appendingPathComponent("empty.json")
        try Data().write(to: url)
        let error = try #require(throws: DataFileError.self) { try DataFile.load(Colouring.self, from: url) }
        #expect(error.description.hasPrefix("\(url.path): is not valid JSON"), "\(error)")
    }

    /// `DataFile.bytes(at:)` (presets, suite defaults, norm statistics): an empty file is empty bytes, a missing one nil.
    @Test func bytesOfEmptyAndMissingFiles() throws {
        let dir = try TestSupport.makeTempDir("parsed-cache")
        try Data().write(to: dir.appendingPathComponent("empty.json"))
        #expect(DataFile.bytes(at: dir.appendingPathComponent("empty.json")) == Data())
        #expect(DataFile.bytes(at: dir.appendingPathComponent("missing.json")) == nil)
    }
}
