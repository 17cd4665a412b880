// The subsetter: writes a new TrueType file that keeps glyph ids unchanged (so a PDF can use
// /CIDToGIDMap /Identity) but carries outlines only for the glyphs a document uses.
//
// Tables written: OS/2, cmap, cvt , fpgm, glyf, head, hhea, hmtx, loca, maxp, name, post, prep
// (OS/2, cvt , fpgm, name and prep only when the original has them). Everything else
// (GSUB, GPOS, kern, …) is dropped; a PDF does its own positioning.

extension TrueTypeFont {
    /// A valid TrueType font containing only `glyphs` (plus glyph 0 and every component of composite glyphs),
    /// keeping glyph ids unchanged (unused glyphs become empty), so a PDF can use CIDToGIDMap /Identity.
    ///
    /// Ids at or past `numberOfGlyphs` are ignored. The output is deterministic: the same font and
    /// the same set give the same bytes. Its `cmap` maps exactly the code points whose glyphs are kept,
    /// and its `hmtx` keeps the metrics of kept glyphs (unused glyphs get zero advance).
    public func subset(keeping glyphs: Set<UInt16>) -> [UInt8] {
        let keep = keptGlyphs(glyphs)

        // glyf and loca: kept glyphs' data, each padded to 4 bytes; every other glyph is empty.
        var glyf: [UInt8] = []
        var offsets: [Int] = [0]
        offsets.reserveCapacity(numberOfGlyphs + 1)
        for glyph in 0..<numberOfGlyphs {
            if keep[glyph] {
                glyf.append(contentsOf: data[glyphRange(UInt16(glyph))])
                while glyf.count % 4 != 0 { glyf.append(0) }
            }
            offsets.append(glyf.count)
        }
        let longOffsets = glyf.count > 0x1FFFE
        var loca = FontWriter()
        for offset in offsets {
            if longOffsets { loca.u32(UInt32(offset)) } else { loca.u16(UInt16(offset / 2)) }
        }

        // hmtx: long metrics up to the last kept glyph, then left side bearings only.
        let longMetrics = (keep.lastIndex(of: true) ?? 0) + 1
        var hmtx = FontWriter()
        for glyph in 0..<numberOfGlyphs {
            let kept = keep[glyph]
            if glyph < longMetrics { hmtx.u16(kept ? UInt16(clamping: advanceWidth(of: UInt16(glyph))) : 0) }
            hmtx.u16(kept ? leftSideBearing(of: glyph) : 0)
        }

        var head = FontWriter(tableBytes(fontTag("head")) ?? [])
        head.set32(at: 8, 0)                                // checkSumAdjustment, patched below
        head.set16(at: 50, longOffsets ? 1 : 0)             // indexToLocFormat
        var hhea = FontWriter(tableBytes(fontTag("hhea")) ?? [])
        hhea.set16(at: 34, UInt16(longMetrics))             // numberOfHMetrics

        // post version 3.0: the 32-byte header with no glyph names.
        var post = FontWriter()
        post.u32(0x0003_0000)
        let oldPost = tableBytes(fontTag("post")) ?? []
        for i in 4..<32 { post.bytes.append(i < oldPost.count ? oldPost[oldPost.startIndex + i] : 0) }

        var output: [(tag: UInt32, bytes: [UInt8])] = [
            (fontTag("head"), head.bytes),
            (fontTag("hhea"), hhea.bytes),
            (fontTag("maxp"), Array(tableBytes(fontTag("maxp")) ?? [])),
            (fontTag("hmtx"), hmtx.bytes),
            (fontTag("loca"), loca.bytes),
            (fontTag("glyf"), glyf),
            (fontTag("post"), post.bytes),
            (fontTag("cmap"), characterMapTable(keep)),
        ]
        for tag in [fontTag("name"), fontTag("OS/2"), fontTag("cvt "), fontTag("fpgm"), fontTag("prep")] {
            if let bytes = tableBytes(tag) { output.append((tag, Array(bytes))) }
        }
        return assembleFont(output)
    }

    /// `glyphs` (within range) plus glyph 0 plus, transitively, every component of a kept composite.
    func keptGlyphs(_ glyphs: Set<UInt16>) -> [Bool] {
        var keep = [Bool](repeating: false, count: numberOfGlyphs)
        var pending: [UInt16] = [0] + glyphs.filter { Int($0) < numberOfGlyphs }.sorted()
        for glyph in pending { keep[Int(glyph)] = true }
        // Each glyph enters `pending` at most once, so cycles in hostile composites terminate.
        while let glyph = pending.popLast() {
            for component in components(of: glyph) where Int(component) < numberOfGlyphs && !keep[Int(component)] {
                keep[Int(component)] = true
                pending.append(component)
            }
        }
        return keep
    }

    /// The left side bearing from `hmtx` (0 when a lax font's table is too short to hold it).
    private func leftSideBearing(of glyph: Int) -> UInt16 {
        guard let record = tables[fontTag("hmtx")] else { return 0 }
        let reader = FontReader(data, start: record.offset, end: record.offset + record.length, context: "hmtx")
        let offset = glyph < advances.count ? glyph * 4 + 2 : advances.count * 4 + (glyph - advances.count) * 2
        return (try? reader.u16(offset)) ?? 0
    }

    /// A `cmap` with a (3,1) format 4 subtable for the BMP and, when needed, a (3,10) format 12
    /// subtable for everything, mapping exactly the code points whose glyphs are kept.
    private func characterMapTable(_ keep: [Bool]) -> [UInt8] {
        let mappings = characterMap.mappings(keeping: keep)
        // Runs of consecutive code points with consecutive glyph ids.
        var runs: [(start: UInt32, end: UInt32, glyph: UInt16)] = []
        for (code, glyph) in mappings {
            if let last = runs.last, last.end &+ 1 == code, UInt32(last.glyph) + (code - last.start) == UInt32(glyph) {
                runs[runs.count - 1].end = code
            } else {
                runs.append((code, code, glyph))
            }
        }
        // Format 4: BMP runs (excluding U+FFFF, which the closing segment owns), capped so the
        // subtable's 16-bit length cannot overflow.
        var segments = runs.filter { $0.start < 0xFFFF }.prefix(8000).map {
            (start: UInt16($0.start), end: UInt16(min($0.end, 0xFFFE)), delta: UInt16(truncatingIfNeeded: Int($0.glyph) - Int($0.start)))
        }
        segments.append((0xFFFF, 0xFFFF, 1))
        let segCount = segments.count
        var searchRange = 2
        while searchRange * 2 <= segCount * 2 { searchRange *= 2 }
        var format4 = FontWriter()
        format4.u16(4)
        format4.u16(UInt16(16 + segCount * 8))
        format4.u16(0)                                                  // language
        format4.u16(UInt16(segCount * 2))
        format4.u16(UInt16(searchRange))
        format4.u16(UInt16(searchRange.trailingZeroBitCount - 1))       // entrySelector
        format4.u16(UInt16(segCount * 2 - searchRange))                 // rangeShift
        for segment in segments { format4.u16(segment.end) }
        format4.u16(0)                                                  // reservedPad
        for segment in segments { format4.u16(segment.start) }
        for segment in segments { format4.u16(segment.delta) }
        for _ in segments { format4.u16(0) }                            // idRangeOffset

        var subtables: [(encoding: UInt16, bytes: [UInt8])] = [(1, format4.bytes)]
        if runs.count > 8000 || (runs.last?.end ?? 0) > 0xFFFF {
            var format12 = FontWriter()
            format12.u16(12)
            format12.u16(0)
            format12.u32(UInt32(16 + runs.count * 12))
            format12.u32(0)                                             // language
            format12.u32(UInt32(runs.count))
            for run in runs {
                format12.u32(run.start)
                format12.u32(run.end)
                format12.u32(UInt32(run.glyph))
            }
            subtables.append((10, format12.bytes))
        }

        var cmap = FontWriter()
        cmap.u16(0)
        cmap.u16(UInt16(subtables.count))
        var offset = 4 + subtables.count * 8
        for subtable in subtables {
            cmap.u16(3)
            cmap.u16(subtable.encoding)
            cmap.u32(UInt32(offset))
            offset += subtable.bytes.count
        }
        for subtable in subtables { cmap.bytes.append(contentsOf: subtable.bytes) }
        return cmap.bytes
    }
}

/// Lays out an sfnt file: table directory sorted by tag, each table 4-byte aligned with its
/// checksum, and `head.checkSumAdjustment` set so the whole file sums to 0xB1B0AFBA.
func assembleFont(_ tables: [(tag: UInt32, bytes: [UInt8])]) -> [UInt8] {
    let sorted = tables.sorted { $0.tag < $1.tag }
    var file = FontWriter()
    let count = sorted.count
    var searchRange = 16
    while searchRange * 2 <= count * 16 { searchRange *= 2 }
    file.u32(0x0001_0000)
    file.u16(UInt16(count))
    file.u16(UInt16(searchRange))
    file.u16(UInt16(searchRange.trailingZeroBitCount - 4))              // entrySelector
    file.u16(UInt16(count * 16 - searchRange))                          // rangeShift
    var offset = 12 + 16 * count
    var headOffset: Int?
    for table in sorted {
        file.u32(table.tag)
        file.u32(fontChecksum(table.bytes))
        file.u32(UInt32(offset))
        file.u32(UInt32(table.bytes.count))
        if table.tag == fontTag("head") { headOffset = offset }
        offset += (table.bytes.count + 3) & ~3
    }
    for table in sorted {
        file.bytes.append(contentsOf: table.bytes)
        while file.bytes.count % 4 != 0 { file.bytes.append(0) }
    }
    if let headOffset, sorted.contains(where: { $0.tag == fontTag("head") && $0.bytes.count >= 12 }) {
        file.set32(at: headOffset + 8, 0xB1B0_AFBA &- fontChecksum(file.bytes))
    }
    return file.bytes
}

/// The sfnt checksum: the sum of big-endian 32-bit words, the last one zero-padded.
func fontChecksum<Bytes: Collection>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    var sum: UInt32 = 0
    var word: UInt32 = 0
    var index = 0
    for byte in bytes {
        word = word << 8 | UInt32(byte)
        index += 1
        if index == 4 { sum &+= word; word = 0; index = 0 }
    }
    if index > 0 { sum &+= word << (8 * UInt32(4 - index)) }
    return sum
}

/// Big-endian output.
struct FontWriter {
    var bytes: [UInt8]

    init<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 { self.bytes = Array(bytes) }
    init() { bytes = [] }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func u32(_ value: UInt32) {
        for shift in [24, 16, 8, 0] as [UInt32] { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// Overwrites two bytes at `offset`; does nothing if they are not there.
    mutating func set16(at offset: Int, _ value: UInt16) {
        guard offset >= 0, offset + 2 <= bytes.count else { return }
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Overwrites four bytes at `offset`; does nothing if they are not there.
    mutating func set32(at offset: Int, _ value: UInt32) {
        guard offset >= 0, offset + 4 <= bytes.count else { return }
        for (i, shift) in ([24, 16, 8, 0] as [UInt32]).enumerated() {
            bytes[offset + i] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }
}
