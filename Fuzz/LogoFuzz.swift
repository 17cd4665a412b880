// libFuzzer entry point for the logo path: the upload rule (`LogoPolicy.prepare`: header check,
// PNG decode with a capped inflater, downscale, our PNG encoder) and the render path
// (`LogoPolicy.image`, `PDFImage`). Built by Fuzz/run.sh together with the pure image sources of
// Sources/PDF (no Foundation) into one module.
//
// Any input may be refused, but never by a crash, and what is accepted must hold up: a stored
// PNG decodes again, fits the logo box, and the render path reads it at the same size.

/// A far smaller pixel cap than the default (16384: 700×20 still takes the downscale path), so
/// that accepted inputs stay quick to decode and the fuzzer makes millions of runs.
let fuzzPolicy = LogoPolicy(maxPixels: 1 << 14, maxBytes: 1 << 16)

/// Called by libFuzzer once per input; always returns 0 (a broken invariant traps instead).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let header = try? ImageHeader(data: bytes)
    if let header {
        require(header.width > 0 && header.height > 0, "a header with an empty side")
    }
    let drawn = try? fuzzPolicy.image(bytes)
    if let drawn, let header {
        let fitted = LogoPolicy.fittedSize(width: header.width, height: header.height)
        if header.format == .png {
            require(drawn.pixelWidth == fitted.width && drawn.pixelHeight == fitted.height, "render size differs from the fitted size")
        }
    }
    guard let stored = try? fuzzPolicy.prepare(bytes) else { return 0 }
    require(header != nil, "prepared a logo without a header")
    guard header?.format == .png else {
        require(stored == bytes, "a JPEG was changed")
        return 0
    }
    guard let again = try? ImageHeader(data: stored), let image = try? PDFImage(data: stored) else {
        fatalError("a stored logo does not decode again")
    }
    require(again.width <= LogoPolicy.boxWidth && again.height <= LogoPolicy.boxHeight, "a stored logo is larger than the box")
    require(image.pixelWidth == again.width && image.pixelHeight == again.height, "a stored logo decodes to another size")
    require(drawn != nil, "prepared for storage but refused for drawing")
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
