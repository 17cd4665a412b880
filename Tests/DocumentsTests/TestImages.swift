/// Tiny images made by hand: a 2×2 RGBA PNG (zlib stored block) for logo tests.
enum TestImages {
    static let rgbaPNG: [UInt8] = {
        func crc(_ bytes: [UInt8]) -> UInt32 {
            var table = [UInt32](repeating: 0, count: 256)
            for n in 0..<256 {
                var c = UInt32(n)
                for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
                table[n] = c
            }
            var c: UInt32 = 0xFFFF_FFFF
            for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
            return c ^ 0xFFFF_FFFF
        }
        func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            be32(UInt32(body.count)) + Array(type.utf8) + body + be32(crc(Array(type.utf8) + body))
        }
        let raw: [UInt8] = [0, 255, 0, 0, 255, 0, 0, 255, 128, 0, 31, 111, 235, 255, 255, 255, 255, 0]
        var adler: (UInt32, UInt32) = (1, 0)
        for byte in raw { adler.0 = (adler.0 + UInt32(byte)) % 65521; adler.1 = (adler.1 + adler.0) % 65521 }
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(raw.count), 0, ~UInt8(raw.count), 0xFF] + raw + be32(adler.1 << 16 | adler.0)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", be32(2) + be32(2) + [8, 6, 0, 0, 0]) + chunk("IDAT", zlib) + chunk("IEND", [])
    }()
}
