@testable import PDF
import Testing
import TestSupport

/// The logo rule: sizes from headers alone, refusals that name the problem, and PNGs scaled to
/// the page's logo box by our own encoder.
@Suite struct LogoPolicyTests {
    @Test func headersGiveTheSizeWithoutDecoding() throws {
        let bomb = TestPNG.zeros(width: 10_000, height: 4_000)
        #expect(bomb.count < 200_000)
        let header = try ImageHeader(data: bomb)
        #expect(header.format == .png)
        #expect((header.width, header.height) == (10_000, 4_000))
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x0F, 0xA0, 0x27, 0x10, 3, 1, 0x11, 0]
        let jpegHeader = try ImageHeader(data: jpeg)
        #expect((jpegHeader.format, jpegHeader.width, jpegHeader.height) == (.jpeg, 10_000, 4_000))
    }

    @Test func aBombIsRefusedByItsHeaderNamingTheSize() {
        let error = #expect(throws: LogoError.self) { try LogoPolicy().prepare(TestPNG.zeros(width: 10_000, height: 4_000)) }
        #expect(error?.description == "the logo is 10000×4000 pixels; at most 4000000 pixels are accepted")
        #expect(error?.isOversized == true)
    }

    @Test(arguments: [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], "truncated PNG header"),
        (Array("hello".utf8), "not a PNG or JPEG image"),
        ([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8], "truncated JPEG"),
    ] as [([UInt8], String)])
    func brokenImagesAreRefusedAsNotUsable(data: [UInt8], reason: String) {
        let error = #expect(throws: LogoError.self) { try LogoPolicy().prepare(data) }
        #expect(error?.description == "the logo is not a usable PNG or JPEG image: \(reason)")
        #expect(error?.isOversized == false)
    }

    @Test func aSecondHeaderCannotSmuggleABombPastTheSizeRule() {
        // A 10×10 header as the rule reads it, then the bomb's 10000×4000 header.
        var png = TestPNG.zeros(width: 10, height: 10)
        png.insert(contentsOf: TestPNG.zeros(width: 10_000, height: 4_000)[8..<33], at: 33)
        let stored = #expect(throws: LogoError.self) { try LogoPolicy().prepare(png) }
        #expect(stored?.description == "the logo cannot be used: malformed PNG header")
        #expect(throws: LogoError.self) { try LogoPolicy().image(png) }
    }

    @Test func aTruncatedImageDataStreamIsRefused() {
        var png = TestPNG.zeros(width: 300, height: 100)
        png.removeLast(40)   // cuts into IDAT
        #expect(throws: LogoError.self) { try LogoPolicy().prepare(png) }
    }

    @Test func theInflaterNeverProducesMoreThanItsLimit() throws {
        // A stored block of 100 bytes with a limit of 50, and a run-length stream of a million zeros.
        let stored: [UInt8] = [0x78, 0x01, 0x01, 100, 0, 155, 0xFF] + [UInt8](repeating: 7, count: 100) + [0, 0, 0, 0]
        #expect(throws: (any Error).self) { try Inflate.zlib(stored, limit: 50) }
        let zeros = Array(TestPNG.zeros(width: 1000, height: 1000, colorType: 0).dropFirst(41).dropLast(16))
        #expect(throws: (any Error).self) { try Inflate.zlib(zeros, limit: 4096) }
        #expect(try Inflate.zlib(zeros, limit: 1001 * 1000).count == 1001 * 1000)
    }

    @Test func aLargePNGIsStoredScaledIntoTheLogoBox() throws {
        let stored = try LogoPolicy().prepare(TestPNG.zeros(width: 3000, height: 1000, colorType: 2))
        let header = try ImageHeader(data: stored)
        #expect((header.width, header.height) == (625, 208))
        let image = try PDFImage(data: stored)
        #expect((image.pixelWidth, image.pixelHeight) == (625, 208))
    }

    @Test func fittedSizesKeepTheAspectRatioAndNeverGrow() {
        #expect(LogoPolicy.fittedSize(width: 3000, height: 1000) == (625, 208))
        #expect(LogoPolicy.fittedSize(width: 1000, height: 1000) == (225, 225))
        #expect(LogoPolicy.fittedSize(width: 100_000, height: 1) == (625, 1))
        #expect(LogoPolicy.fittedSize(width: 1, height: 40_000) == (1, 225))
        #expect(LogoPolicy.fittedSize(width: 200, height: 80) == (200, 80))
    }

    @Test func scalingAveragesColourWeightedByAlphaAndRoundTripsThroughOurEncoder() throws {
        // 4×2 RGBA: left half opaque red and transparent green, right half opaque blue.
        let red: [UInt8] = [255, 0, 0], green: [UInt8] = [0, 255, 0], blue: [UInt8] = [0, 0, 255]
        let samples = red + green + blue + blue + green + red + blue + blue
        let alpha: [UInt8] = [255, 0, 255, 255, 0, 255, 255, 255]
        let source = PixelScaler.Pixels(width: 4, height: 2, samples: samples, components: 3, alpha: alpha)
        let scaled = PixelScaler.downscale(source, width: 2, height: 1)
        #expect(scaled.samples == [255, 0, 0, 0, 0, 255])
        #expect(scaled.alpha == [128, 255])
        let png = PNGEncoder.encode(width: 4, height: 2, samples: samples, components: 3, alpha: alpha)
        let decoded = try PDFImage(data: png)
        #expect(decoded.payload == .pixels(samples: samples, components: 3, alpha: alpha))
    }

    @Test func aJPEGIsKeptAsSentOnceItsHeaderPasses() throws {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 100, 1, 44, 3, 1, 0x11, 0, 0xFF, 0xD9]
        #expect(try LogoPolicy().prepare(jpeg) == jpeg)
        let error = #expect(throws: LogoError.self) { try LogoPolicy(maxPixels: 10_000).prepare(jpeg) }
        #expect(error?.description == "the logo is 300×100 pixels; at most 10000 pixels are accepted")
    }
}
