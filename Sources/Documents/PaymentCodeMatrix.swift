import QRCode

/// A payment QR code (EPC "GiroCode") as the invoice page draws it: `size`×`size` modules,
/// row-major, `true` dark, without the quiet zone. The caller fills it from its QR encoder, so
/// the layout needs no knowledge of QR encoding.
public struct PaymentCodeMatrix: Sendable, Hashable {
    public let size: Int
    public let dark: [Bool]

    /// Nil unless `dark` holds `size`×`size` modules and `size` is a QR Code size (21…177).
    public init?(size: Int, dark: [Bool]) {
        guard (21...177).contains(size), dark.count == size * size else { return nil }
        self.size = size
        self.dark = dark
    }

    /// The modules of an encoded QR Code.
    public init(_ matrix: QRMatrix) {
        size = matrix.size
        dark = (0..<matrix.size * matrix.size).map { matrix.isDark(x: $0 % matrix.size, y: $0 / matrix.size) }
    }

    /// Whether the module in column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool { dark[y * size + x] }

    /// The dark modules as few rectangles, in module units: each row's dark runs, a run stacked
    /// on the same run of the rows above growing into one taller rectangle (finder patterns and
    /// timing lines become a handful). Fewer rectangles mean a smaller page and no seams.
    func rectangles() -> [(x: Int, y: Int, width: Int, height: Int)] {
        var closed: [(x: Int, y: Int, width: Int, height: Int)] = []
        // Runs still open, keyed by (start, width): the row they began on.
        var open: [Run: Int] = [:]
        for y in 0...size {
            var current: Set<Run> = []
            var x = 0
            while y < size, x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size, isDark(x: x, y: y) { x += 1 }
                current.insert(Run(start: start, width: x - start))
            }
            for (run, top) in open where !current.contains(run) {
                closed.append((run.start, top, run.width, y - top))
                open[run] = nil
            }
            for run in current where open[run] == nil { open[run] = y }
        }
        return closed.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
    }

    private struct Run: Hashable {
        let start: Int
        let width: Int
    }
}
