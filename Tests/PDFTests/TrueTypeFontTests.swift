import Foundation
import Testing
@testable import PDF

// Expected values below were cross-checked against fontTools (ttx) on Debian's fonts-dejavu-core.

private let dejaVuPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
private let dejaVuObliquePath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"
private let invoiceText = "Invoice INV-2026-0042 Zoë Müller-Łukasiewicz 1,234.56 €"

/// The bytes of a system font; fails the test if the file is missing.
private func fontBytes(_ path: String = dejaVuPath) throws -> [UInt8] {
    let data = try #require(FileManager.default.contents(atPath: path), "missing font \(path) (apt-get install fonts-dejavu-core)")
    return [UInt8](data)
}

private let cachedDejaVu: TrueTypeFont? = try? TrueTypeFont(data: [UInt8](FileManager.default.contents(atPath: dejaVuPath) ?? Data()))

private func dejaVu() throws -> TrueTypeFont {
    try #require(cachedDejaVu, "DejaVuSans.ttf did not parse")
}

/// The error `TrueTypeFont(data:)` throws, or nil when it parses.
private func rejection(_ bytes: [UInt8]) -> FontError? {
    do {
        _ = try TrueTypeFont(data: bytes)
        return nil
    } catch {
        return error
    }
}

private func glyphs(for text: String, in font: TrueTypeFont) -> Set<UInt16> {
    Set(text.unicodeScalars.compactMap { font.glyphID(for: $0) })
}

// MARK: - An independent sfnt directory reader, so the tests do not trust the code under test.

private func be16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) << 8 | Int(b[at + 1]) }
private func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
    UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
}

private struct DirectoryEntry { let tag: String; let checksum: UInt32; let offset: Int; let length: Int; let recordAt: Int }

private func directory(_ b: [UInt8]) -> [DirectoryEntry] {
    (0..<be16(b, 4)).map { i in
        let at = 12 + 16 * i
        return DirectoryEntry(tag: String(decoding: b[at..<at + 4], as: UTF8.self), checksum: be32(b, at + 4),
                              offset: Int(be32(b, at + 8)), length: Int(be32(b, at + 12)), recordAt: at)
    }
}

private func sum32(_ b: ArraySlice<UInt8>) -> UInt32 {
    var padded = Array(b)
    while padded.count % 4 != 0 { padded.append(0) }
    return stride(from: 0, to: padded.count, by: 4).reduce(UInt32(0)) { $0 &+ be32(padded, $1) }
}

/// A deterministic generator (SplitMix64) so fuzz failures reproduce.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Metrics

@Test func dejaVuMetricsAreSane() throws {
    let font = try dejaVu()
    #expect(font.unitsPerEm == 2048)
    #expect(font.ascender == 1901)
    #expect(font.descender == -483)
    #expect(font.ascender > 0 && font.descender < 0)
    #expect(font.numberOfGlyphs == 6253)
    // DejaVu's OS/2 is version 1 (no sCapHeight), so the cap height comes from the outline of "H".
    #expect(font.capHeight == 1493)
    #expect(font.boundingBox.xMin < 0 && font.boundingBox.xMax > font.unitsPerEm)
    #expect(font.boundingBox.yMin < font.descender && font.boundingBox.yMax > font.ascender)
    #expect(font.italicAngle == 0)
    #expect(font.postScriptName == "DejaVuSans")
}

@Test func obliqueFontHasNegativeItalicAngleAndSanitisedName() throws {
    let font = try TrueTypeFont(data: try fontBytes(dejaVuObliquePath))
    #expect(font.italicAngle == -11)
    #expect(font.postScriptName == "DejaVuSans-Oblique")
}

// MARK: - cmap

@Test(arguments: [
    ("A", 36), ("W", 58), ("a", 68), ("i", 76), ("H", 43), (" ", 3),
    ("Ä", 134), ("ä", 166), ("ö", 184), ("ü", 190), ("ß", 161),   // German
    ("ł", 260), ("ż", 318), ("ń", 262), ("Ł", 259),                // Polish
    ("ğ", 225), ("ı", 243), ("ş", 289),                            // Turkish
    ("α", 838), ("β", 839), ("γ", 840),                            // Greek
    ("ж", 971), ("щ", 990),                                        // Cyrillic
    ("€", 2948),
])
func glyphLookup(character: String, expected: Int) throws {
    let font = try dejaVu()
    let scalar = try #require(character.unicodeScalars.first)
    #expect(font.glyphID(for: scalar) == UInt16(expected))
}

@Test func missingCharactersHaveNoGlyph() throws {
    let font = try dejaVu()
    #expect(font.glyphID(for: "中") == nil)              // CJK ideograph
    #expect(font.glyphID(for: "\u{10FFFD}") == nil)      // supplementary private use
    #expect(font.glyphID(for: "\u{E000}") == nil)        // BMP private use
    #expect(font.glyphID(for: "\u{10300}") != nil)       // Old Italic A: only in the format 12 subtable
}

/// Parses DejaVu's (3,1) format 4 and (3,10) format 12 subtables separately and checks that they
/// agree on the whole BMP: exercises both readers against each other.
@Test func format4AndFormat12SubtablesAgreeOnTheBMP() throws {
    let bytes = try fontBytes()
    let cmapEntry = try #require(directory(bytes).first { $0.tag == "cmap" })
    var subtables: [Int: CharacterMap] = [:]
    for i in 0..<be16(bytes, cmapEntry.offset + 2) {
        let record = cmapEntry.offset + 4 + 8 * i
        guard be16(bytes, record) == 3 else { continue }
        let offset = cmapEntry.offset + Int(be32(bytes, record + 4))
        let reader = FontReader(bytes, start: offset, end: cmapEntry.offset + cmapEntry.length, context: "test")
        subtables[be16(bytes, offset)] = try readCharacterMapSubtable(reader)
    }
    let format4 = try #require(subtables[4]), format12 = try #require(subtables[12])
    var mapped = 0
    for code in UInt32(0)...0xFFFF {
        #expect(format4.glyph(for: code) == format12.glyph(for: code), "U+\(String(code, radix: 16))")
        if format4.glyph(for: code) != 0 { mapped += 1 }
    }
    #expect(mapped > 5000)
    #expect(format4.glyph(for: 0x10300) == 0 && format12.glyph(for: 0x10300) != 0)
}

/// Overlapping format 12 groups are malformed; the reader falls back to the format 4 subtable.
@Test func damagedFormat12FallsBackToFormat4() throws {
    var bytes = try fontBytes()
    let cmap = try #require(directory(bytes).first { $0.tag == "cmap" })
    var damaged = 0
    for i in 0..<be16(bytes, cmap.offset + 2) {
        let subtable = cmap.offset + Int(be32(bytes, cmap.offset + 4 + 8 * i + 4))
        guard be16(bytes, subtable) == 12 else { continue }
        // Group 1 starts at code 0: it overlaps group 0.
        bytes.replaceSubrange((subtable + 28)..<(subtable + 32), with: [0, 0, 0, 0])
        damaged += 1
    }
    #expect(damaged > 0)
    let font = try TrueTypeFont(data: bytes)
    #expect(font.glyphID(for: "A") == 36 && font.glyphID(for: "€") == 2948)
    #expect(font.glyphID(for: "\u{10300}") == nil)      // only the BMP is left
}

// MARK: - hmtx

@Test func advanceWidths() throws {
    let font = try dejaVu()
    let space = try #require(font.glyphID(for: " ")), w = try #require(font.glyphID(for: "W"))
    #expect(font.advanceWidth(of: space) == 651)
    #expect(font.advanceWidth(of: w) == 2025)
    #expect(font.advanceWidth(of: space) < font.advanceWidth(of: w))
    #expect(font.advanceWidth(of: try #require(font.glyphID(for: "€"))) == 1303)
    // DejaVu has 6238 long metrics for 6253 glyphs: the tail shares the last advance.
    #expect(font.advanceWidth(of: 6252) == font.advanceWidth(of: 6237))
    #expect(font.advanceWidth(of: 6253) == 0)
    #expect(font.advanceWidth(of: .max) == 0)
}

// MARK: - Subsetting

@Test func subsetIsSmallAndReparsesWithTheSameGlyphs() throws {
    let original = try fontBytes()
    let font = try dejaVu()
    let kept = glyphs(for: invoiceText, in: font)
    #expect(kept.count == 34)                            // distinct characters in the text
    let subsetBytes = font.subset(keeping: kept)
    #expect(subsetBytes.count * 10 < original.count, "subset is \(subsetBytes.count) bytes")

    let subset = try TrueTypeFont(data: subsetBytes)
    #expect(subset.numberOfGlyphs == font.numberOfGlyphs)
    #expect(subset.unitsPerEm == font.unitsPerEm)
    #expect(subset.ascender == font.ascender && subset.descender == font.descender)
    // No sCapHeight in DejaVu's OS/2 and no "H" in this subset: the 70 %-of-ascender fallback applies.
    #expect(subset.capHeight == 1331)
    #expect(subset.postScriptName == font.postScriptName)
    for scalar in invoiceText.unicodeScalars {
        let glyph = try #require(font.glyphID(for: scalar))
        #expect(subset.glyphID(for: scalar) == glyph, "\(scalar)")
        #expect(subset.advanceWidth(of: glyph) == font.advanceWidth(of: glyph), "\(scalar)")
        // Same outline bytes; every kept glyph except the space has an outline.
        #expect(subset.data[subset.glyphRange(glyph)] == font.data[font.glyphRange(glyph)], "\(scalar)")
        #expect(scalar == " " || !subset.glyphRange(glyph).isEmpty, "\(scalar)")
    }
    // Unused glyphs are empty and unmapped.
    let q = try #require(font.glyphID(for: "Q"))
    #expect(!font.glyphRange(q).isEmpty && subset.glyphRange(q).isEmpty)
    #expect(subset.glyphID(for: "Q") == nil)
    #expect(!subset.glyphRange(0).isEmpty)                // .notdef is always kept
    let keptCount = (0..<subset.numberOfGlyphs).filter { !subset.glyphRange(UInt16($0)).isEmpty }.count
    #expect(keptCount <= kept.count + 4)                  // + .notdef and composite components
}

@Test func subsetTableDirectoryAndChecksumsAreValid() throws {
    let font = try dejaVu()
    let bytes = font.subset(keeping: glyphs(for: invoiceText, in: font))
    #expect(be32(bytes, 0) == 0x0001_0000)
    let entries = directory(bytes)
    #expect(entries.map(\.tag) == ["OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx",
                                   "loca", "maxp", "name", "post", "prep"])
    // searchRange / entrySelector / rangeShift for 13 tables.
    #expect(be16(bytes, 6) == 128 && be16(bytes, 8) == 3 && be16(bytes, 10) == 13 * 16 - 128)
    var end = 12 + 16 * entries.count
    for entry in entries {
        #expect(entry.offset % 4 == 0, "\(entry.tag)")
        #expect(entry.offset >= end, "\(entry.tag) overlaps")
        end = entry.offset + entry.length
        var data = bytes[entry.offset..<entry.offset + entry.length]
        if entry.tag == "head" {
            data = ArraySlice(Array(data))
            data.replaceSubrange((data.startIndex + 8)..<(data.startIndex + 12), with: [0, 0, 0, 0])
        }
        #expect(sum32(data) == entry.checksum, "\(entry.tag) checksum")
    }
    #expect(bytes.count % 4 == 0 && end <= bytes.count)
    #expect(sum32(bytes[...]) == 0xB1B0_AFBA)             // checkSumAdjustment
    let post = try #require(entries.first { $0.tag == "post" })
    #expect(be32(bytes, post.offset) == 0x0003_0000 && post.length == 32)
    let maxp = try #require(entries.first { $0.tag == "maxp" })
    #expect(be16(bytes, maxp.offset + 4) == 6253)
}

/// The same directory checks hold for DejaVu itself, so the checker above is not vacuous.
@Test func checksumHelperAcceptsTheOriginalFont() throws {
    let bytes = try fontBytes()
    let head = try #require(directory(bytes).first { $0.tag == "head" })
    let glyf = try #require(directory(bytes).first { $0.tag == "glyf" })
    #expect(sum32(bytes[glyf.offset..<glyf.offset + glyf.length]) == glyf.checksum)
    #expect(sum32(bytes[...]) == 0xB1B0_AFBA)
    #expect(be32(bytes, head.offset + 8) != 0)
}

@Test func compositeGlyphComponentsAreKept() throws {
    let font = try dejaVu()
    let aUmlaut = try #require(font.glyphID(for: "Ä"))
    #expect(font.components(of: aUmlaut) == [36, 5922])   // A + Dieresis
    #expect(font.components(of: 36).isEmpty)
    // U+01C4 Ǆ → Zcaron (319) → Z + Caron: components of components are kept too.
    let dz = try #require(font.glyphID(for: "\u{01C4}"))
    #expect(font.components(of: dz).contains(319))
    let nested = font.components(of: 319)
    #expect(nested.count == 2)

    let subset = try TrueTypeFont(data: font.subset(keeping: [aUmlaut, dz]))
    for glyph in [aUmlaut, 36, 5922, dz, 319] + font.components(of: dz) + nested {
        #expect(!subset.glyphRange(glyph).isEmpty, "glyph \(glyph)")
        #expect(subset.data[subset.glyphRange(glyph)] == font.data[font.glyphRange(glyph)], "glyph \(glyph)")
    }
    // Components are kept glyphs, so the subset's cmap maps 'A' too; nothing else is kept.
    #expect(subset.glyphID(for: "A") == 36)
    #expect(subset.glyphID(for: "B") == nil)
    let keep = font.keptGlyphs([aUmlaut])
    #expect(keep.indices.filter { keep[$0] } == [0, 36, 134, 5922])
}

@Test func subsetIsDeterministic() throws {
    let font = try dejaVu()
    let kept = glyphs(for: invoiceText, in: font)
    var reordered = Set<UInt16>(minimumCapacity: 4096)
    for glyph in kept.sorted(by: >) { reordered.insert(glyph) }
    let first = font.subset(keeping: kept)
    #expect(first == font.subset(keeping: kept))
    #expect(first == font.subset(keeping: reordered))
    #expect(first != font.subset(keeping: kept.union([font.glyphID(for: "Q") ?? 0])))
}

@Test func subsetEdgeCases() throws {
    let font = try dejaVu()
    // Only .notdef; out-of-range ids are ignored.
    let empty = try TrueTypeFont(data: font.subset(keeping: [6253, .max]))
    #expect(empty.numberOfGlyphs == 6253)
    #expect(!empty.glyphRange(0).isEmpty)
    #expect((1..<empty.numberOfGlyphs).allSatisfy { empty.glyphRange(UInt16($0)).isEmpty })
    #expect(empty.glyphID(for: "A") == nil)
    // A supplementary-plane glyph needs a format 12 subtable in the subset's cmap.
    let oldItalic = try #require(font.glyphID(for: "\u{10300}"))
    let supplementary = try TrueTypeFont(data: font.subset(keeping: [oldItalic, 36]))
    #expect(supplementary.glyphID(for: "\u{10300}") == oldItalic)
    #expect(supplementary.glyphID(for: "A") == 36)
    #expect(supplementary.advanceWidth(of: oldItalic) == font.advanceWidth(of: oldItalic))
    // A subset of a subset is the same font.
    let kept = glyphs(for: invoiceText, in: font)
    let once = font.subset(keeping: kept)
    #expect(try TrueTypeFont(data: once).subset(keeping: kept) == once)
}

// MARK: - Hostile input

@Test func emptyAndRandomDataAreRejected() {
    #expect(rejection([]) == .notTrueType)
    #expect(rejection([0, 1, 0, 0]) == .notTrueType)
    #expect(rejection(Array("OTTO\0\0\0\0\0\0\0\0".utf8)) == .unsupported("OpenType font with CFF outlines (OTTO)"))
    #expect(rejection(Array("ttcf\0\0\0\0\0\0\0\0".utf8)) == .unsupported("TrueType collection (ttcf)"))
    var random = SplitMix(state: 42)
    for length in [1, 11, 12, 100, 4096] {
        let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(rejection(noise) != nil)
        // The same noise behind a valid sfnt version must not crash either.
        #expect(rejection([0, 1, 0, 0] + noise) != nil)
    }
    #expect(!FontError.malformed("x").description.isEmpty)
}

@Test(arguments: [12, 13, 100, 200, 300, 1000, 50_000, 400_000, 759_719])
func truncatedFontIsRejected(length: Int) throws {
    let bytes = try fontBytes()
    #expect(rejection(Array(bytes.prefix(length))) != nil)
}

@Test func tableOffsetPastTheEndIsRejected() throws {
    let bytes = try fontBytes()
    let glyf = try #require(directory(bytes).first { $0.tag == "glyf" })
    var patched = bytes
    let past = UInt32(bytes.count + 16)
    patched.replaceSubrange((glyf.recordAt + 8)..<(glyf.recordAt + 12), with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: past >> $0) })
    guard case .malformed = rejection(patched) else { Issue.record("offset past the end accepted"); return }
    patched = bytes
    patched.replaceSubrange((glyf.recordAt + 12)..<(glyf.recordAt + 16), with: [0xFF, 0xFF, 0xFF, 0xF0])
    guard case .malformed = rejection(patched) else { Issue.record("length past the end accepted"); return }
}

@Test func damagedTablesAreRejected() throws {
    let bytes = try fontBytes()
    let entries = directory(bytes)
    func patched(_ tag: String, at offset: Int, _ values: [UInt8]) throws -> [UInt8] {
        let entry = try #require(entries.first { $0.tag == tag })
        var copy = bytes
        copy.replaceSubrange((entry.offset + offset)..<(entry.offset + offset + values.count), with: values)
        return copy
    }
    // Rename the cmap record's tag: the table is gone.
    var noCmap = bytes
    let cmap = try #require(entries.first { $0.tag == "cmap" })
    noCmap[cmap.recordAt] = UInt8(ascii: "x")
    #expect(rejection(noCmap) == .missingTable("cmap"))
    #expect(rejection(try patched("head", at: 12, [0, 0, 0, 0])) == .malformed("head: bad magic number"))
    #expect(rejection(try patched("head", at: 50, [0, 7])) == .malformed("head: indexToLocFormat 7"))
    #expect(rejection(try patched("hhea", at: 34, [0, 0])) == .malformed("hhea: numberOfHMetrics is 0"))
    #expect(rejection(try patched("loca", at: 4 * 10, [0xFF, 0xFF, 0xFF, 0xFF])) != nil)   // glyph past glyf
    #expect(rejection(try patched("maxp", at: 4, [0xFF, 0xFF])) != nil)                    // loca too short
    #expect(rejection(try patched("cmap", at: 2, [0xFF, 0xFF])) != nil)                    // subtable count
}

/// Random byte damage to a small valid font: parsing either throws `FontError` or yields a font
/// whose lookups and subset work and whose subset parses again. Never a crash.
@Test func mutatedFontsNeverCrash() throws {
    let font = try dejaVu()
    let base = font.subset(keeping: glyphs(for: invoiceText + "ǄÄż\u{10300}", in: font))
    var random = SplitMix(state: 2026)
    var accepted = 0
    for _ in 0..<300 {
        var mutant = base
        let damage = Int.random(in: 1...8, using: &random)
        for _ in 0..<damage {
            // Half the time hit the directory and table headers, where damage matters most.
            let limit = Bool.random(using: &random) ? min(600, mutant.count) : mutant.count
            mutant[Int.random(in: 0..<limit, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
        guard let parsed = try? TrueTypeFont(data: mutant) else { continue }
        accepted += 1
        let used = glyphs(for: invoiceText, in: parsed)
        _ = used.map { parsed.advanceWidth(of: $0) }
        let again = parsed.subset(keeping: used.union([0xFFFF, 1, 2, 3]))
        #expect(rejection(again) == nil)
    }
    #expect(accepted > 0)
}
