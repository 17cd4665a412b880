/// The penalty score of ISO/IEC 18004 § 7.8.3 that picks the mask: the lower, the easier the
/// symbol is to read (no long runs, no blocks, no false finders, about as much dark as light).
enum QRMaskPenalty {
    static func score(_ symbol: QRSymbolBuilder) -> Int {
        let size = symbol.size
        var score = 0
        var darkCount = 0
        for index in 0..<size {
            let row = (0..<size).map { symbol.isDark(x: $0, y: index) }
            let column = (0..<size).map { symbol.isDark(x: index, y: $0) }
            score += runs(row) + runs(column) + finderLikes(row) + finderLikes(column)
            darkCount += row.lazy.filter { $0 }.count
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = symbol.isDark(x: x, y: y)
                if symbol.isDark(x: x + 1, y: y) == colour, symbol.isDark(x: x, y: y + 1) == colour,
                   symbol.isDark(x: x + 1, y: y + 1) == colour { score += 3 }
            }
        }
        let total = size * size
        score += abs(darkCount * 20 - total * 10) / total * 10
        return score
    }

    /// Rule 1: 3 + (n − 5) for each run of n ≥ 5 modules of one colour.
    static func runs(_ line: [Bool]) -> Int {
        var score = 0
        var length = 0
        for (index, module) in line.enumerated() {
            length = index > 0 && line[index - 1] == module ? length + 1 : 1
            if length == 5 { score += 3 } else if length > 5 { score += 1 }
        }
        return score
    }

    private static let finderCore: [Bool] = [true, false, true, true, true, false, true]

    /// Rule 3: 40 for each dark-light-dark×3-light-dark pattern with 4 light modules on one side
    /// (beyond the edge counts as light: the quiet zone is).
    static func finderLikes(_ line: [Bool]) -> Int {
        guard line.count >= 7 else { return 0 }
        func light(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] } }
        var score = 0
        for start in 0...(line.count - 7) where line[start..<start + 7].elementsEqual(finderCore) {
            if light(start - 4..<start) || light(start + 7..<start + 11) { score += 40 }
        }
        return score
    }
}
