import Foundation
import Kinematics

/// What a data file or URDF parsed to, kept per process and keyed by the file's exact bytes: a suite's tasks share
/// a handful of robot set-ups, stages and URDFs, and `sim --suite` lists every task file before it loads each one,
/// so the same bytes used to be decoded and validated again for every task. A file whose bytes changed is a new key
/// and is parsed (and checked) afresh; only successful parses are kept, so every bad file still reports its error.
/// Bounded: when full the cache starts over, so a process that reads ever new contents (a long fuzzing campaign)
/// never grows without end.
final class ParsedFileCache: @unchecked Sendable {
    /// The process's cache, sized for every file of the largest suite with room to spare (each entry is a small
    /// decoded value or a URDF model).
    static let shared = ParsedFileCache(capacity: 256)

    private struct Key: Hashable {
        let kind: String
        let path: String
        /// An array rather than `Data`, whose storage pointer LeakSanitizer cannot see (it reported cached keys
        /// as leaks in the fuzzing campaign).
        let bytes: [UInt8]
    }
    let capacity: Int
    private let lock = NSLock()
    private var entries: [Key: Any] = [:]

    init(capacity: Int) { self.capacity = capacity }

    /// The value `parse` makes of `bytes`, parsed once per (kind, path, bytes). `path` is part of the key for
    /// readers whose result depends on where the file is (a URDF's mesh paths resolve against its folder).
    func value<T>(_ kind: String, path: String, bytes: Data, parse: () throws -> T) throws -> T {
        if let hit: T = known(kind, path: path, bytes: bytes) { return hit }
        let key = Key(kind: kind, path: path, bytes: [UInt8](bytes))
        let value = try parse()
        lock.lock(); defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
        return value
    }

    /// The value kept for (kind, path, bytes), if any.
    func known<T>(_ kind: String, path: String, bytes: Data) -> T? {
        let key = Key(kind: kind, path: path, bytes: [UInt8](bytes))
        lock.lock(); defer { lock.unlock() }
        return entries[key] as? T
    }

    /// `URDFModel.load(contentsOf:)` through the cache: the file is read every time, parsed when its bytes are new.
    func urdf(contentsOf url: URL) throws -> URDFModel {
        let bytes = try URDFModel.bytes(contentsOf: url)
        return try value("urdf", path: url.standardizedFileURL.path, bytes: bytes) { try URDFModel.read(bytes, contentsOf: url) }
    }
}
