// Checksums used by the zlib and PNG formats.

/// Adler-32 (RFC 1950), the checksum that ends a zlib stream.
enum Adler32 {
    /// The Adler-32 of `bytes`, continuing from `initial` (1 for a fresh checksum).
    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, initial: UInt32 = 1) -> UInt32 {
        var a = initial & 0xFFFF
        var b = initial >> 16
        var index = 0
        let count = bytes.count
        while index < count {
            // 5552 is the most bytes that can be summed before `b` could overflow 32 bits.
            let end = min(index + 5552, count)
            while index < end {
                a &+= UInt32(bytes[index])
                b &+= a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }

    /// The Adler-32 of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }
}

/// CRC-32 (ISO 3309, as used by PNG chunks).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    /// The CRC-32 of `bytes`, continuing from `initial` (0 for a fresh checksum).
    static func checksum<Bytes: Sequence>(_ bytes: Bytes, initial: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        let table = Self.table
        var crc = ~initial
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}
