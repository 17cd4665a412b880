/// An image's format and pixel size read from its header alone (a PNG's IHDR, a JPEG's first
/// start-of-frame marker), so that a size rule can refuse an image before anything is inflated.
public struct ImageHeader: Sendable, Equatable {
    public enum Format: String, Sendable { case png, jpeg }

    public let format: Format
    public let width: Int
    public let height: Int
    /// Colour components (JPEG only; 0 for PNG, whose decoder reads them itself).
    let components: Int

    /// Pixels in the image; cannot overflow (each side is below 2³¹).
    public var pixelCount: Int { width * height }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads the header of a PNG or JPEG; anything else or a header cut short throws.
    public init(data: [UInt8]) throws(PDFImageError) {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            (width, height, components) = try Self.jpegFrame(data)
            format = .jpeg
        } else if data.starts(with: Self.pngSignature) {
            (width, height) = try Self.pngHeader(data)
            components = 0
            format = .png
        } else {
            throw PDFImageError("not a PNG or JPEG image")
        }
    }

    /// Width and height from the IHDR chunk, which PNG requires to come first.
    private static func pngHeader(_ data: [UInt8]) throws(PDFImageError) -> (Int, Int) {
        guard data.count >= 33 else { throw PDFImageError("truncated PNG header") }
        guard data[8..<16].elementsEqual([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) else { throw PDFImageError("PNG without its IHDR header first") }
        func int32(_ at: Int) -> Int { Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]) }
        let width = int32(16), height = int32(20)
        guard width > 0, height > 0, width < 1 << 31, height < 1 << 31 else { throw PDFImageError("PNG dimensions \(width)×\(height) are not valid") }
        return (width, height)
    }

    /// Size and components from the first start-of-frame marker.
    private static func jpegFrame(_ data: [UInt8]) throws(PDFImageError) -> (Int, Int, Int) {
        var index = 2
        while index + 4 <= data.count {
            guard data[index] == 0xFF else { throw PDFImageError("malformed JPEG") }
            let marker = data[index + 1]
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { index += 2; continue }
            let length = Int(data[index + 2]) << 8 | Int(data[index + 3])
            guard length >= 2, index + 2 + length <= data.count else { throw PDFImageError("truncated JPEG") }
            if [0xC0, 0xC1, 0xC2].contains(marker) {
                guard length >= 8 else { throw PDFImageError("truncated JPEG frame header") }
                let height = Int(data[index + 5]) << 8 | Int(data[index + 6])
                let width = Int(data[index + 7]) << 8 | Int(data[index + 8])
                let components = Int(data[index + 9])
                guard width > 0, height > 0 else { throw PDFImageError("JPEG dimensions \(width)×\(height) are not valid") }
                guard [1, 3, 4].contains(components) else { throw PDFImageError("JPEG with \(components) components is not supported") }
                return (width, height, components)
            }
            if (0xC3...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                throw PDFImageError("lossless or arithmetic-coded JPEG is not supported")
            }
            index += 2 + length
        }
        throw PDFImageError("JPEG without a frame header")
    }
}
