/// A DEFLATE decoder (RFC 1951) for PNG image data, with zlib framing (RFC 1950). Hostile input
/// throws; output is capped so a small stream cannot expand without bound.
enum Inflate {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Decodes a zlib stream, producing at most `limit` bytes.
    static func zlib(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        guard input.count >= 6, input[0] & 0x0F == 8, (UInt16(input[0]) << 8 | UInt16(input[1])) % 31 == 0, input[1] & 0x20 == 0 else {
            throw Failure(description: "not a zlib stream")
        }
        return try raw(Array(input[2...]), limit: limit)
    }

    private struct Bits {
        let bytes: [UInt8]
        var position = 0
        var bitBuffer: UInt32 = 0
        var bitCount = 0

        mutating func bits(_ count: Int) throws -> Int {
            while bitCount < count {
                guard position < bytes.count else { throw Failure(description: "unexpected end of compressed data") }
                bitBuffer |= UInt32(bytes[position]) << UInt32(bitCount)
                position += 1
                bitCount += 8
            }
            let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
            bitBuffer >>= UInt32(count)
            bitCount -= count
            return value
        }

        mutating func alignToByte() {
            bitBuffer = 0
            bitCount = 0
        }
    }

    /// Canonical Huffman decoding table: counts per length and symbols in code order.
    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) throws {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }

        func decode(_ bits: inout Bits) throws -> Int {
            var code = 0, first = 0, index = 0
            for length in 1..<16 {
                code |= try bits.bits(1)
                let count = counts[length]
                if code - count < first { return symbols[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw Failure(description: "invalid Huffman code")
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                       4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static func raw(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var bits = Bits(bytes: input)
        var output: [UInt8] = []
        var final = false
        while !final {
            final = try bits.bits(1) == 1
            switch try bits.bits(2) {
            case 0:
                bits.alignToByte()
                guard bits.position + 4 <= input.count else { throw Failure(description: "truncated stored block") }
                let length = Int(input[bits.position]) | Int(input[bits.position + 1]) << 8
                let check = Int(input[bits.position + 2]) | Int(input[bits.position + 3]) << 8
                guard length == ~check & 0xFFFF, bits.position + 4 + length <= input.count else { throw Failure(description: "bad stored block") }
                guard output.count + length <= limit else { throw Failure(description: "image data larger than its dimensions allow") }
                output.append(contentsOf: input[(bits.position + 4)..<(bits.position + 4 + length)])
                bits.position += 4 + length
            case 1:
                let literal = try Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                let distance = try Huffman(lengths: [Int](repeating: 5, count: 30))
                try inflateBlock(&bits, &output, literal, distance, limit: limit)
            case 2:
                let literalCount = try bits.bits(5) + 257, distanceCount = try bits.bits(5) + 1, codeCount = try bits.bits(4) + 4
                guard literalCount <= 286, distanceCount <= 30 else { throw Failure(description: "bad dynamic block header") }
                var codeLengths = [Int](repeating: 0, count: 19)
                for index in 0..<codeCount { codeLengths[[16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15][index]] = try bits.bits(3) }
                let codeTable = try Huffman(lengths: codeLengths)
                var lengths: [Int] = []
                while lengths.count < literalCount + distanceCount {
                    let symbol = try codeTable.decode(&bits)
                    switch symbol {
                    case 0..<16: lengths.append(symbol)
                    case 16:
                        guard let last = lengths.last else { throw Failure(description: "repeat with no length") }
                        lengths += [Int](repeating: last, count: 3 + (try bits.bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try bits.bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try bits.bits(7)))
                    }
                }
                guard lengths.count == literalCount + distanceCount else { throw Failure(description: "code lengths overrun") }
                try inflateBlock(&bits, &output, try Huffman(lengths: Array(lengths[..<literalCount])),
                                 try Huffman(lengths: Array(lengths[literalCount...])), limit: limit)
            default:
                throw Failure(description: "invalid block type")
            }
        }
        return output
    }

    private static func inflateBlock(_ bits: inout Bits, _ output: inout [UInt8], _ literal: Huffman, _ distance: Huffman, limit: Int) throws {
        while true {
            let symbol = try literal.decode(&bits)
            if symbol < 256 {
                guard output.count < limit else { throw Failure(description: "image data larger than its dimensions allow") }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw Failure(description: "bad length symbol") }
                let length = lengthBase[index] + (try bits.bits(lengthExtra[index]))
                let distanceSymbol = try distance.decode(&bits)
                guard distanceSymbol < 30 else { throw Failure(description: "bad distance symbol") }
                let back = distanceBase[distanceSymbol] + (try bits.bits(distanceExtra[distanceSymbol]))
                guard back <= output.count else { throw Failure(description: "distance before the start") }
                guard output.count + length <= limit else { throw Failure(description: "image data larger than its dimensions allow") }
                let start = output.count - back
                for offset in 0..<length { output.append(output[start + offset]) }
            }
        }
    }
}
