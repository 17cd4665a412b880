// A TrueType font reader: the metrics a PDF font descriptor needs, Unicode → glyph lookup,
// advance widths, and (in TrueTypeSubset.swift) a subsetter that keeps glyph ids unchanged.
// Reference: Microsoft OpenType specification / Apple TrueType Reference Manual.

/// Why a font could not be read.
public enum FontError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data does not start with a TrueType sfnt header.
    case notTrueType
    /// A table the reader needs is absent (the tag, e.g. "glyf").
    case missingTable(String)
    /// The font's structure is inconsistent: a truncated table, an offset past the end, …
    case malformed(String)
    /// A valid font of a kind this reader does not handle (CFF outlines, collections, …).
    case unsupported(String)

    /// A one-line English explanation.
    public var description: String {
        switch self {
        case .notTrueType: "not a TrueType font"
        case .missingTable(let tag): "TrueType font has no '\(tag)' table"
        case .malformed(let detail): "malformed TrueType font: \(detail)"
        case .unsupported(let detail): "unsupported font: \(detail)"
        }
    }
}

/// A TrueType (glyf-outline) font: enough of it to measure text and embed a subset in a PDF.
public struct TrueTypeFont: Sendable {
    /// Font design units per em (typically 1000 or 2048); divide metrics by this to get ems.
    public let unitsPerEm: Int
    /// Typographic ascender from `hhea`, in font units (positive, above the baseline).
    public let ascender: Int
    /// Typographic descender from `hhea`, in font units (negative, below the baseline).
    public let descender: Int
    /// Height of capital letters in font units: `OS/2` sCapHeight when the table has it (version 2+),
    /// otherwise the top of the glyph for "H", otherwise `ascender * 0.7`.
    public let capHeight: Int
    /// The bounding box of all glyphs, from `head`, in font units.
    public let boundingBox: (xMin: Int, yMin: Int, xMax: Int, yMax: Int)
    /// Italic angle in degrees counter-clockwise from vertical (negative for right-leaning), from `post`.
    public let italicAngle: Double
    /// The PostScript name (name table, nameID 6), reduced to `[A-Za-z0-9-]`; "TrueTypeFont" when absent.
    public let postScriptName: String
    /// The number of glyphs (`maxp`); valid glyph ids are `0..<numberOfGlyphs`.
    public let numberOfGlyphs: Int

    /// The original file.
    let data: [UInt8]
    /// The table directory.
    let tables: [UInt32: TableRecord]
    /// The chosen Unicode subtable of `cmap`.
    let characterMap: CharacterMap
    /// `characterMap` for U+0000–U+07FF (Latin, Greek, Cyrillic) looked up once at load: text
    /// layout asks for every character of every string, and a binary search each time showed.
    let lowGlyphs: [UInt16]
    /// Advance widths from `hmtx`, one per long metric (`hhea.numberOfHMetrics` entries, at least one).
    let advances: [UInt16]
    /// Absolute byte offsets of each glyph's data in `data`: glyph `g` is `glyphOffsets[g]..<glyphOffsets[g + 1]`.
    let glyphOffsets: [Int]

    /// Parses `data` as a TrueType font (head, hhea, maxp, hmtx, cmap format 4/12, loca, glyf,
    /// and, when present, post, name and OS/2). Every read is bounds-checked.
    /// - Throws: `FontError` for anything that is not a well-formed TrueType font.
    public init(data: [UInt8]) throws(FontError) {
        self.data = data
        let tables = try readTableDirectory(data)
        self.tables = tables
        func table(_ tag: StaticString) -> FontReader? {
            tables[fontTag(tag)].map { FontReader(data, start: $0.offset, end: $0.offset + $0.length, context: "\(tag)") }
        }
        func required(_ tag: StaticString) throws(FontError) -> FontReader {
            guard let reader = table(tag) else { throw .missingTable("\(tag)") }
            return reader
        }

        // head
        let head = try required("head")
        try head.check(0, 54)
        guard try head.u32(12) == 0x5F0F_3CF5 else { throw .malformed("head: bad magic number") }
        unitsPerEm = Int(try head.u16(18))
        guard (16...16384).contains(unitsPerEm) else { throw .malformed("head: unitsPerEm \(unitsPerEm) out of range") }
        boundingBox = (Int(try head.i16(36)), Int(try head.i16(38)), Int(try head.i16(40)), Int(try head.i16(42)))
        let longOffsets: Bool
        switch try head.i16(50) {
        case 0: longOffsets = false
        case 1: longOffsets = true
        case let other: throw .malformed("head: indexToLocFormat \(other)")
        }

        // maxp
        let maxp = try required("maxp")
        numberOfGlyphs = Int(try maxp.u16(4))
        guard numberOfGlyphs > 0 else { throw .malformed("maxp: no glyphs") }

        // hhea + hmtx
        let hhea = try required("hhea")
        try hhea.check(0, 36)
        ascender = Int(try hhea.i16(4))
        descender = Int(try hhea.i16(6))
        let longMetrics = min(Int(try hhea.u16(34)), numberOfGlyphs)
        guard longMetrics > 0 else { throw .malformed("hhea: numberOfHMetrics is 0") }
        let hmtx = try required("hmtx")
        try hmtx.check(0, longMetrics * 4)
        var advances: [UInt16] = []
        advances.reserveCapacity(longMetrics)
        for i in 0..<longMetrics { advances.append(try hmtx.u16(i * 4)) }
        self.advances = advances

        // loca + glyf
        let loca = try required("loca")
        let glyf = try required("glyf")
        let entrySize = longOffsets ? 4 : 2
        try loca.check(0, (numberOfGlyphs + 1) * entrySize)
        var glyphOffsets: [Int] = []
        glyphOffsets.reserveCapacity(numberOfGlyphs + 1)
        for i in 0...numberOfGlyphs {
            let offset = longOffsets ? Int(try loca.u32(i * 4)) : Int(try loca.u16(i * 2)) * 2
            guard offset <= glyf.count else {
                throw .malformed("loca: glyph \(i) starts at \(offset), past the end of glyf (\(glyf.count) bytes)")
            }
            if let previous = glyphOffsets.last, offset < previous - glyf.start {
                throw .malformed("loca: offsets decrease at glyph \(i)")
            }
            glyphOffsets.append(glyf.start + offset)
        }
        self.glyphOffsets = glyphOffsets

        // cmap
        characterMap = try readCharacterMap(try required("cmap"))
        let glyphCount = numberOfGlyphs
        lowGlyphs = (0..<0x800).map { [characterMap] code in
            let glyph = characterMap.glyph(for: UInt32(code))
            return glyph < glyphCount ? UInt16(glyph) : 0
        }

        // post (optional): italicAngle is a signed 16.16 fixed-point number.
        if let post = table("post") {
            italicAngle = Double(Int32(bitPattern: try post.u32(4))) / 65536
        } else {
            italicAngle = 0
        }

        // name (optional)
        if let name = table("name") {
            postScriptName = try readPostScriptName(name) ?? "TrueTypeFont"
        } else {
            postScriptName = "TrueTypeFont"
        }

        // OS/2 (optional) for the cap height; fall back to the outline of "H", then to 70 % of the ascender.
        var capHeight: Int?
        if let os2 = table("OS/2"), try os2.u16(0) >= 2, let value = try? os2.i16(88), value > 0 {
            capHeight = Int(value)
        }
        if capHeight == nil {
            let glyph = characterMap.glyph(for: 0x48)
            if glyph > 0, glyph < numberOfGlyphs,
               let yMax = try? FontReader(data, start: glyphOffsets[Int(glyph)], end: glyphOffsets[Int(glyph) + 1],
                                          context: "glyf").i16(8), yMax > 0 {
                capHeight = Int(yMax)
            }
        }
        self.capHeight = capHeight ?? Int((Double(ascender) * 0.7).rounded())
    }

    /// The glyph the font's `cmap` assigns to `scalar`, or nil when it has none (maps to glyph 0,
    /// or to an id past `numberOfGlyphs`).
    public func glyphID(for scalar: Unicode.Scalar) -> UInt16? {
        if scalar.value < 0x800 {
            let glyph = lowGlyphs[Int(scalar.value)]
            return glyph == 0 ? nil : glyph
        }
        let glyph = characterMap.glyph(for: scalar.value)
        guard glyph != 0, glyph < numberOfGlyphs else { return nil }
        return UInt16(glyph)
    }

    /// The advance width of `glyph` in font units, from `hmtx`. Glyphs past `numberOfHMetrics`
    /// use the last advance; ids past `numberOfGlyphs` have width 0.
    public func advanceWidth(of glyph: UInt16) -> Int {
        guard Int(glyph) < numberOfGlyphs, let last = advances.last else { return 0 }
        return Int(glyph) < advances.count ? Int(advances[Int(glyph)]) : Int(last)
    }

    /// The byte range of `glyph`'s outline data in `data` (empty for glyphs without an outline).
    func glyphRange(_ glyph: UInt16) -> Range<Int> {
        let g = Int(glyph)
        guard g < numberOfGlyphs else { return 0..<0 }
        return glyphOffsets[g]..<glyphOffsets[g + 1]
    }

    /// The glyph ids that `glyph` refers to as a composite (empty for simple glyphs).
    func components(of glyph: UInt16) -> [UInt16] {
        let range = glyphRange(glyph)
        return componentGlyphs(in: FontReader(data, start: range.lowerBound, end: range.upperBound, context: "glyf"))
    }

    /// The contents of the table `tag`, if present.
    func tableBytes(_ tag: UInt32) -> ArraySlice<UInt8>? {
        tables[tag].map { data[$0.offset..<($0.offset + $0.length)] }
    }
}
