import Foundation
import Testing
import TestSupport
@testable import PolicyTransport

@Suite struct SHA1Tests {
    /// Digests of messages around the 55/56/64-byte padding boundaries and a large one, against Python hashlib.
    @Test func matchesHashlib() throws {
        let lengths = [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 1_000_003]
        let message = (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let out = try TestSupport.python("""
            import hashlib, sys
            m = bytes((i * 31 + 7) & 255 for i in range(1000003))
            for n in [\(lengths.map(String.init).joined(separator: ","))]: print(hashlib.sha1(m[:n]).hexdigest())
            """)
        let expected = out.split(separator: "\n").map(String.init)
        #expect(expected.count == lengths.count)
        for (n, hex) in zip(lengths, expected) {
            let ours = SHA1.digest(message[..<n]).map { String(format: "%02x", $0) }.joined()
            #expect(ours == hex, "length \(n)")
        }
    }

    @Test func websocketAcceptExampleFromRFC6455() {
        // RFC 6455 §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" → accept "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
        let accept = Data(SHA1.digest(Array(("dGhlIHNhbXBsZSBub25jZQ==" + WebSocket.acceptGUID).utf8))).base64EncodedString()
        #expect(accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    /// RFC 6455 §5.3: byte i is XORed with key byte i mod 4, whatever the buffer's alignment.
    @Test func maskingMatchesTheDefinitionAtEveryAlignment() {
        let key: UInt32 = 0xA1B2_C3D4
        let k = withUnsafeBytes(of: key) { Array($0) }
        for length in [0, 1, 7, 8, 9, 63, 1000] {
            for offset in 0..<9 {
                var buffer = (0..<(length + offset)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
                let expected = buffer.enumerated().map { $0.offset < offset ? $0.element : $0.element ^ k[($0.offset - offset) % 4] }
                buffer.withUnsafeMutableBytes { WebSocket.applyMask(UnsafeMutableRawBufferPointer(rebasing: $0[offset...]), key: key) }
                #expect(buffer == expected, "length \(length) offset \(offset)")
            }
        }
    }
}
