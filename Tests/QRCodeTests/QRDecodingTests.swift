import Testing
@testable import QRCode
import TestSupport

/// Symbols read back by an independent decoder: the bytes that come out are the bytes that went in.
@Suite(.enabled(if: ZBarImage.isInstalled, ZBarImage.skipMessage))
struct QRDecodingTests {
    static let samples: [(name: String, bytes: [UInt8])] = [
        ("a short text", Array("Billport".utf8)),
        ("UTF-8 text", Array("Zoë & Søn – Rechnung № 42 €".utf8)),
        ("a version 8 text", Array(String(repeating: "INV-2026-0042 ", count: 10).utf8)),
        ("every byte value", (0...255).map { UInt8($0) }),
    ]

    @Test(arguments: samples.indices)
    func zbarimgReadsTheBytesBack(sample: Int) throws {
        let (name, bytes) = Self.samples[sample]
        let matrix = try QREncoder.encode(bytes)
        let decoded = try ZBarImage.decode(png: QRImage.png(matrix))
        #expect(decoded == bytes, "\(name), version \(matrix.version), mask \(matrix.mask)")
    }

    /// One symbol per level and a spread of versions (block layouts, alignment grids, 16-bit
    /// counts), each filled to capacity so every data codeword counts.
    @Test(arguments: [(QRErrorCorrection.low, 1), (.medium, 2), (.quartile, 6), (.high, 7), (.medium, 13),
                      (.low, 15), (.high, 22), (.quartile, 27), (.medium, 32), (.low, 40)])
    func everyLevelAndManyVersionsDecode(correction: QRErrorCorrection, version: Int) throws {
        let count = QREncoder.byteCapacity(version: version, correction: correction)
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 7 + version) }
        let matrix = try QREncoder.encode(bytes, correction: correction)
        #expect(matrix.version == version)
        #expect(try ZBarImage.decode(png: QRImage.png(matrix)) == bytes)
    }

    /// Each of the eight mask patterns, forced in turn, reads back: the encoder may pick any of them.
    @Test(arguments: 0..<8)
    func everyMaskPatternDecodes(mask: Int) throws {
        let bytes = Array("EPC QR mask \(mask)".utf8)
        var symbol = QRSymbolBuilder(version: 2)
        symbol.placeCodewords(QRCodewords.interleaved(QRCodewords.data(bytes, version: 2, level: .quartile), version: 2, level: .quartile))
        symbol.applyMask(mask)
        symbol.drawFormatBits(correction: .quartile, mask: mask)
        let matrix = QRMatrix(version: 2, correction: .quartile, mask: mask, modules: symbol.modules)
        #expect(try ZBarImage.decode(png: QRImage.png(matrix)) == bytes)
    }
}
