/// The penalty score of ISO/IEC 18004 § 7.8.3 that picks the mask: the lower, the easier the
/// symbol is to read (no long runs, no blocks, no false finders, about as much dark as light).
enum QRMaskPenalty {
    static func score(_ symbol: QRSymbolBuilder) -> Int {
        let size = symbol.size
        return symbol.modules.withUnsafeBufferPointer { score($0, size: size) }
    }

    private static func score(_ modules: UnsafeBufferPointer<Bool>, size: Int) -> Int {
        var score = 0
        for index in 0..<size {
            score += line(modules, start: index * size, step: 1, count: size)
            score += line(modules, start: index, step: size, count: size)
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let at = y * size + x
                let colour = modules[at]
                if modules[at + 1] == colour, modules[at + size] == colour, modules[at + size + 1] == colour { score += 3 }
            }
        }
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        score += abs(dark * 20 - total * 10) / total * 10
        return score
    }

    /// Rules 1 and 3 along one row or column of `count` modules from `start`, `step` apart.
    static func line(_ modules: UnsafeBufferPointer<Bool>, start: Int, step: Int, count: Int) -> Int {
        var score = 0
        var runLength = 0
        var previous = false
        // The last 11 modules, newest in bit 0, dark = 1; the line is read after 4 light modules
        // (the quiet zone), so the window starts empty, and 4 light modules follow it.
        var window = 0
        func slide(_ dark: Bool) {
            window = (window << 1 | (dark ? 1 : 0)) & 0x7FF
            if window == 0b000_0101_1101 || window == 0b101_1101_0000 { score += 40 }
        }
        for position in 0..<count {
            let dark = modules[start + position * step]
            runLength = position > 0 && dark == previous ? runLength + 1 : 1
            previous = dark
            if runLength == 5 { score += 3 } else if runLength > 5 { score += 1 }
            slide(dark)
        }
        for _ in 0..<4 { slide(false) }
        return score
    }
}
