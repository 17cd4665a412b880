/// The penalty score of ISO/IEC 18004 § 7.8.3 that picks the mask: the lower, the easier the
/// symbol is to read (no long runs, no blocks, no false finders, about as much dark as light).
///
/// A masked symbol looks random, so a branch per module would be mispredicted half the time: the
/// loops read modules as 0/1 bytes and add with selects instead of `if`s, in wrapping arithmetic
/// (an overflow check is a branch too; no count here comes near overflowing).
enum QRMaskPenalty {
    static func score(_ symbol: QRSymbolBuilder) -> Int {
        let size = symbol.size
        return symbol.modules.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { score($0, size: size) }
        }
    }

    private static func score(_ modules: UnsafeBufferPointer<UInt8>, size: Int) -> Int {
        var score = 0
        for index in 0..<size {
            score += line(modules, start: index * size, step: 1, count: size)
            score += line(modules, start: index, step: size, count: size)
        }
        // Rule 2: 3 for each 2×2 block of one colour.
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let at = y &* size &+ x
                let top = modules[at]
                let differs = (top ^ modules[at &+ 1]) | (top ^ modules[at &+ size]) | (top ^ modules[at &+ size &+ 1])
                score &+= 3 &* Int((differs == 0).bit)
            }
        }
        // Rule 4: 10 for each full 5 % the dark share is away from 50 %.
        var dark = 0
        for module in modules { dark &+= Int(module) }
        let total = size * size
        score += abs(dark * 20 - total * 10) / total * 10
        return score
    }

    /// Rules 1 and 3 along one row or column of `count` modules (0 light, 1 dark) from `start`, `step` apart.
    static func line(_ modules: UnsafeBufferPointer<UInt8>, start: Int, step: Int, count: Int) -> Int {
        var score = 0
        var runLength = 0
        var previous = 0
        // The last 11 modules, newest in bit 0; the line is read after 4 light modules (the quiet
        // zone), so the window starts empty, and 4 light modules follow it.
        var window = 0
        func slide(_ dark: Int) {
            window = (window << 1 | dark) & 0x7FF
            score &+= 40 &* Int((window == 0b000_0101_1101).bit | (window == 0b101_1101_0000).bit)
        }
        for position in 0..<count {
            let dark = Int(modules[start &+ position &* step])
            // The run goes on (all ones) or starts again (zero); the first module starts one either way.
            let goesOn = 0 &- (1 ^ dark ^ previous)
            runLength = (runLength & goesOn) &+ 1
            previous = dark
            // Rule 1: 3 for a run of 5, 1 more for each module beyond.
            score &+= 3 &* Int((runLength == 5).bit) &+ Int((runLength > 5).bit)
            slide(dark)
        }
        for _ in 0..<4 { slide(0) }
        return score
    }
}

extension Bool {
    /// 1 for true, 0 for false, without a branch.
    var bit: UInt8 { self ? 1 : 0 }
}
