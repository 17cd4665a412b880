/// Real PNGs made by hand. `zeros` makes all-zero pixels of any size for logo tests: the image data
/// is one dynamic-Huffman DEFLATE block of runs of 258 zero bytes (two bits each), so a 10000×4000
/// RGBA image (160 MB of pixels) is a 155 KB file, the decompression bomb of the security review.
/// `grey` stores a greyscale picture uncompressed, for decoders to read.
public enum TestPNG {
    /// A PNG of `width`×`height` zero pixels; `colorType` 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA.
    public static func zeros(width: Int, height: Int, colorType: UInt8 = 6) -> [UInt8] {
        let channels = [0: 1, 2: 3, 4: 2, 6: 4][Int(colorType)]!
        let rawCount = (width * channels + 1) * height
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, colorType, 0, 0, 0]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", zlibZeros(rawCount))
        png.appendChunk("IEND", [])
        return png
    }

    /// An 8-bit greyscale PNG of `pixels` (row-major, `width` × `height`, 0 black … 255 white),
    /// stored uncompressed: what a decoder such as `zbarimg` needs to read a rendered image.
    public static func grey(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        precondition(pixels.count == width * height)
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * height)
        for row in 0..<height { raw.append(0); raw += pixels[row * width..<(row + 1) * width] }
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, 0, 0, 0, 0]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", zlibStored(raw))
        png.appendChunk("IEND", [])
        return png
    }

    /// A zlib stream of `data` in stored (uncompressed) DEFLATE blocks of at most 65 535 bytes.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            stream += [end == data.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            stream += data[start..<end]
            start = end
        } while start < data.count
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        stream.appendBigEndian(b << 16 | a)
        return stream
    }

    /// A zlib stream of `count` zero bytes. Literal/length code: 285 (length 258) → 0,
    /// literal 0 → 10, end of block → 11; one distance code (1) → 0.
    static func zlibZeros(_ count: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, 1)                 // final block
        bits.write(2, 2)                 // dynamic Huffman
        bits.write(286 - 257, 5)         // HLIT
        bits.write(0, 5)                 // HDIST: one distance code
        bits.write(18 - 4, 4)            // HCLEN: code length codes up to "1" in the permuted order
        // Code-length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
        // 18 → 1 bit (code 0), 1 → 2 bits (10), 2 → 2 bits (11).
        for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { bits.write(length, 3) }
        func zeros(_ run: Int) { bits.code(0, 1); bits.write(run - 11, 7) }
        bits.code(0b11, 2)                // literal 0: length 2
        zeros(138); zeros(117)            // literals 1…255: unused
        bits.code(0b11, 2)                // 256: length 2
        zeros(28)                         // 257…284: unused
        bits.code(0b10, 2)                // 285: length 1
        bits.code(0b10, 2)                // distance 0: length 1
        bits.code(0b10, 2)                // the first zero, a literal
        var left = count - 1
        while left >= 258 { bits.code(0, 1); bits.code(0, 1); left -= 258 }
        for _ in 0..<left { bits.code(0b10, 2) }
        bits.code(0b11, 2)                // end of block
        var stream: [UInt8] = [0x78, 0x01] + bits.bytes
        stream.appendBigEndian(UInt32(count % 65521) << 16 | 1)   // Adler-32 of zeros
        return stream
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0

        /// `value`'s low `count` bits, least significant first (header fields, extra bits).
        mutating func write(_ value: Int, _ count: Int) {
            for bit in 0..<count { push((value >> bit) & 1) }
        }

        /// A Huffman code, most significant bit first.
        mutating func code(_ value: Int, _ length: Int) {
            for bit in stride(from: length - 1, through: 0, by: -1) { push((value >> bit) & 1) }
        }

        private mutating func push(_ bit: Int) {
            if bitCount % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8(bit) << UInt8(bitCount % 8)
            bitCount += 1
        }
    }
}

private extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func appendChunk(_ type: String, _ data: [UInt8]) {
        appendBigEndian(UInt32(data.count))
        let typed = Array(type.utf8) + data
        append(contentsOf: typed)
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in typed {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        appendBigEndian(~crc)
    }
}
