import Synchronization

/// A TrueType font ready for PDF pages: measures text and maps it to glyph ids. One instance
/// per font file, shared by every document (it holds no per-document state).
public final class PDFFont: Sendable {
    let font: TrueTypeFont
    /// Recent subsets by glyph set: invoices of one tenant use nearly the same glyphs, and a
    /// subset costs more than the rest of a page.
    private let subsets = Mutex<[(glyphs: Set<UInt16>, bytes: [UInt8], length: Int)]>([])
    /// The original font file; each document embeds a subset of it.
    let data: [UInt8]
    /// Glyph drawn for a character the font lacks: "?" when the font has it, else .notdef —
    /// visible, never a corrupt file.
    let fallbackGlyph: UInt16

    public init(trueTypeData: [UInt8]) throws(FontError) {
        font = try TrueTypeFont(data: trueTypeData)
        data = trueTypeData
        fallbackGlyph = font.glyphID(for: "?") ?? 0
    }

    /// The font's name without subset tag.
    public var name: String { font.postScriptName }

    /// Height above the baseline per point of size.
    public var ascent: Double { Double(font.ascender) / Double(font.unitsPerEm) }
    /// Depth below the baseline per point of size (negative).
    public var descent: Double { Double(font.descender) / Double(font.unitsPerEm) }

    /// Whether the font draws `scalar` itself (not the fallback).
    public func covers(_ scalar: Unicode.Scalar) -> Bool { font.glyphID(for: scalar) != nil }

    /// Glyph ids for `text`, one per Unicode scalar, missing ones as the fallback.
    func glyphs(for text: String) -> [(glyph: UInt16, scalar: Unicode.Scalar)] {
        text.unicodeScalars.compactMap { scalar in
            if scalar.value < 0x20 { return nil }
            return (font.glyphID(for: scalar) ?? fallbackGlyph, scalar)
        }
    }

    /// The width of `text` set at `size` points.
    public func width(of text: String, size: Double) -> Double {
        var units = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x20 {
            units += font.advanceWidth(of: font.glyphID(for: scalar) ?? fallbackGlyph)
        }
        return Double(units) * size / Double(font.unitsPerEm)
    }

    /// The embedded subset for `glyphs`, zlib-compressed, with its uncompressed length; from
    /// the cache when the same set was used recently.
    func compressedSubset(_ glyphs: Set<UInt16>) -> (bytes: [UInt8], length: Int) {
        if let hit = subsets.withLock({ $0.first { $0.glyphs == glyphs } }) { return (hit.bytes, hit.length) }
        let raw = font.subset(keeping: glyphs)
        let bytes = Deflate.zlib(raw)
        subsets.withLock { cache in
            cache.insert((glyphs, bytes, raw.count), at: 0)
            if cache.count > 8 { cache.removeLast() }
        }
        return (bytes, raw.count)
    }

    /// A glyph's advance in PDF text space units (1/1000 em).
    func pdfWidth(of glyph: UInt16) -> Int {
        Int((Double(font.advanceWidth(of: glyph)) * 1000 / Double(font.unitsPerEm)).rounded())
    }
}
