/// Writes 8-bit PNGs (grey, grey+alpha, RGB, RGBA), non-interlaced, every row with the Sub
/// filter, the image data compressed by our own `Deflate`.
enum PNGEncoder {
    /// `samples` holds `components` bytes a pixel (1 or 3); `alpha`, when present, one byte a pixel.
    static func encode(width: Int, height: Int, samples: [UInt8], components: Int, alpha: [UInt8]?) -> [UInt8] {
        let channels = components + (alpha == nil ? 0 : 1)
        let colorType: UInt8 = switch (components, alpha != nil) {
        case (1, false): 0
        case (1, true): 4
        case (_, false): 2
        case (_, true): 6
        }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var row = [UInt8](repeating: 0, count: stride)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = y * width + x
                for c in 0..<components { row[x * channels + c] = samples[pixel * components + c] }
                if let alpha { row[x * channels + components] = alpha[pixel] }
            }
            let start = y * (stride + 1)
            raw[start] = 1   // Sub: each byte minus the same channel of the pixel to its left
            for i in 0..<stride { raw[start + 1 + i] = row[i] &- (i >= channels ? row[i - channels] : 0) }
        }
        var header: [UInt8] = []
        header.append(bigEndian: UInt32(width))
        header.append(bigEndian: UInt32(height))
        header += [8, colorType, 0, 0, 0]
        var png = ImageHeader.pngSignature
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", Deflate.zlib(raw))
        png.appendChunk("IEND", [])
        return png
    }
}

private extension [UInt8] {
    mutating func append(bigEndian value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    /// Length, type, data and the CRC of type and data (PNG §5.3).
    mutating func appendChunk(_ type: String, _ data: [UInt8]) {
        append(bigEndian: UInt32(data.count))
        let typed = Array(type.utf8) + data
        append(contentsOf: typed)
        append(bigEndian: CRC32.checksum(typed))
    }
}
