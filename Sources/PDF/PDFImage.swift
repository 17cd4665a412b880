/// Why an image cannot go into a PDF.
public struct PDFImageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A PNG or JPEG ready to embed: JPEG data is passed through (`/DCTDecode`); PNG pixels are
/// decoded, their alpha split into a soft mask.
public struct PDFImage: Sendable, Hashable {
    public let pixelWidth: Int
    public let pixelHeight: Int
    enum Payload: Sendable, Hashable {
        case jpeg(data: [UInt8], components: Int)
        /// Uncompressed 8-bit samples; `alpha` one byte per pixel when present.
        case pixels(samples: [UInt8], components: Int, alpha: [UInt8]?)
    }
    let payload: Payload

    /// A CMYK JPEG: its colours mean nothing without a CMYK profile, so archival output leaves it out.
    public var isCMYK: Bool {
        if case .jpeg(_, let components) = payload { return components == 4 }
        return false
    }

    /// Reads `data` as a PNG or JPEG; anything else, a truncated file or absurd dimensions throw.
    public init(data: [UInt8]) throws(PDFImageError) {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            (pixelWidth, pixelHeight, payload) = try Self.jpeg(data)
        } else if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            (pixelWidth, pixelHeight, payload) = try PNGDecoder.decode(data)
        } else {
            throw PDFImageError("not a PNG or JPEG image")
        }
    }

    static func checkSize(_ width: Int, _ height: Int) throws(PDFImageError) {
        guard width > 0, height > 0, width <= 10_000, height <= 10_000, width * height <= 40_000_000 else {
            throw PDFImageError("image dimensions \(width)×\(height) are out of range (at most 10000 px a side, 40 MP)")
        }
    }

    /// Passes a JPEG through after checking its frame header.
    private static func jpeg(_ data: [UInt8]) throws(PDFImageError) -> (Int, Int, Payload) {
        let header = try ImageHeader(data: data)
        try checkSize(header.width, header.height)
        return (header.width, header.height, .jpeg(data: data, components: header.components))
    }

    /// Decoded pixels, as made by `LogoPolicy` when it scales a logo down.
    init(pixelWidth: Int, pixelHeight: Int, samples: [UInt8], components: Int, alpha: [UInt8]?) {
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        payload = .pixels(samples: samples, components: components, alpha: alpha)
    }
}

/// Decodes non-interlaced 8-bit PNGs (grey, grey+alpha, RGB, RGBA, palette with tRNS).
enum PNGDecoder {
    static func decode(_ data: [UInt8]) throws(PDFImageError) -> (Int, Int, PDFImage.Payload) {
        var index = 8
        var width = 0, height = 0, colorType = 0
        var palette: [UInt8] = [], transparency: [UInt8] = [], compressed: [UInt8] = []
        var sawHeader = false
        while index + 8 <= data.count {
            let length = Int(data[index]) << 24 | Int(data[index + 1]) << 16 | Int(data[index + 2]) << 8 | Int(data[index + 3])
            let type = String(decoding: data[(index + 4)..<(index + 8)], as: UTF8.self)
            guard length >= 0, index + 12 + length <= data.count else { throw PDFImageError("truncated PNG") }
            let body = Array(data[(index + 8)..<(index + 8 + length)])
            switch type {
            case "IHDR":
                // Exactly one header, first (PNG §5.6): the size a rule checked is the size decoded.
                guard index == 8, length == 13 else { throw PDFImageError("malformed PNG header") }
                width = Int(body[0]) << 24 | Int(body[1]) << 16 | Int(body[2]) << 8 | Int(body[3])
                height = Int(body[4]) << 24 | Int(body[5]) << 16 | Int(body[6]) << 8 | Int(body[7])
                colorType = Int(body[9])
                guard body[8] == 8 else { throw PDFImageError("PNG with \(body[8])-bit samples is not supported (use 8-bit)") }
                guard body[12] == 0 else { throw PDFImageError("interlaced PNG is not supported") }
                guard [0, 2, 3, 4, 6].contains(colorType) else { throw PDFImageError("PNG colour type \(colorType) is not valid") }
                try PDFImage.checkSize(width, height)
                sawHeader = true
            case "PLTE": palette = body
            case "tRNS": transparency = body
            case "IDAT": compressed += body
            case "IEND": index = data.count; continue
            default: break
            }
            index += 12 + length
        }
        guard sawHeader, !compressed.isEmpty else { throw PDFImageError("PNG without header or image data") }
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]!
        let stride = width * channels
        let raw: [UInt8]
        do {
            raw = try Inflate.zlib(compressed, limit: (stride + 1) * height)
        } catch {
            throw PDFImageError("PNG image data is corrupt: \(error)")
        }
        guard raw.count >= (stride + 1) * height else { throw PDFImageError("PNG image data is too short") }
        let pixels = try unfilter(raw, stride: stride, height: height, bytesPerPixel: channels)
        return (width, height, try split(pixels, colorType: colorType, count: width * height, palette: palette, transparency: transparency))
    }

    /// Undoes the per-row filters (PNG §9).
    static func unfilter(_ raw: [UInt8], stride: Int, height: Int, bytesPerPixel: Int) throws(PDFImageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let source = row * (stride + 1) + 1
            let target = row * stride
            for column in 0..<stride {
                let x = raw[source + column]
                let a = column >= bytesPerPixel ? Int(out[target + column - bytesPerPixel]) : 0
                let b = row > 0 ? Int(out[target - stride + column]) : 0
                let c = (row > 0 && column >= bytesPerPixel) ? Int(out[target - stride + column - bytesPerPixel]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                default: throw PDFImageError("PNG row filter \(filter) is not valid")
                }
                out[target + column] = x &+ UInt8(truncatingIfNeeded: predictor)
            }
        }
        return out
    }

    /// Colour samples and, where the PNG has transparency, one alpha byte per pixel.
    static func split(_ pixels: [UInt8], colorType: Int, count: Int, palette: [UInt8], transparency: [UInt8]) throws(PDFImageError) -> PDFImage.Payload {
        switch colorType {
        case 0, 2:
            return .pixels(samples: pixels, components: colorType == 0 ? 1 : 3, alpha: nil)
        case 4, 6:
            let channels = colorType == 4 ? 2 : 4
            var samples: [UInt8] = [], alpha: [UInt8] = []
            samples.reserveCapacity(count * (channels - 1))
            alpha.reserveCapacity(count)
            for pixel in 0..<count {
                samples.append(contentsOf: pixels[(pixel * channels)..<(pixel * channels + channels - 1)])
                alpha.append(pixels[pixel * channels + channels - 1])
            }
            return .pixels(samples: samples, components: channels - 1, alpha: alpha)
        default:
            guard !palette.isEmpty, palette.count % 3 == 0 else { throw PDFImageError("palette PNG without a palette") }
            var samples: [UInt8] = [], alpha: [UInt8] = []
            samples.reserveCapacity(count * 3)
            for index in pixels {
                let entry = Int(index)
                guard entry * 3 + 2 < palette.count else { throw PDFImageError("PNG pixel outside its palette") }
                samples.append(contentsOf: palette[(entry * 3)...(entry * 3 + 2)])
                alpha.append(entry < transparency.count ? transparency[entry] : 255)
            }
            return .pixels(samples: samples, components: 3, alpha: transparency.isEmpty ? nil : alpha)
        }
    }
}
