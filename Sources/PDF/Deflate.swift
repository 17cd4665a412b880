// A DEFLATE compressor (RFC 1951) with a zlib wrapper (RFC 1950) for PDF's /FlateDecode.
//
// LZ77 over a 32 KiB window with hash chains and one step of lazy matching (like zlib's levels
// 4–6), then per block the smallest of stored, fixed Huffman and dynamic Huffman coding.

/// DEFLATE compression.
public enum Deflate {
    /// How hard the match finder looks: more effort, smaller output, slower.
    public enum Effort: Sendable {
        /// Short hash chains, no lazy matching: for large, already dense data such as fonts and images.
        case fast
        /// zlib's default-level trade-off: for text such as content streams.
        case `default`

        var maxChain: Int { self == .fast ? 8 : 64 }
        var lazyLimit: Int { self == .fast ? 0 : 32 }
        var niceLength: Int { self == .fast ? 32 : 128 }
    }

    /// `input` as a zlib stream (header, DEFLATE data, Adler-32), as /FlateDecode expects.
    public static func zlib(_ input: [UInt8], effort: Effort = .default) -> [UInt8] {
        input.withUnsafeBufferPointer { buffer in
            var out = BitWriter(capacity: buffer.count / 3 + 64)
            out.write(0x78 | 0x9C << 8, 16)
            compress(buffer, effort: effort, into: &out)
            out.alignToByte()
            let adler = Adler32.checksum(buffer)
            out.write(UInt32(adler >> 24) | UInt32(adler >> 16 & 0xFF) << 8 | UInt32(adler >> 8 & 0xFF) << 16
                      | UInt32(adler & 0xFF) << 24, 32)
            out.alignToByte()
            return out.bytes
        }
    }

    /// `input` as raw DEFLATE data, without a zlib header or checksum.
    public static func raw(_ input: [UInt8], effort: Effort = .default) -> [UInt8] {
        input.withUnsafeBufferPointer { buffer in
            var out = BitWriter(capacity: buffer.count / 3 + 64)
            compress(buffer, effort: effort, into: &out)
            out.alignToByte()
            return out.bytes
        }
    }

    /// Symbols per block before the block is encoded.
    private static let blockSymbols = 1 << 15
    private static let windowSize = 1 << 15
    private static let minMatch = 3
    private static let maxMatch = 258

    static func compress(_ input: UnsafeBufferPointer<UInt8>, effort: Effort, into out: inout BitWriter) {
        let count = input.count
        guard count > 0, let base = input.baseAddress else {
            out.write(1, 1)   // BFINAL, fixed Huffman, end of block
            out.write(1, 2)
            out.write(0, 7)
            out.alignToByte()
            return
        }
        let blockWriter = DeflateBlockWriter()
        // Small inputs get small tables: setting up the tables costs more than compressing.
        var hashBits = 8
        while hashBits < 15 && 1 << hashBits < count { hashBits += 1 }
        let hashShift = UInt32(32 - hashBits)
        var chainSize = 256
        while chainSize < windowSize && chainSize < count { chainSize <<= 1 }
        let chainMask = chainSize - 1
        var head = [Int32](repeating: -1, count: 1 << hashBits)
        var chain = [Int32](repeating: -1, count: chainSize)
        var symbols: [UInt32] = []
        symbols.reserveCapacity(min(count, blockSymbols) + 2)
        let maxChain = effort.maxChain, lazyLimit = effort.lazyLimit, niceLength = effort.niceLength

        head.withUnsafeMutableBufferPointer { head in
        chain.withUnsafeMutableBufferPointer { chain in
            let raw = UnsafeRawPointer(base)

            /// Inserts position `at` (which has three bytes ahead) and returns the previous chain head.
            @inline(__always) func insert(_ at: Int) -> Int {
                let key = UInt32(base[at]) | UInt32(base[at + 1]) << 8 | UInt32(base[at + 2]) << 16
                let slot = Int((key &* 2_654_435_761) >> hashShift)
                let previous = Int(head[slot])
                head[slot] = Int32(at)
                chain[at & chainMask] = Int32(previous)
                return previous
            }

            /// The longest match for `at` among the chain from `candidate`, if longer than `atLeast`.
            @inline(__always) func longestMatch(_ at: Int, from candidate: Int, atLeast: Int) -> (length: Int, distance: Int) {
                let limit = min(maxMatch, count - at)
                var best = atLeast, bestDistance = 0
                guard best < limit else { return (0, 0) }
                var candidate = candidate
                var remaining = atLeast >= 8 ? maxChain >> 2 : maxChain
                let lowest = at - windowSize
                while candidate >= 0 && candidate >= lowest && remaining > 0 {
                    if base[candidate + best] == base[at + best] && base[candidate] == base[at]
                        && base[candidate + 1] == base[at + 1] {
                        var length = 0
                        while length + 8 <= limit {
                            let difference = raw.loadUnaligned(fromByteOffset: at + length, as: UInt64.self)
                                ^ raw.loadUnaligned(fromByteOffset: candidate + length, as: UInt64.self)
                            if difference != 0 {
                                length += UInt64(littleEndian: difference).trailingZeroBitCount >> 3
                                break
                            }
                            length += 8
                        }
                        if length + 8 > limit {
                            while length < limit && base[candidate + length] == base[at + length] { length += 1 }
                        }
                        length = min(length, limit)
                        if length > best {
                            best = length
                            bestDistance = at - candidate
                            if length >= niceLength || length >= limit { break }
                        }
                    }
                    let next = Int(chain[candidate & chainMask])
                    if next >= candidate { break }
                    candidate = next
                    remaining -= 1
                }
                return bestDistance == 0 ? (0, 0) : (best, bestDistance)
            }

            var blockStart = 0      // the first input byte of the current block
            var emitted = 0         // input bytes covered by `symbols` so far
            @inline(__always) func flushIfFull() {
                guard symbols.count >= blockSymbols else { return }
                blockWriter.write(symbols[...], raw: UnsafeBufferPointer(rebasing: input[blockStart..<emitted]),
                                  isFinal: false, to: &out)
                symbols.removeAll(keepingCapacity: true)
                blockStart = emitted
            }

            var position = 0
            var pendingLength = 0, pendingDistance = 0, hasPending = false
            while position < count {
                var length = 0, distance = 0
                if position + minMatch <= count {
                    let candidate = insert(position)
                    if lazyLimit == 0 || pendingLength < lazyLimit {
                        (length, distance) = longestMatch(position, from: candidate, atLeast: max(pendingLength, minMatch - 1))
                    }
                }
                if lazyLimit == 0 && length >= minMatch {
                    symbols.append(UInt32(length) << 16 | UInt32(distance))
                    emitted += length
                    let end = position + length
                    position += 1
                    while position < end {
                        if position + minMatch <= count { _ = insert(position) }
                        position += 1
                    }
                    flushIfFull()
                } else if lazyLimit == 0 {
                    symbols.append(UInt32(base[position]))
                    emitted += 1
                    position += 1
                    flushIfFull()
                } else if hasPending && pendingLength >= minMatch && length <= pendingLength {
                    // The match at the previous position wins: emit it and skip past it.
                    symbols.append(UInt32(pendingLength) << 16 | UInt32(pendingDistance))
                    emitted += pendingLength
                    let end = position - 1 + pendingLength
                    position += 1
                    while position < end {
                        if position + minMatch <= count { _ = insert(position) }
                        position += 1
                    }
                    hasPending = false
                    pendingLength = 0
                    flushIfFull()
                } else {
                    if hasPending {
                        symbols.append(UInt32(base[position - 1]))
                        emitted += 1
                        flushIfFull()
                    }
                    hasPending = true
                    pendingLength = length
                    pendingDistance = distance
                    position += 1
                }
            }
            if hasPending {
                symbols.append(UInt32(base[count - 1]))
                emitted += 1
            }
            blockWriter.write(symbols[...], raw: UnsafeBufferPointer(rebasing: input[blockStart..<emitted]),
                              isFinal: true, to: &out)
        }
        }
    }
}
