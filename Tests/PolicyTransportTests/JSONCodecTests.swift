import Foundation
import Testing
import TestSupport
@testable import PolicyTransport

/// json_numpy (OpenVLA) and RoboTwin array conventions against the real json_numpy package and the reference
/// server's RoboTwin codec (the vlaser_policy_server package, clients/python).
@Suite struct JSONCodecTests {
    static let setup = """
        import sys, json, base64, numpy as np, json_numpy
        import vlaser_policy_server as vps
        img = (np.arange(224 * 224 * 3) % 253).astype(np.uint8).reshape(224, 224, 3)
        state = (np.arange(7) * 0.5 - 1).astype(np.float32)

        """

    @Test func jsonNumpyFromPython() throws {
        let out = try TestSupport.python(Self.setup + """
            sys.stdout.write(json_numpy.dumps({"image": img, "state": state, "scalar": np.float64(2.5), "i": np.int64(-3),
                                               "instruction": "pick \\"it\\"\\n é ☃", "n": None, "f": [1.5e-7, -2, True]}))
            """)
        let v = try JSONCodec.decode(Array(out.utf8), arrays: .jsonNumpy)
        let m = try #require(v.map)
        let image = try #require(m["image"]?.ndarray)
        #expect(image.dtype == .uint8 && image.shape == [224, 224, 3])
        let pixels: [UInt8] = (0..<224 * 224 * 3).map { UInt8($0 % 253) }
        let state: [Float] = (0..<7).map { Float($0) * 0.5 - 1 }
        #expect(Array(image.data) == pixels)
        #expect(m["state"]?.ndarray?.floats() == state)
        #expect(m["scalar"] == .double(2.5))
        #expect(m["i"] == .int(-3))
        #expect(m["instruction"] == .string("pick \"it\"\n é ☃"))
        #expect(m["n"] == .null)
        #expect(m["f"] == .array([.double(1.5e-7), .int(-2), .bool(true)]))
    }

    @Test func jsonNumpyToPython() throws {
        let state = NDArray(float32: (0..<7).map { Float($0) * 0.5 - 1 })
        let image = try NDArray(uint8: (0..<224 * 224 * 3).map { UInt8($0 % 253) }, shape: [224, 224, 3])
        let body = try JSONCodec.encode(.map(["image": .ndarray(image), "state": .ndarray(state), "instruction": .string("a\tb \u{1} é"),
                                              "x": .double(.infinity)]), arrays: .jsonNumpy)
        let out = try TestSupport.python(Self.setup + """
            d = json_numpy.loads(sys.stdin.read())
            assert d["image"].dtype == np.uint8 and np.array_equal(d["image"], img)
            assert d["state"].dtype == np.float32 and np.array_equal(d["state"], state)
            assert d["instruction"] == "a\\tb \\x01 é" and d["x"] == float("inf")
            print("ok")
            """, stdin: Data(body))
        #expect(out == "ok\n")
    }

    @Test func roboTwinBothWays() throws {
        let out = try TestSupport.python(Self.setup + """
            sys.stdout.write(json.dumps(vps.robotwin_encode({"res": np.arange(14, dtype=np.float64).reshape(2, 7), "b": np.bool_(True)})))
            """)
        let m = try #require(try JSONCodec.decode(Array(out.utf8), arrays: .roboTwin).map)
        let res = try #require(m["res"]?.ndarray)
        let values: [Double] = (0..<14).map(Double.init)
        #expect(res.dtype == .float64 && res.shape == [2, 7])
        #expect(res.doubles() == values)
        #expect(m["b"] == .bool(true))

        let joints = try NDArray(converting: (0..<14).map { Double($0) / 10 }, to: .float32)
        let body = try JSONCodec.encode(.map(["cmd": .string("get_action"), "obs": .map(["joint_action": .ndarray(joints)])]), arrays: .roboTwin)
        let back = try TestSupport.python(Self.setup + """
            d = vps.robotwin_decode(json.loads(sys.stdin.read()))
            a = d["obs"]["joint_action"]
            assert a.dtype == np.float32 and np.array_equal(a, (np.arange(14) / 10).astype(np.float32)), a
            print(d["cmd"])
            """, stdin: Data(body))
        #expect(back == "get_action\n")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "\"\\x\"", "01x", "{\"__numpy__\": \"!!\", \"dtype\": \"<f4\", \"shape\": [1]}",
                      "{\"__numpy__\": \"AAAA\", \"dtype\": \"<f4\", \"shape\": [2]}", "{\"__numpy__\": \"AAAA\", \"dtype\": \"<c8\", \"shape\": [1]}",
                      String(repeating: "[", count: 10_000)])
    func malformedJSONIsATypedError(text: String) {
        #expect(throws: TransportError.self) { try JSONCodec.decode(Array(text.utf8), arrays: .jsonNumpy) }
    }
}
