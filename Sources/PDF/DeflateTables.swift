// The fixed tables of RFC 1951 §3.2.5–3.2.7, shared by the compressor and the decompressor.

/// Length and distance alphabets of DEFLATE.
enum DeflateTables {
    /// The smallest length each length symbol 257…285 stands for.
    static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    /// Extra bits after each length symbol.
    static let lengthExtra: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// The smallest distance each distance symbol 0…29 stands for.
    static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
        1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    /// Extra bits after each distance symbol.
    static let distanceExtra: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// The order in which code length code lengths are sent.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The length symbol index (0…28, i.e. symbol − 257) for each match length 0…258.
    static let lengthIndex: [UInt8] = (0...258).map { length in
        guard length >= 3 else { return 0 }
        var index = 28
        while lengthBase[index] > length { index -= 1 }
        return UInt8(index)
    }

    /// The distance symbol for distances 1…256 at `[distance - 1]`, and for larger ones at
    /// `[256 + (distance - 1) >> 7]`.
    static let distanceIndex: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        func symbol(_ distance: Int) -> UInt8 {
            var index = 29
            while distanceBase[index] > distance { index -= 1 }
            return UInt8(index)
        }
        for distance in 1...256 { table[distance - 1] = symbol(distance) }
        for slot in 2..<256 { table[256 + slot] = symbol(slot << 7 + 1) }
        return table
    }()

    /// Code lengths of the fixed literal/length code (BTYPE 01).
    static let fixedLiteralLengths: [UInt8] = (0..<288).map { symbol in
        switch symbol {
        case 0..<144: 8
        case 144..<256: 9
        case 256..<280: 7
        default: 8
        }
    }
    /// Code lengths of the fixed distance code.
    static let fixedDistanceLengths = [UInt8](repeating: 5, count: 30)
}

/// Canonical Huffman codes as DEFLATE builds them.
enum HuffmanCode {
    /// Code lengths (0 for unused symbols) of an optimal prefix code for `frequencies` with no code
    /// longer than `maxLength`. Ties are broken by symbol value, so the result is deterministic.
    static func lengths(for frequencies: [Int], maxLength: Int) -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: frequencies.count)
        var symbols: [Int] = []
        symbols.reserveCapacity(frequencies.count)
        for symbol in frequencies.indices where frequencies[symbol] > 0 { symbols.append(symbol) }
        if symbols.isEmpty { return lengths }
        if symbols.count == 1 {
            lengths[symbols[0]] = 1
            return lengths
        }
        symbols.sort { frequencies[$0] != frequencies[$1] ? frequencies[$0] < frequencies[$1] : $0 < $1 }
        var a = symbols.map { frequencies[$0] }
        minimumRedundancy(&a)

        // Count codes per length, then shorten the longest ones until the code fits `maxLength`.
        var counts = [Int](repeating: 0, count: max(maxLength, a.max() ?? 0) + 1)
        for length in a { counts[length] += 1 }
        if counts.count > maxLength + 1 {
            for length in (maxLength + 1)..<counts.count { counts[maxLength] += counts[length] }
        }
        var total = 0
        for length in 1...maxLength { total += counts[length] << (maxLength - length) }
        while total != 1 << maxLength {
            counts[maxLength] -= 1
            for length in stride(from: maxLength - 1, through: 1, by: -1) where counts[length] > 0 {
                counts[length] -= 1
                counts[length + 1] += 2
                break
            }
            total -= 1
        }
        // The most frequent symbols get the shortest codes.
        var next = symbols.count
        for length in 1...maxLength {
            for _ in 0..<counts[length] {
                next -= 1
                lengths[symbols[next]] = UInt8(length)
            }
        }
        return lengths
    }

    /// Moffat and Katajainen's in-place computation of code lengths: `a` holds weights in
    /// ascending order and receives the corresponding code lengths.
    private static func minimumRedundancy(_ a: inout [Int]) {
        let n = a.count
        a[0] += a[1]
        var root = 0, leaf = 2
        for next in 1..<(n - 1) {
            if leaf >= n || a[root] < a[leaf] {
                a[next] = a[root]
                a[root] = next
                root += 1
            } else {
                a[next] = a[leaf]
                leaf += 1
            }
            if leaf >= n || (root < next && a[root] < a[leaf]) {
                a[next] += a[root]
                a[root] = next
                root += 1
            } else {
                a[next] += a[leaf]
                leaf += 1
            }
        }
        a[n - 2] = 0
        if n >= 3 {
            for next in stride(from: n - 3, through: 0, by: -1) { a[next] = a[a[next]] + 1 }
        }
        var available = 1, used = 0, depth = 0
        var root2 = n - 2, next = n - 1
        while available > 0 {
            while root2 >= 0 && a[root2] == depth {
                used += 1
                root2 -= 1
            }
            while available > used {
                a[next] = depth
                next -= 1
                available -= 1
            }
            available = 2 * used
            depth += 1
            used = 0
        }
    }

    /// The canonical codes for `lengths`, bit-reversed so that they can be sent LSB first.
    static func reversedCodes(for lengths: [UInt8]) -> [UInt16] {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var codes = [UInt16](repeating: 0, count: lengths.count)
        for symbol in lengths.indices {
            let length = Int(lengths[symbol])
            guard length > 0 else { continue }
            var value = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for _ in 0..<length {
                reversed = reversed << 1 | value & 1
                value >>= 1
            }
            codes[symbol] = UInt16(reversed)
        }
        return codes
    }
}
