// Table-level parsing for `TrueTypeFont`: a bounds-checked big-endian reader, the table
// directory, `cmap` (formats 4 and 12), `name`, and the component list of composite glyphs.
// Everything here reads font bytes only through `FontReader`, which throws `FontError` instead
// of trapping, so hostile input cannot crash the process.

/// A bounds-checked view of big-endian values inside one region of a font file.
struct FontReader {
    let bytes: [UInt8]
    /// The region this reader may read: absolute offsets into `bytes`.
    let start: Int
    let end: Int
    /// What is being read, for error messages.
    let context: String

    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil, context: String) {
        self.bytes = bytes
        let clampedEnd = min(end ?? bytes.count, bytes.count)
        self.start = max(0, min(start, clampedEnd))
        self.end = clampedEnd
        self.context = context
    }

    /// The number of bytes in the region.
    var count: Int { end - start }

    /// Throws unless `length` bytes at `offset` (relative to `start`) lie inside the region.
    func check(_ offset: Int, _ length: Int) throws(FontError) {
        guard offset >= 0, length >= 0, offset <= count - length else {
            throw .malformed("\(context): read of \(length) bytes at offset \(offset) past the end (\(count) bytes)")
        }
    }

    func u8(_ offset: Int) throws(FontError) -> UInt8 {
        try check(offset, 1)
        return bytes[start + offset]
    }

    func u16(_ offset: Int) throws(FontError) -> UInt16 {
        try check(offset, 2)
        let p = start + offset
        return UInt16(bytes[p]) << 8 | UInt16(bytes[p + 1])
    }

    func i16(_ offset: Int) throws(FontError) -> Int16 {
        Int16(bitPattern: try u16(offset))
    }

    func u32(_ offset: Int) throws(FontError) -> UInt32 {
        try check(offset, 4)
        let p = start + offset
        return UInt32(bytes[p]) << 24 | UInt32(bytes[p + 1]) << 16 | UInt32(bytes[p + 2]) << 8 | UInt32(bytes[p + 3])
    }

    /// The absolute byte range of `length` bytes at `offset`.
    func range(_ offset: Int, _ length: Int) throws(FontError) -> Range<Int> {
        try check(offset, length)
        return (start + offset)..<(start + offset + length)
    }

    /// A reader for a sub-region.
    func sub(_ offset: Int, _ length: Int, context: String) throws(FontError) -> FontReader {
        let r = try range(offset, length)
        return FontReader(bytes, start: r.lowerBound, end: r.upperBound, context: context)
    }
}

/// A four-character table tag as its big-endian `UInt32` (the order the table directory sorts by).
func fontTag(_ text: StaticString) -> UInt32 {
    var value: UInt32 = 0
    text.withUTF8Buffer { for byte in $0.prefix(4) { value = value << 8 | UInt32(byte) } }
    return value
}

/// The printable form of a tag, for error messages.
func tagName(_ tag: UInt32) -> String {
    let scalars = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: tag >> UInt32($0)) }
    return String(decoding: scalars, as: UTF8.self)
}

// MARK: - Table directory

/// One record of the table directory, already checked to lie inside the file.
struct TableRecord: Sendable {
    let tag: UInt32
    let offset: Int
    let length: Int
}

/// Reads the sfnt header and table directory. Rejects CFF fonts and collections explicitly.
func readTableDirectory(_ data: [UInt8]) throws(FontError) -> [UInt32: TableRecord] {
    let file = FontReader(data, context: "table directory")
    guard data.count >= 12 else { throw .notTrueType }
    let version = try file.u32(0)
    switch version {
    case 0x0001_0000, fontTag("true"): break
    case fontTag("OTTO"): throw .unsupported("OpenType font with CFF outlines (OTTO)")
    case fontTag("ttcf"): throw .unsupported("TrueType collection (ttcf)")
    default: throw .notTrueType
    }
    let numTables = Int(try file.u16(4))
    guard numTables > 0 else { throw .malformed("table directory: no tables") }
    try file.check(12, numTables * 16)
    var tables: [UInt32: TableRecord] = [:]
    for index in 0..<numTables {
        let base = 12 + index * 16
        let tag = try file.u32(base)
        let offset = Int(try file.u32(base + 8))
        let length = Int(try file.u32(base + 12))
        guard offset <= data.count, length <= data.count - offset else {
            throw .malformed("table '\(tagName(tag))': offset \(offset) + length \(length) is past the end of the file (\(data.count) bytes)")
        }
        if tables[tag] == nil { tables[tag] = TableRecord(tag: tag, offset: offset, length: length) }
    }
    return tables
}

// MARK: - cmap

/// The Unicode → glyph mapping from one `cmap` subtable.
enum CharacterMap: Sendable {
    /// Format 4 (BMP only). `rangeBase[i]` is the index into `glyphIDs` for `startCode[i]`
    /// when the segment uses `idRangeOffset`, or nil when it maps by `idDelta` alone.
    case segments(end: [UInt16], start: [UInt16], delta: [UInt16], rangeBase: [Int?], glyphIDs: [UInt16])
    /// Format 12: sequential groups.
    case groups([SequentialGroup])

    struct SequentialGroup: Sendable {
        let start: UInt32
        let end: UInt32
        let startGlyph: UInt32
    }

    /// The raw glyph id for `code` (0 when unmapped); the caller checks it against `numGlyphs`.
    func glyph(for code: UInt32) -> UInt32 {
        switch self {
        case let .segments(end, start, delta, rangeBase, glyphIDs):
            guard code <= 0xFFFF, !end.isEmpty else { return 0 }
            let c = UInt16(code)
            // First segment whose endCode >= c.
            var low = 0, high = end.count
            while low < high {
                let mid = (low + high) / 2
                if end[mid] < c { low = mid + 1 } else { high = mid }
            }
            guard low < end.count, start[low] <= c else { return 0 }
            guard let base = rangeBase[low] else { return UInt32(c &+ delta[low]) }
            let index = base + Int(c - start[low])
            guard index >= 0, index < glyphIDs.count else { return 0 }
            let raw = glyphIDs[index]
            return raw == 0 ? 0 : UInt32(raw &+ delta[low])
        case let .groups(groups):
            var low = 0, high = groups.count
            while low < high {
                let mid = (low + high) / 2
                if groups[mid].end < code { low = mid + 1 } else { high = mid }
            }
            guard low < groups.count, groups[low].start <= code else { return 0 }
            let group = groups[low]
            let (glyph, overflow) = group.startGlyph.addingReportingOverflow(code - group.start)
            return overflow ? 0 : glyph
        }
    }

    /// Every (code point, glyph) pair whose glyph is in `keep`, sorted by code point.
    /// Bounded work even for hostile tables: 65,536 lookups for format 4; for format 12 one
    /// binary search per group plus one step per mapping found.
    func mappings(keeping keep: [Bool]) -> [(code: UInt32, glyph: UInt16)] {
        var result: [(code: UInt32, glyph: UInt16)] = []
        switch self {
        case .segments:
            for code in UInt32(0)...0xFFFF {
                let glyph = glyph(for: code)
                if glyph != 0, glyph < keep.count, keep[Int(glyph)] { result.append((code, UInt16(glyph))) }
            }
        case let .groups(groups):
            // Groups are sorted and disjoint (checked when parsed), so each code point is produced
            // at most once and the result is already in order; work is bounded by the output.
            let kept = keep.indices.filter { keep[$0] && $0 != 0 }.map(UInt32.init)
            for group in groups {
                let span = UInt64(group.end - group.start)
                let lastGlyph = UInt64(group.startGlyph) + span
                // First kept glyph >= startGlyph.
                var low = 0, high = kept.count
                while low < high {
                    let mid = (low + high) / 2
                    if kept[mid] < group.startGlyph { low = mid + 1 } else { high = mid }
                }
                while low < kept.count, UInt64(kept[low]) <= lastGlyph {
                    result.append((group.start + (kept[low] - group.startGlyph), UInt16(kept[low])))
                    low += 1
                }
            }
        }
        return result
    }
}

/// Picks the best Unicode subtable (format 12 over format 4) and parses it.
func readCharacterMap(_ cmap: FontReader) throws(FontError) -> CharacterMap {
    let count = Int(try cmap.u16(2))
    try cmap.check(4, count * 8)
    var candidates: [(score: Int, offset: Int)] = []
    for index in 0..<count {
        let platform = try cmap.u16(4 + index * 8)
        let encoding = try cmap.u16(4 + index * 8 + 2)
        let offset = Int(try cmap.u32(4 + index * 8 + 4))
        guard let format = try? cmap.u16(offset) else { continue }
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
        guard unicode else { continue }
        switch format {
        case 12: candidates.append((platform == 3 ? 4 : 3, offset))
        case 4: candidates.append((platform == 3 ? 2 : 1, offset))
        default: continue
        }
    }
    // Best first (stable for equal scores); a damaged subtable falls back to the next one.
    candidates = candidates.enumerated().sorted { a, b in
        a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
    }.map(\.element)
    var firstError: FontError?
    for candidate in candidates {
        do {
            return try readCharacterMapSubtable(try cmap.sub(candidate.offset, cmap.count - candidate.offset, context: "cmap subtable"))
        } catch {
            firstError = firstError ?? error
        }
    }
    throw firstError ?? .unsupported("cmap: no Unicode subtable in format 4 or 12")
}

/// Parses one format 4 or format 12 subtable; `table` runs from the subtable to the end of `cmap`.
func readCharacterMapSubtable(_ table: FontReader) throws(FontError) -> CharacterMap {
    switch try table.u16(0) {
    case 4: try readFormat4(table)
    case 12: try readFormat12(table)
    case let format: throw .unsupported("cmap subtable format \(format)")
    }
}

private func readFormat4(_ table: FontReader) throws(FontError) -> CharacterMap {
    let segCount = Int(try table.u16(6)) / 2
    guard segCount > 0 else { throw .malformed("cmap format 4: no segments") }
    let endBase = 14, startBase = 16 + segCount * 2
    let deltaBase = startBase + segCount * 2, rangeOffsetBase = deltaBase + segCount * 2
    let glyphArrayBase = rangeOffsetBase + segCount * 2
    try table.check(0, glyphArrayBase)
    var end: [UInt16] = [], start: [UInt16] = [], delta: [UInt16] = [], rangeBase: [Int?] = []
    end.reserveCapacity(segCount); start.reserveCapacity(segCount)
    delta.reserveCapacity(segCount); rangeBase.reserveCapacity(segCount)
    for i in 0..<segCount {
        end.append(try table.u16(endBase + i * 2))
        start.append(try table.u16(startBase + i * 2))
        delta.append(try table.u16(deltaBase + i * 2))
        let rangeOffset = Int(try table.u16(rangeOffsetBase + i * 2))
        // &idRangeOffset[i] + idRangeOffset[i] as an index into glyphIdArray.
        rangeBase.append(rangeOffset == 0 ? nil : rangeOffset / 2 + i - segCount)
    }
    // The length field overflows in big fonts, so glyphIdArray runs to the end of the cmap table.
    let glyphCount = (table.count - glyphArrayBase) / 2
    var glyphIDs: [UInt16] = []
    glyphIDs.reserveCapacity(glyphCount)
    for i in 0..<glyphCount { glyphIDs.append(try table.u16(glyphArrayBase + i * 2)) }
    return .segments(end: end, start: start, delta: delta, rangeBase: rangeBase, glyphIDs: glyphIDs)
}

private func readFormat12(_ table: FontReader) throws(FontError) -> CharacterMap {
    let numGroups = Int(try table.u32(12))
    guard numGroups <= (table.count - 16) / 12 else {
        throw .malformed("cmap format 12: \(numGroups) groups do not fit in the table")
    }
    var groups: [CharacterMap.SequentialGroup] = []
    groups.reserveCapacity(numGroups)
    for i in 0..<numGroups {
        let base = 16 + i * 12
        let group = CharacterMap.SequentialGroup(start: try table.u32(base), end: try table.u32(base + 4),
                                                 startGlyph: try table.u32(base + 8))
        guard group.start <= group.end, group.end <= 0x10FFFF else {
            throw .malformed("cmap format 12: group \(i) has an invalid range")
        }
        if let previous = groups.last, group.start <= previous.end {
            throw .malformed("cmap format 12: groups overlap or are out of order at group \(i)")
        }
        groups.append(group)
    }
    return .groups(groups)
}

// MARK: - name

/// The PostScript name (nameID 6), reduced to `[A-Za-z0-9-]` and at most 63 characters; nil if absent.
func readPostScriptName(_ name: FontReader) throws(FontError) -> String? {
    let count = Int(try name.u16(2))
    let stringBase = Int(try name.u16(4))
    try name.check(6, count * 12)
    var best: (score: Int, text: String)?
    for index in 0..<count {
        let record = 6 + index * 12
        let platform = try name.u16(record), encoding = try name.u16(record + 2)
        let language = try name.u16(record + 4), nameID = try name.u16(record + 6)
        guard nameID == 6 else { continue }
        let length = Int(try name.u16(record + 8)), offset = Int(try name.u16(record + 10))
        guard let range = try? name.range(stringBase + offset, length) else { continue }
        let raw = name.bytes[range]
        let score: Int, text: String
        switch (platform, encoding) {
        case (3, 1), (3, 10), (0, _):
            var units: [UInt16] = []
            var i = raw.startIndex
            while i + 1 < raw.endIndex { units.append(UInt16(raw[i]) << 8 | UInt16(raw[i + 1])); i += 2 }
            text = String(decoding: units, as: UTF16.self)
            score = platform == 3 ? (language == 0x409 ? 4 : 3) : 1
        case (1, 0):
            text = String(decoding: raw.filter { $0 < 0x80 }, as: UTF8.self)
            score = 2
        default:
            continue
        }
        if best.map({ score > $0.score }) ?? true { best = (score, text) }
    }
    guard let text = best?.text else { return nil }
    let allowed = text.unicodeScalars.filter {
        ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
    }
    let sanitised = String(String.UnicodeScalarView(allowed.prefix(63)))
    return sanitised.isEmpty ? nil : sanitised
}

// MARK: - glyf

/// The glyph ids a composite glyph refers to (empty for simple or empty glyphs).
/// Stops at the first truncated component record rather than failing: callers use this to
/// decide what to keep, and a damaged composite simply keeps fewer components.
func componentGlyphs(in glyph: FontReader) -> [UInt16] {
    guard let contours = try? glyph.i16(0), contours < 0 else { return [] }
    var components: [UInt16] = []
    var offset = 10
    while let flags = try? glyph.u16(offset), let component = try? glyph.u16(offset + 2) {
        components.append(component)
        offset += 4
        offset += flags & 0x0001 != 0 ? 4 : 2          // ARG_1_AND_2_ARE_WORDS
        if flags & 0x0008 != 0 { offset += 2 }          // WE_HAVE_A_SCALE
        else if flags & 0x0040 != 0 { offset += 4 }     // WE_HAVE_AN_X_AND_Y_SCALE
        else if flags & 0x0080 != 0 { offset += 8 }     // WE_HAVE_A_TWO_BY_TWO
        guard flags & 0x0020 != 0, components.count < 0xFFFF else { break }   // MORE_COMPONENTS
    }
    return components
}
