// Encodes LZ77 symbols as DEFLATE blocks (RFC 1951 §3.2.3–3.2.7), choosing per block whichever of
// stored, fixed Huffman and dynamic Huffman is smallest.

/// Bits packed least significant first into bytes.
struct BitWriter {
    private(set) var bytes: [UInt8]
    private var buffer: UInt64 = 0
    private var count = 0

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends the low `bitCount` (≤ 32) bits of `value`.
    @inline(__always)
    mutating func write(_ value: UInt32, _ bitCount: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += bitCount
        if count >= 32 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 8))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 16))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 24))
            buffer >>= 32
            count -= 32
        }
    }

    /// Pads with zero bits to a byte boundary and moves every pending bit into `bytes`.
    mutating func alignToByte() {
        while count > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count = max(0, count - 8)
        }
        buffer = 0
    }

    /// Appends whole bytes; only at a byte boundary.
    mutating func append(_ raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
    }
}

/// Writes one block of symbols. A symbol is a literal byte (< 256) or a match `length << 16 | distance`.
struct DeflateBlockWriter {
    private let lengthIndex = DeflateTables.lengthIndex
    private let distanceIndex = DeflateTables.distanceIndex
    private let lengthBase = DeflateTables.lengthBase
    private let lengthExtra = DeflateTables.lengthExtra
    private let distanceBase = DeflateTables.distanceBase
    private let distanceExtra = DeflateTables.distanceExtra

    @inline(__always)
    private func distanceSymbol(_ distance: Int) -> Int {
        distance <= 256 ? Int(distanceIndex[distance - 1]) : Int(distanceIndex[256 + (distance - 1) >> 7])
    }

    /// Encodes `symbols`, which stand for `raw`, as the smallest of the three block types.
    func write(_ symbols: ArraySlice<UInt32>, raw: UnsafeBufferPointer<UInt8>, isFinal: Bool, to out: inout BitWriter) {
        var literalFrequencies = [Int](repeating: 0, count: 286)
        var distanceFrequencies = [Int](repeating: 0, count: 30)
        var extraBits = 0
        for symbol in symbols {
            if symbol < 256 {
                literalFrequencies[Int(symbol)] += 1
            } else {
                let lengthSymbol = Int(lengthIndex[Int(symbol >> 16)])
                literalFrequencies[257 + lengthSymbol] += 1
                let distance = distanceSymbol(Int(symbol & 0xFFFF))
                distanceFrequencies[distance] += 1
                extraBits += lengthExtra[lengthSymbol] + distanceExtra[distance]
            }
        }
        literalFrequencies[256] = 1
        // Like zlib, give each code at least two symbols so that no decoder meets a one-code tree.
        if distanceFrequencies.lazy.filter({ $0 > 0 }).count < 2 {
            if distanceFrequencies[0] == 0 { distanceFrequencies[0] = 1 } else { distanceFrequencies[1] = 1 }
        }

        let literalLengths = HuffmanCode.lengths(for: literalFrequencies, maxLength: 15)
        let distanceLengths = HuffmanCode.lengths(for: distanceFrequencies, maxLength: 15)
        let header = DynamicHeader(literalLengths: literalLengths, distanceLengths: distanceLengths)

        func dataBits(_ literal: [UInt8], _ distance: [UInt8]) -> Int {
            var bits = extraBits
            for symbol in 0..<286 where literalFrequencies[symbol] > 0 { bits += literalFrequencies[symbol] * Int(literal[symbol]) }
            for symbol in 0..<30 where distanceFrequencies[symbol] > 0 { bits += distanceFrequencies[symbol] * Int(distance[symbol]) }
            return bits
        }
        let dynamicBits = 3 + header.bitCount + dataBits(literalLengths, distanceLengths)
        let fixedBits = 3 + dataBits(DeflateTables.fixedLiteralLengths, DeflateTables.fixedDistanceLengths)
        let storedChunks = max(1, (raw.count + 65534) / 65535)
        let storedBits = storedChunks * (3 + 7 + 32) + raw.count * 8

        if storedBits <= min(dynamicBits, fixedBits) {
            writeStored(raw, isFinal: isFinal, to: &out)
        } else if fixedBits <= dynamicBits {
            out.write(isFinal ? 1 : 0, 1)
            out.write(1, 2)
            writeSymbols(symbols, literalLengths: DeflateTables.fixedLiteralLengths,
                         distanceLengths: DeflateTables.fixedDistanceLengths, to: &out)
        } else {
            out.write(isFinal ? 1 : 0, 1)
            out.write(2, 2)
            header.write(to: &out)
            writeSymbols(symbols, literalLengths: literalLengths, distanceLengths: distanceLengths, to: &out)
        }
    }

    private func writeStored(_ raw: UnsafeBufferPointer<UInt8>, isFinal: Bool, to out: inout BitWriter) {
        var start = 0
        repeat {
            let length = min(65535, raw.count - start)
            let last = start + length == raw.count
            out.write(isFinal && last ? 1 : 0, 1)
            out.write(0, 2)
            out.alignToByte()
            out.write(UInt32(length) | UInt32(~length & 0xFFFF) << 16, 32)
            out.append(UnsafeBufferPointer(rebasing: raw[start..<(start + length)]))
            start += length
        } while start < raw.count
    }

    private func writeSymbols(_ symbols: ArraySlice<UInt32>, literalLengths: [UInt8], distanceLengths: [UInt8],
                              to out: inout BitWriter) {
        let literalCodes = HuffmanCode.reversedCodes(for: literalLengths)
        let distanceCodes = HuffmanCode.reversedCodes(for: distanceLengths)
        for symbol in symbols {
            if symbol < 256 {
                out.write(UInt32(literalCodes[Int(symbol)]), Int(literalLengths[Int(symbol)]))
                continue
            }
            let length = Int(symbol >> 16)
            let lengthSymbol = Int(lengthIndex[length])
            out.write(UInt32(literalCodes[257 + lengthSymbol]), Int(literalLengths[257 + lengthSymbol]))
            if lengthExtra[lengthSymbol] > 0 { out.write(UInt32(length - lengthBase[lengthSymbol]), lengthExtra[lengthSymbol]) }
            let distance = Int(symbol & 0xFFFF)
            let distanceSymbol = distanceSymbol(distance)
            out.write(UInt32(distanceCodes[distanceSymbol]), Int(distanceLengths[distanceSymbol]))
            if distanceExtra[distanceSymbol] > 0 {
                out.write(UInt32(distance - distanceBase[distanceSymbol]), distanceExtra[distanceSymbol])
            }
        }
        out.write(UInt32(literalCodes[256]), Int(literalLengths[256]))
    }
}

/// The header of a dynamic Huffman block: both code length lists, run-length encoded (RFC 1951 §3.2.7).
private struct DynamicHeader {
    private var runs: [(symbol: Int, extra: Int)] = []
    private let literalCount: Int
    private let distanceCount: Int
    private let codeLengthLengths: [UInt8]
    private let codeLengthCount: Int
    /// The header's size in bits, excluding the three block-type bits.
    let bitCount: Int

    init(literalLengths: [UInt8], distanceLengths: [UInt8]) {
        var literalCount = 286
        while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
        var distanceCount = 30
        while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }
        self.literalCount = literalCount
        self.distanceCount = distanceCount
        let all = Array(literalLengths[0..<literalCount]) + Array(distanceLengths[0..<distanceCount])

        var index = 0
        while index < all.count {
            let length = all[index]
            var run = 1
            while index + run < all.count && all[index + run] == length { run += 1 }
            index += run
            if length == 0 {
                while run >= 11 { let take = min(run, 138); runs.append((18, take - 11)); run -= take }
                if run >= 3 { runs.append((17, run - 3)); run = 0 }
            } else {
                runs.append((Int(length), 0))
                run -= 1
                while run >= 3 { let take = min(run, 6); runs.append((16, take - 3)); run -= take }
            }
            for _ in 0..<run { runs.append((Int(length), 0)) }
        }
        var frequencies = [Int](repeating: 0, count: 19)
        for run in runs { frequencies[run.symbol] += 1 }
        codeLengthLengths = HuffmanCode.lengths(for: frequencies, maxLength: 7)
        var codeLengthCount = 19
        while codeLengthCount > 4 && codeLengthLengths[DeflateTables.codeLengthOrder[codeLengthCount - 1]] == 0 {
            codeLengthCount -= 1
        }
        self.codeLengthCount = codeLengthCount
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for run in runs {
            bits += Int(codeLengthLengths[run.symbol])
            bits += run.symbol == 16 ? 2 : run.symbol == 17 ? 3 : run.symbol == 18 ? 7 : 0
        }
        bitCount = bits
    }

    func write(to out: inout BitWriter) {
        out.write(UInt32(literalCount - 257), 5)
        out.write(UInt32(distanceCount - 1), 5)
        out.write(UInt32(codeLengthCount - 4), 4)
        for index in 0..<codeLengthCount {
            out.write(UInt32(codeLengthLengths[DeflateTables.codeLengthOrder[index]]), 3)
        }
        let codes = HuffmanCode.reversedCodes(for: codeLengthLengths)
        for run in runs {
            out.write(UInt32(codes[run.symbol]), Int(codeLengthLengths[run.symbol]))
            switch run.symbol {
            case 16: out.write(UInt32(run.extra), 2)
            case 17: out.write(UInt32(run.extra), 3)
            case 18: out.write(UInt32(run.extra), 7)
            default: break
            }
        }
    }
}
