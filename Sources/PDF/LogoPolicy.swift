/// Why a logo is refused; `description` is the sentence shown to the tenant.
public struct LogoError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// Refused for its size (bytes or pixels) alone, before any decoding.
    public let isOversized: Bool
    init(_ description: String, oversized: Bool = false) {
        self.description = description
        isOversized = oversized
    }
}

/// The one rule for a tenant's logo, at upload and at every render: a PNG or JPEG of at most
/// `maxBytes` whose header says at most `maxPixels` pixels, checked before anything is
/// inflated. PNGs are decoded (the inflater never produces more than the header's size) and
/// kept only as large as a page shows them.
public struct LogoPolicy: Sendable, Equatable {
    /// The largest logo by its header, in pixels (`branding.maxLogoPixels`).
    public var maxPixels: Int
    /// The largest logo file, in bytes.
    public var maxBytes: Int

    /// 150×54 pt, the logo box of the PDF header, at 300 dpi; the HTML page shows it at most
    /// 160×54 CSS px, which this also covers at 3× device pixels.
    public static let boxWidth = 625
    public static let boxHeight = 225
    public static let defaultMaxPixels = 4_000_000

    public init(maxPixels: Int = LogoPolicy.defaultMaxPixels, maxBytes: Int = 1 << 20) {
        self.maxPixels = maxPixels
        self.maxBytes = maxBytes
    }

    /// The header of `data` when it passes the size rule, read without decompressing anything.
    public func admit(_ data: [UInt8]) throws(LogoError) -> ImageHeader {
        guard data.count <= maxBytes else { throw LogoError("the logo is \(data.count) bytes; at most \(maxBytes) bytes are accepted", oversized: true) }
        let header: ImageHeader
        do {
            header = try ImageHeader(data: data)
        } catch {
            throw LogoError("the logo is not a usable PNG or JPEG image: \(error)")
        }
        guard header.pixelCount <= maxPixels else {
            throw LogoError("the logo is \(header.width)×\(header.height) pixels; at most \(maxPixels) pixels are accepted", oversized: true)
        }
        return header
    }

    /// What to store for an uploaded logo: a PNG decoded, shrunk to fit the logo box and
    /// re-encoded (which also drops every ancillary chunk); a JPEG as it came, its header checked.
    public func prepare(_ data: [UInt8]) throws(LogoError) -> [UInt8] {
        let header = try admit(data)
        if header.format == .jpeg { return data }
        let pixels = try Self.fitted(try decode(data))
        return PNGEncoder.encode(width: pixels.width, height: pixels.height, samples: pixels.samples, components: pixels.components,
                                 alpha: pixels.alpha)
    }

    /// The logo ready to draw: admitted by the rule, and a PNG larger than the box (one stored
    /// before uploads were scaled) shrunk first.
    public func image(_ data: [UInt8]) throws(LogoError) -> PDFImage {
        let header = try admit(data)
        guard header.format == .png, header.width > Self.boxWidth || header.height > Self.boxHeight else {
            do { return try PDFImage(data: data) } catch { throw LogoError("the logo cannot be used: \(error)") }
        }
        let pixels = try Self.fitted(try decode(data))
        return PDFImage(pixelWidth: pixels.width, pixelHeight: pixels.height, samples: pixels.samples, components: pixels.components,
                        alpha: pixels.alpha)
    }

    /// The size `width`×`height` takes to fit the box, keeping its aspect ratio (never larger).
    public static func fittedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        guard width > boxWidth || height > boxHeight else { return (width, height) }
        // Compare boxWidth/width with boxHeight/height in integers: no rounding decides the side.
        if boxWidth * height <= boxHeight * width {
            return (boxWidth, min(boxHeight, max(1, (height * boxWidth + width / 2) / width)))
        }
        return (min(boxWidth, max(1, (width * boxHeight + height / 2) / height)), boxHeight)
    }

    private func decode(_ data: [UInt8]) throws(LogoError) -> PixelScaler.Pixels {
        let image: PDFImage
        do { image = try PDFImage(data: data) } catch { throw LogoError("the logo cannot be used: \(error)") }
        guard case .pixels(let samples, let components, let alpha) = image.payload else { throw LogoError("the logo cannot be used: not a PNG") }
        return PixelScaler.Pixels(width: image.pixelWidth, height: image.pixelHeight, samples: samples, components: components, alpha: alpha)
    }

    private static func fitted(_ pixels: PixelScaler.Pixels) throws(LogoError) -> PixelScaler.Pixels {
        let size = fittedSize(width: pixels.width, height: pixels.height)
        guard size != (pixels.width, pixels.height) else { return pixels }
        return PixelScaler.downscale(pixels, width: size.width, height: size.height)
    }
}
