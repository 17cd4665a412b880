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
    /// with `quietZone` light modules around the symbol (4, the minimum readers need), the dark
    /// runs as one path. It scales to any size the page gives it.
    public func svg(quietZone: Int = 4) -> String {
        let margin = max(0, min(quietZone, 40))
        let side = size + 2 * margin
        var path = ""
        for run in darkRuns { path += "M\(run.x + margin) \(run.y + margin)h\(run.length)v1h-\(run.length)z" }
        return ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(side) \##(side)" shape-rendering="crispEdges">"##
            + ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/><path d="\##(path)" fill="#000"/></svg>"##
    }
}
