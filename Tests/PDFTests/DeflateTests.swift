@testable import PDF
import Foundation
import TestSupport
import Testing

@Suite struct DeflateTests {
    @Test(arguments: [0, 1, 100, 70_000])
    func roundTripsThroughOurInflate(size: Int) throws {
        let text = Array(String(repeating: "BT /F1 9.5 Tf 0 0 0 rg 1 0 0 1 52 770 Tm <0041004200430044> Tj ET\n", count: size / 60 + 1).utf8.prefix(size))
        let compressed = Deflate.zlib(Array(text))
        #expect(try Inflate.zlib(compressed, limit: size + 1) == Array(text))
        if size > 1000 { #expect(compressed.count < size / 5) }
    }

    @Test func randomBytesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(try Inflate.zlib(Deflate.zlib(bytes), limit: 50_001) == bytes)
    }

    @Test func pythonsZlibReadsOurStreams() throws {
        let data = Array(String(repeating: "Zoë Müller-Łukasiewicz 1,234.56 EUR\n", count: 200).utf8)
        let path = NSTemporaryDirectory() + "deflate-\(UUID().uuidString).z"
        try Data(Deflate.zlib(data)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try Spawn.run("/usr/bin/env", ["python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1],'rb').read()))", path]).stdout
        #expect([UInt8](output) == data)
    }

    @Test func hostileStreamsThrowInsteadOfCrashing() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let junk = [0x78, 0x9C] + (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? Inflate.zlib(junk, limit: 100_000)
        }
        #expect(throws: (any Error).self) { try Inflate.zlib([0x78, 0x9C, 0xFF], limit: 10) }
    }
}
