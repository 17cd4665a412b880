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
        /// Positions inside longer matches are not added to the hash chains (zlib's max_insert_length):
        /// runs such as zero-filled font tables then cost almost nothing.
        var maxInsertLength: Int { self == .fast ? 16 : 258 }
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
    private static let minMatch = 3

    static func compress(_ input: UnsafeBufferPointer<UInt8>, effort: Effort, into out: inout BitWriter) {
        guard input.count > 0, let base = input.baseAddress else {
            out.write(1, 1)   // BFINAL, fixed Huffman, end of block
            out.write(1, 2)
            out.write(0, 7)
            out.alignToByte()
            return
        }
        let matcher = MatchFinder(base, count: input.count, effort: effort)
        defer { matcher.deallocate() }
        let count = input.count
        let blockWriter = DeflateBlockWriter()
        let lazyLimit = effort.lazyLimit, maxInsertLength = effort.maxInsertLength
        var symbols: [UInt32] = []
        symbols.reserveCapacity(min(count, blockSymbols) + 2)
        var blockStart = 0      // the first input byte of the current block
        var emitted = 0         // input bytes covered by `symbols` so far

        var position = 0
        var pendingLength = 0, pendingDistance = 0, hasPending = false
        while position < count {
            if symbols.count >= blockSymbols {
                blockWriter.write(symbols[...], raw: UnsafeBufferPointer(rebasing: input[blockStart..<emitted]), isFinal: false, to: &out)
                symbols.removeAll(keepingCapacity: true)
                blockStart = emitted
            }
            var length = 0, distance = 0
            if position + minMatch <= count {
                let candidate = matcher.insert(position)
                if lazyLimit == 0 || pendingLength < lazyLimit {
                    (length, distance) = matcher.longestMatch(position, from: candidate, atLeast: max(pendingLength, minMatch - 1))
                }
            }
            if lazyLimit == 0 {
                if length >= minMatch {
                    symbols.append(UInt32(length) << 16 | UInt32(distance))
                    emitted += length
                    if length <= maxInsertLength { matcher.insertRange(position + 1, position + length) }
                    position += length
                } else {
                    symbols.append(UInt32(base[position]))
                    emitted += 1
                    position += 1
                }
            } else if hasPending && pendingLength >= minMatch && length <= pendingLength {
                // The match at the previous position wins: emit it and skip past it.
                symbols.append(UInt32(pendingLength) << 16 | UInt32(pendingDistance))
                emitted += pendingLength
                let end = position - 1 + pendingLength
                matcher.insertRange(position + 1, end)
                position = end
                hasPending = false
                pendingLength = 0
            } else {
                if hasPending {
                    symbols.append(UInt32(base[position - 1]))
                    emitted += 1
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
        blockWriter.write(symbols[...], raw: UnsafeBufferPointer(rebasing: input[blockStart..<emitted]), isFinal: true, to: &out)
    }
}

/// Hash chains over the input: for each position, the previous position whose next three bytes
/// hash alike, within the 32 KiB window.
private struct MatchFinder {
    private let base: UnsafePointer<UInt8>
    private let raw: UnsafeRawPointer
    private let count: Int
    private let head: UnsafeMutablePointer<Int32>
    private let chain: UnsafeMutablePointer<Int32>
    private let hashShift: UInt32
    private let chainMask: Int
    private let maxChain: Int
    private let niceLength: Int
    private static let window = 1 << 15

    init(_ base: UnsafePointer<UInt8>, count: Int, effort: Deflate.Effort) {
        self.base = base
        raw = UnsafeRawPointer(base)
        self.count = count
        // Small inputs get small tables: setting up the tables would cost more than compressing.
        var hashBits = 8
        while hashBits < 15 && 1 << hashBits < count { hashBits += 1 }
        hashShift = UInt32(32 - hashBits)
        var chainSize = 256
        while chainSize < Self.window && chainSize < count { chainSize <<= 1 }
        chainMask = chainSize - 1
        head = .allocate(capacity: 1 << hashBits)
        head.initialize(repeating: -1, count: 1 << hashBits)
        chain = .allocate(capacity: chainSize)
        chain.initialize(repeating: -1, count: chainSize)
        maxChain = effort.maxChain
        niceLength = effort.niceLength
    }

    func deallocate() {
        head.deallocate()
        chain.deallocate()
    }

    /// Inserts position `at` (which has three bytes ahead) and returns the previous chain head.
    @inline(__always)
    func insert(_ at: Int) -> Int {
        let key = UInt32(base[at]) | UInt32(base[at + 1]) << 8 | UInt32(base[at + 2]) << 16
        let slot = Int((key &* 2_654_435_761) >> hashShift)
        let previous = Int(head[slot])
        head[slot] = Int32(truncatingIfNeeded: at)
        chain[at & chainMask] = Int32(truncatingIfNeeded: previous)
        return previous
    }

    /// Inserts the positions in `from..<to` that have three bytes ahead.
    @inline(__always)
    func insertRange(_ from: Int, _ to: Int) {
        var position = from
        let end = min(to, count - 2)
        while position < end {
            _ = insert(position)
            position += 1
        }
    }

    /// The longest match for `at` along the chain from `candidate`, if longer than `atLeast`.
    @inline(__always)
    func longestMatch(_ at: Int, from candidate: Int, atLeast: Int) -> (length: Int, distance: Int) {
        let limit = min(258, count - at)
        var best = atLeast, bestDistance = 0
        guard best < limit else { return (0, 0) }
        var candidate = candidate
        var remaining = atLeast >= 8 ? maxChain >> 2 : maxChain
        let lowest = at - Self.window
        while candidate >= 0 && candidate >= lowest && remaining > 0 {
            if base[candidate + best] == base[at + best] && base[candidate] == base[at] && base[candidate + 1] == base[at + 1] {
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
}
