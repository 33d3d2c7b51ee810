import Foundation
import Testing
import TestSupport
@testable import PolicyTransport

/// Byte-level compatibility with Python msgpack 1.2.4 and openpi_client.msgpack_numpy, in both directions.
@Suite struct MsgPackTests {
    static let oracle = Peer.fixtures.appendingPathComponent("msgpack_oracle.py").path

    static func oracleJSON(_ mode: String) throws -> [[String: Any]] {
        let r = try TestSupport.run(TestSupport.python, [oracle, mode])
        guard r.status == 0 else { throw TestSupportError.pythonFailed(r.stderr) }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
    }
    static func bytes(_ b64: Any?) -> [UInt8] { [UInt8](Data(base64Encoded: b64 as! String)!) }

    /// The pattern msgpack_oracle.py's expected() produces, computed independently here.
    static func pattern(_ dt: NDArray.DType, _ n: Int) -> [Double] {
        (0..<n).map { i in
            switch dt {
            case .bool: return i % 3 == 0 ? 1 : 0
            case .float16, .float32, .float64: return Double(i) * 0.5 - 3.25
            case .int8, .int16, .int32, .int64: return Double(i * 7 % 100 - 50)
            case .uint8, .uint16, .uint32, .uint64: return Double(i * 7 % 100)
            }
        }
    }

    @Test func everyMsgPackTypeRoundTripsByteIdentically() throws {
        let cases = try Self.oracleJSON("cases")
        #expect(cases.count > 50)
        for c in cases {
            let packed = Self.bytes(c["packed"])
            let v = try MsgPackDecoder.decode(packed, numpy: false)
            #expect(MsgPackEncoder.encode(v) == packed, "\(c["name"]!)")
            #expect(MsgPackEncoder.size(v) == packed.count)
            switch c["name"] as! String {
            case "int 18446744073709551615": #expect(v == .uint(.max))
            case "int -9223372036854775808": #expect(v == .int(.min))
            case "int 65536": #expect(v == .int(65536))
            case "float32": #expect(v == .float(1.5))
            case "ext 3": #expect(v == .ext(type: 5, data: [7, 7, 7][...]))
            case "timestamp96":
                guard case .ext(-1, let d) = v else { Issue.record("timestamp is \(v.kind)"); continue }
                #expect(d.count == 12)
            case "str 65536": #expect(v.string?.count == 32768)
            case "bin keys": #expect(v.map?[.binary(Array("raw".utf8)[...])] == .int(1))
            default: break
            }
        }
    }

    @Test func numpyArraysFromPythonDecodeAndReencodeIdentically() throws {
        for c in try Self.oracleJSON("arrays") {
            let packed = Self.bytes(c["packed"])
            let v = try MsgPackDecoder.decode(packed)
            if let generic = c["npgeneric"] as? String {
                let expected = (c["value"] as! NSNumber).doubleValue
                #expect(v.number == expected, "npgeneric \(generic) → \(v)")
                continue
            }
            let descr = c["dtype"] as! String, shape = c["shape"] as! [Int]
            guard case .ndarray(let a) = v else { Issue.record("\(descr) decoded as \(v.kind)"); continue }
            #expect(a.dtype.descr == descr && a.shape == shape)
            #expect(Array(a.data) == Self.bytes(c["raw"]))
            if shape.count == 3 && shape[0] != 448 {
                #expect(a.doubles() == Self.pattern(a.dtype, 24), "\(descr)")
            }
            #expect(MsgPackEncoder.encode(v) == packed, "\(descr) \(shape) re-encodes differently")
        }
    }

    @Test func swiftEncodedArraysUnpackInOpenPIClient() throws {
        var arrays = WireMap()
        for dt in NDArray.DType.allCases {
            arrays[dt.descr] = .ndarray(try NDArray(converting: Self.pattern(dt, 24), to: dt, shape: [2, 3, 4]))
        }
        let image = try NDArray(uint8: (0..<448 * 448 * 3).map { UInt8($0 % 251) }, shape: [448, 448, 3])
        let message: WireMap = [
            "arrays": .map(arrays), "prompt": .string("put the spoon on the towel é"), "image": .ndarray(image),
            "nested": .map(["x": .array([.int(1), .int(-1), .int(1 << 40), .double(0.25), .null, .bool(true)])]),
        ]
        let r = try TestSupport.run(TestSupport.python, [Self.oracle, "check"], stdin: Data(MsgPackEncoder.encode(.map(message))))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok \(NDArray.DType.allCases.count + 2)")
    }

    @Test func strKeysDoNotMakeAnArray() throws {
        // openpi's object hook looks for the *bin* key; the same map with str keys stays a map (engineering-notes §1a).
        let m: WireMap = ["__ndarray__": .bool(true), "data": .binary([1, 2][...]), "dtype": .string("|u1"), "shape": .array([.int(2)])]
        let v = try MsgPackDecoder.decode(MsgPackEncoder.encode(.map(m)))
        #expect(v == .map(m))
    }

    @Test func binPayloadsShareTheInputBuffer() throws {
        let payload = [UInt8](repeating: 9, count: 100_000)
        let bytes = MsgPackEncoder.encode(.binary(payload[...]))
        guard case .binary(let slice) = try MsgPackDecoder.decode(bytes) else { Issue.record("not bin"); return }
        bytes.withUnsafeBufferPointer { whole in
            slice.withUnsafeBufferPointer { part in #expect(part.baseAddress == whole.baseAddress! + 5) }
        }
    }

    @Test(arguments: [
        ([0xc1], "never used"),
        ([0x92, 0x01], "array of 2 elements, 1 byte(s) left"),
        ([0x92, 0x01, 0xcd, 0x01], "truncated 2-byte"),
        ([0xdd, 0xff, 0xff, 0xff, 0xff], "array of 4294967295"),
        ([0xdf, 0x7f, 0xff, 0xff, 0xff, 0x00], "map of"),
        ([0xc6, 0xff, 0xff, 0xff, 0xf0, 0x00], "needs 4294967280"),
        ([0xa2, 0xff, 0xfe], "not valid UTF-8"),
        ([0x01, 0x02], "extra byte"),
        ([0xcb, 0x00], "truncated 8-byte"),
    ] as [([UInt8], String)])
    func malformedInputIsATypedError(input: [UInt8], message: String) {
        #expect {
            _ = try MsgPackDecoder.decode(input)
        } throws: { e in
            guard case TransportError.malformed(let d) = e else { return false }
            return d.contains(message)
        }
    }

    @Test func deepNestingAndLyingArraysAreRejected() throws {
        let deep = [UInt8](repeating: 0x91, count: 100_000) + [0xc0]
        #expect(throws: TransportError.self) { try MsgPackDecoder.decode(deep) }
        // An ndarray whose shape needs more bytes than it carries.
        let lying = WireMap([(key: .binary(MsgPackEncoder.ndarrayKey[...]), value: .bool(true)), (key: .binary(MsgPackEncoder.dataKey[...]), value: .binary([0, 0][...])),
                             (key: .binary(MsgPackEncoder.dtypeKey[...]), value: .string("<f4")), (key: .binary(MsgPackEncoder.shapeKey[...]), value: .array([.int(3)]))])
        #expect { try MsgPackDecoder.decode(MsgPackEncoder.encode(.map(lying))) } throws: { e in
            "\(e)".contains("needs 12 bytes, got 2")
        }
        let unknown = WireMap([(key: .binary(MsgPackEncoder.ndarrayKey[...]), value: .bool(true)), (key: .binary(MsgPackEncoder.dataKey[...]), value: .binary([][...])),
                               (key: .binary(MsgPackEncoder.dtypeKey[...]), value: .string("<U4")), (key: .binary(MsgPackEncoder.shapeKey[...]), value: .array([]))])
        #expect { try MsgPackDecoder.decode(MsgPackEncoder.encode(.map(unknown))) } throws: { e in "\(e)".contains("'<U4'") }
    }

    @Test func halfPrecisionConvertsBothWays() throws {
        for v in [0.0, -0.0, 1, -2.5, 65504, 0x1p-24, 0x1p-14, 3.140625, .infinity] {
            #expect(NDArray.half(NDArray.halfBits(v)) == v, "\(v)")
        }
        #expect(NDArray.half(NDArray.halfBits(.nan)).isNaN)
    }

    /// `rows(limit:)` converts only the first rows of a chunk.
    @Test func rowsStopAtTheLimit() throws {
        let a = try NDArray(converting: (0..<12).map(Double.init), to: .float32, shape: [4, 3])
        #expect(try a.rows() == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]])
        #expect(try a.rows(limit: 2) == [[0, 1, 2], [3, 4, 5]])
        #expect(try a.rows(limit: 0) == [])
        #expect(try a.rows(limit: 99).count == 4)
    }
}
