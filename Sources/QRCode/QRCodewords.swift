/// The codeword sequence of one symbol: the byte-mode segment with its terminator and padding,
/// split into blocks, each followed by its Reed–Solomon codewords, interleaved as the symbol reads them.
enum QRCodewords {
    /// The data codewords of `bytes` in one byte-mode segment, padded to the symbol's data capacity.
    /// The caller has checked that `bytes` fits (`QRVersionTable.byteCapacity`).
    static func data(_ bytes: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        let capacityBits = QRVersionTable.dataCodewords(version, level) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: QRVersionTable.countBits(version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacityBits {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// `data` split into the version's blocks (the short ones first), each block's error-correction
    /// codewords added, and everything interleaved: data column by column, then error correction.
    static func interleaved(_ data: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        let blockCount = QRVersionTable.blocks(version, level)
        let eccLength = QRVersionTable.eccPerBlock(version, level)
        let total = QRVersionTable.totalCodewords(version)
        let shortBlocks = blockCount - total % blockCount
        let shortDataLength = total / blockCount - eccLength
        let generator = ReedSolomon.generator(degree: eccLength)

        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortDataLength + (block < shortBlocks ? 0 : 1)
            let slice = Array(data[start..<start + length])
            dataBlocks.append(slice)
            eccBlocks.append(ReedSolomon.remainder(of: slice, generator: generator))
            start += length
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }
}

/// Bits appended most significant first, read back as bytes.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        for bit in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> bit) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
