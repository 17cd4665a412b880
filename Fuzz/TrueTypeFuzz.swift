// libFuzzer entry point for the TrueType parser and subsetter (`TrueTypeFont`, `subset`). Built
// by Fuzz/run.sh together with the font sources of Sources/PDF (no Foundation) into one module.
//
// Any input may be refused, but never by a crash; a font that parses answers every lookup, and
// every subset it writes parses again with the same number of glyphs.

/// Characters an invoice uses, across scripts, plus ones outside the BMP.
let probe = Array("Invoice 1234 € Zoë Straße Ωμέγα Привет ǄÄż\u{10300}\u{1F600}".unicodeScalars)

/// Called by libFuzzer once per input; always returns 0 (a broken invariant traps instead).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    guard let font = try? TrueTypeFont(data: bytes) else { return 0 }
    require(font.numberOfGlyphs > 0, "a font without glyphs")
    var used: Set<UInt16> = [0]
    for scalar in probe {
        guard let glyph = font.glyphID(for: scalar) else { continue }
        require(Int(glyph) < font.numberOfGlyphs, "glyph \(glyph) beyond numberOfGlyphs")
        used.insert(glyph)
    }
    // Glyph ids from the input itself, so that composites and odd ids are reached too.
    for index in stride(from: 0, to: min(bytes.count, 64), by: 2) {
        used.insert(UInt16(bytes[index]) << 8 | UInt16(index + 1 < bytes.count ? bytes[index + 1] : 0))
    }
    for glyph in used { _ = font.advanceWidth(of: glyph) }
    // Subsetting walks every code point of the cmap (half a millisecond, ten times that under
    // ASan), so it runs for one input in eight, chosen by the input's bytes to stay reproducible.
    guard bytes.reduce(0, { $0 &+ Int($1) }) % 8 == 0 else { return 0 }
    let subset = font.subset(keeping: used)
    guard let again = try? TrueTypeFont(data: subset) else { fatalError("a subset does not parse again") }
    require(again.numberOfGlyphs == font.numberOfGlyphs, "a subset has \(again.numberOfGlyphs) glyphs, not \(font.numberOfGlyphs)")
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
