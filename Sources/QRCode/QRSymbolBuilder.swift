/// Lays a symbol out: function patterns (finders with separators, timing, alignment, the dark
/// module, reserved format and version areas), then the codewords in the zigzag order, then a mask.
struct QRSymbolBuilder {
    let version: Int
    let size: Int
    private(set) var modules: [Bool]
    /// Modules that are function patterns: never data, never masked.
    private(set) var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = QRVersionTable.size(version)
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns()
    }

    func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    private mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    private mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(centreX: x, centreY: y) }
        let positions = QRVersionTable.alignmentPositions(version)
        let last = positions.count - 1
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() where !((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) {
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(x: x + dx, y: y + dy, dark: max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Reserve the format areas now (drawn with each mask) and draw the version information.
        drawFormatBits(correction: .medium, mask: 0)
        if version >= 7 {
            let bits = Self.versionBits(version)
            for index in 0..<18 {
                let dark = (bits >> index) & 1 == 1
                let a = size - 11 + index % 3, b = index / 3
                setFunction(x: a, y: b, dark: dark)
                setFunction(x: b, y: a, dark: dark)
            }
        }
    }

    /// A 7×7 finder with its light separator, clipped at the symbol's edge.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx, y = centreY + dy
                guard x >= 0, y >= 0, x < size, y < size else { continue }
                let distance = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: distance != 2 && distance != 4)
            }
        }
    }

    /// Both copies of the 15 format bits, and the dark module beside the lower-left finder.
    mutating func drawFormatBits(correction: QRErrorCorrection, mask: Int) {
        let bits = Self.formatBits(correction: correction, mask: mask)
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0...5 { setFunction(x: 8, y: index, dark: bit(index)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
        for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
        for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// The 15-bit format information: level and mask, a BCH(15, 5) remainder, XOR 0x5412.
    static func formatBits(correction: QRErrorCorrection, mask: Int) -> Int {
        let data = correction.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18-bit version information (versions 7…40): the version and a BCH(18, 6) remainder.
    static func versionBits(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }

    /// Places `codewords` bit by bit in two-column strips from the right, upwards then downwards,
    /// skipping function modules and the vertical timing column; remainder bits stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        var bitIndex = 0
        let bitCount = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for x in stride(from: right, through: right - 1, by: -1) where !isFunction[y * size + x] && bitIndex < bitCount {
                    modules[y * size + x] = (codewords[bitIndex >> 3] >> UInt8(7 - (bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// Inverts the data modules the mask pattern selects (applying it twice undoes it).
    mutating func applyMask(_ mask: Int) {
        switch mask {
        case 0: invert { x, y in (x + y) % 2 == 0 }
        case 1: invert { _, y in y % 2 == 0 }
        case 2: invert { x, _ in x % 3 == 0 }
        case 3: invert { x, y in (x + y) % 3 == 0 }
        case 4: invert { x, y in (x / 3 + y / 2) % 2 == 0 }
        case 5: invert { x, y in x * y % 2 + x * y % 3 == 0 }
        case 6: invert { x, y in (x * y % 2 + x * y % 3) % 2 == 0 }
        default: invert { x, y in ((x + y) % 2 + x * y % 3) % 2 == 0 }
        }
    }

    /// XOR with 0/1 bytes, one loop per pattern: a branch per module would be mispredicted all the time.
    @inline(__always) private mutating func invert(where selects: (Int, Int) -> Bool) {
        let (size, isFunction) = (size, isFunction)
        modules.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { modules in
                for y in 0..<size {
                    for x in 0..<size {
                        let index = y &* size &+ x
                        modules[index] ^= selects(x, y).bit & (!isFunction[index]).bit
                    }
                }
            }
        }
    }

    /// Puts back modules taken earlier (the unmasked symbol, before trying the next mask).
    mutating func restore(_ saved: [Bool]) { modules = saved }
}
