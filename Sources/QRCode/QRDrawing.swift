/// Drawings of a symbol without I/O: rectangles for a PDF content stream, SVG for HTML.
extension QRMatrix {
    /// The dark modules of each row merged into horizontal runs, in module units without the quiet
    /// zone (a PDF page fills one rectangle per run: about half as many as modules).
    public var darkRuns: [(x: Int, y: Int, length: Int)] {
        var runs: [(x: Int, y: Int, length: Int)] = []
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size, isDark(x: x, y: y) { x += 1 }
                runs.append((start, y, x - start))
            }
        }
        return runs
    }

    /// A standalone SVG document (also valid inline in HTML): one unit per module, a white square
    /// with `quietZone` (0…40) light modules around the symbol (4, the minimum readers need), the dark
    /// runs as one path. It scales to any size the page gives it.
    public func svg(quietZone: Int = 4) -> String {
        let margin = max(0, min(quietZone, 40))
        let side = String(size + 2 * margin)
        var path: [UInt8] = []
        path.reserveCapacity(size * size * 2)
        for run in darkRuns {
            path.append(UInt8(ascii: "M")); path.appendDecimal(run.x + margin)
            path.append(UInt8(ascii: " ")); path.appendDecimal(run.y + margin)
            path.append(UInt8(ascii: "h")); path.appendDecimal(run.length)
            path.append(contentsOf: "v1h-".utf8); path.appendDecimal(run.length)
            path.append(UInt8(ascii: "z"))
        }
        return ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(side) \##(side)" shape-rendering="crispEdges">"##
            + ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/><path d=""##
            + String(decoding: path, as: UTF8.self) + ##"" fill="#000"/></svg>"##
    }
}

private extension [UInt8] {
    /// The decimal digits of a non-negative `value` (string interpolation per run is many times slower).
    mutating func appendDecimal(_ value: Int) {
        if value >= 10 { appendDecimal(value / 10) }
        append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
