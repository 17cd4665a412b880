import Testing
@testable import QRCode

/// The encoder's parts against the published vectors of ISO/IEC 18004 and its tables.
@Suite struct QREncoderTests {
    /// ISO/IEC 18004 annex I: "01234567" in version 1-M (numeric mode) and its ten error-correction codewords.
    @Test func reedSolomonGivesTheStandardsAnnexCodewords() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(of: data, generator: ReedSolomon.generator(degree: 10))
            == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    /// The widely published "HELLO WORLD" 1-M example (alphanumeric mode).
    @Test func reedSolomonGivesTheHelloWorldCodewords() {
        let data: [UInt8] = [0x20, 0x5B, 0x0B, 0x78, 0xD1, 0x72, 0xDC, 0x4D, 0x43, 0x40, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(of: data, generator: ReedSolomon.generator(degree: 10))
            == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func byteModeDataHasModeCountTerminatorAndAlternatingPadBytes() {
        let codewords = QRCodewords.data(Array("hello".utf8), version: 1, level: .medium)
        #expect(codewords == [0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
        // From version 10 the count takes 16 bits.
        #expect(QRCodewords.data([0x41], version: 10, level: .medium).prefix(4) == [0x40, 0x00, 0x14, 0x10])
    }

    /// The format information table of ISO/IEC 18004 (annex C): level M with each mask, and L, Q, H with mask 0.
    @Test func formatInformationMatchesTheStandardsTable() {
        let levelM = ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                      "100010111111001", "100000011001110", "100111110010111", "100101010100000"]
        for (mask, bits) in levelM.enumerated() {
            #expect(QRSymbolBuilder.formatBits(correction: .medium, mask: mask) == Int(bits, radix: 2), "mask \(mask)")
        }
        #expect(QRSymbolBuilder.formatBits(correction: .low, mask: 0) == Int("111011111000100", radix: 2))
        #expect(QRSymbolBuilder.formatBits(correction: .quartile, mask: 0) == Int("011010101011111", radix: 2))
        #expect(QRSymbolBuilder.formatBits(correction: .high, mask: 0) == Int("001011010001001", radix: 2))
    }

    /// The version information table of ISO/IEC 18004 (annex D).
    @Test func versionInformationMatchesTheStandardsTable() {
        #expect(QRSymbolBuilder.versionBits(7) == 0x07C94)
        #expect(QRSymbolBuilder.versionBits(8) == 0x085BC)
        #expect(QRSymbolBuilder.versionBits(40) == 0x28C69)
    }

    @Test func capacitiesMatchTheStandardsTable() {
        let medium = [1: 14, 2: 26, 7: 122, 9: 180, 10: 213, 13: 331, 27: 1_125, 40: 2_331]
        for (version, bytes) in medium { #expect(QREncoder.byteCapacity(version: version, correction: .medium) == bytes, "version \(version)") }
        #expect(QREncoder.byteCapacity(version: 40, correction: .low) == 2_953)
        #expect(QREncoder.byteCapacity(version: 40, correction: .quartile) == 1_663)
        #expect(QREncoder.byteCapacity(version: 40, correction: .high) == 1_273)
        #expect(QREncoder.byteCapacity(version: 1, correction: .high) == 7)
        #expect(QRVersionTable.alignmentPositions(7) == [6, 22, 38])
        #expect(QRVersionTable.alignmentPositions(32) == [6, 34, 60, 86, 112, 138])
        #expect(QRVersionTable.alignmentPositions(40) == [6, 30, 58, 86, 114, 142, 170])
    }

    /// The largest input of a version stays in it; one byte more takes the next version.
    @Test(arguments: [(QRErrorCorrection.medium, 1), (.medium, 9), (.medium, 13), (.low, 6), (.quartile, 20), (.high, 39)])
    func theSmallestVersionThatFitsIsChosen(correction: QRErrorCorrection, version: Int) throws {
        let capacity = QREncoder.byteCapacity(version: version, correction: correction)
        let full = try QREncoder.encode(Array(repeating: 0x61, count: capacity), correction: correction)
        #expect(full.version == version)
        #expect(full.size == 17 + 4 * version)
        #expect(try QREncoder.encode(Array(repeating: 0x61, count: capacity + 1), correction: correction).version == version + 1)
    }

    @Test func tooLongInputThrowsWithTheCapacity() throws {
        #expect(throws: QREncodingError.dataTooLong(byteCount: 2_332, capacity: 2_331)) {
            try QREncoder.encode(Array(repeating: 0, count: 2_332))
        }
        #expect(throws: QREncodingError.dataTooLong(byteCount: 332, capacity: 331)) {
            try QREncoder.encode(Array(repeating: 0, count: 332), maximumVersion: 13)
        }
        #expect(throws: QREncodingError.dataTooLong(byteCount: 1_000_000, capacity: 2_953)) {
            try QREncoder.encode(Array(repeating: 0, count: 1_000_000), correction: .low)
        }
        #expect(try QREncoder.encode([]).version == 1)
    }

    /// What a reader looks for first: three finders with light separators, timing lines, the
    /// dark module, and both copies of the format information (and version information from 7).
    @Test(arguments: [1, 7, 25])
    func functionPatternsAreWhereAReaderLooks(version: Int) throws {
        let capacity = QREncoder.byteCapacity(version: version, correction: .quartile)
        let matrix = try QREncoder.encode(Array(repeating: 0x5A, count: capacity), correction: .quartile)
        let size = matrix.size
        for (left, top) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(matrix.isDark(x: left + dx, y: top + dy) == (ring != 2))
                }
            }
        }
        for index in 0..<8 {
            #expect(!matrix.isDark(x: 7, y: index) && !matrix.isDark(x: index, y: 7))
            #expect(!matrix.isDark(x: size - 8, y: index) && !matrix.isDark(x: index, y: size - 8))
        }
        for index in 8..<(size - 8) {
            #expect(matrix.isDark(x: index, y: 6) == (index % 2 == 0))
            #expect(matrix.isDark(x: 6, y: index) == (index % 2 == 0))
        }
        #expect(matrix.isDark(x: 8, y: size - 8))

        func bits(_ positions: [(Int, Int)]) -> Int {
            positions.enumerated().reduce(0) { $0 | (matrix.isDark(x: $1.element.0, y: $1.element.1) ? 1 << $1.offset : 0) }
        }
        let format = QRSymbolBuilder.formatBits(correction: .quartile, mask: matrix.mask)
        let aroundTopLeft = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        let split = (0..<8).map { (size - 1 - $0, 8) } + (8..<15).map { (8, size - 15 + $0) }
        #expect(bits(aroundTopLeft) == format)
        #expect(bits(split) == format)
        if version >= 7 {
            #expect(bits((0..<18).map { (size - 11 + $0 % 3, $0 / 3) }) == QRSymbolBuilder.versionBits(version))
            #expect(bits((0..<18).map { ($0 / 3, size - 11 + $0 % 3) }) == QRSymbolBuilder.versionBits(version))
        }
        #expect(!matrix.isDark(x: -1, y: 0) && !matrix.isDark(x: 0, y: size))
    }

    @Test func theMaskWithTheLowestPenaltyIsKept() throws {
        let bytes = Array("https://billport.example/invoice/abc".utf8)
        let matrix = try QREncoder.encode(bytes)
        var scores: [Int] = []
        for mask in 0..<8 {
            var symbol = QRSymbolBuilder(version: matrix.version)
            symbol.placeCodewords(QRCodewords.interleaved(QRCodewords.data(bytes, version: matrix.version, level: .medium),
                                                          version: matrix.version, level: .medium))
            symbol.applyMask(mask)
            symbol.drawFormatBits(correction: .medium, mask: mask)
            scores.append(QRMaskPenalty.score(symbol))
        }
        #expect(scores[matrix.mask] == scores.min())
        #expect(Set(scores).count > 1)
    }

    /// Rule 1 (3 + n − 5 per run of n ≥ 5) and rule 3 (40 per 1:1:3:1:1 pattern for each side with
    /// 4 light modules, the quiet zone beyond the edge counting as light).
    @Test func penaltyRulesScoreRunsAndFinderLikePatterns() {
        func score(_ line: String) -> Int {
            let modules: [UInt8] = line.map { $0 == "#" ? 1 : 0 }
            return modules.withUnsafeBufferPointer { QRMaskPenalty.line($0, start: 0, step: 1, count: modules.count) }
        }
        #expect(score("#.#.") == 0)
        #expect(score("####.") == 0)
        #expect(score("#####.") == 3)
        #expect(score(".......#") == 5)
        #expect(score("#.###.#") == 80)                 // at both edges: light quiet zone on either side
        #expect(score("##.###.#....") == 40)              // light only after it
        #expect(score("##.###.#.....#####") == 40 + 3 + 3) // and runs of five
        #expect(score("##.###.##.#.") == 0)
        #expect(score("#.#.###.#.#.") == 0)
    }
}
