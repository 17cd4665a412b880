import Testing
import QRCode

@Suite struct QRDrawingTests {
    static let matrix = try! QREncoder.encode(Array("BCD\n002\n1\nSCT\n\nBillport Demo GmbH\nDE89370400440532013000\nEUR1356.60".utf8))

    /// The modules a list of runs covers, as "x,y" strings.
    static func covered(_ runs: [(x: Int, y: Int, length: Int)]) -> [String] {
        runs.flatMap { run in (run.x..<run.x + run.length).map { "\($0),\(run.y)" } }
    }

    @Test func darkRunsCoverExactlyTheDarkModulesWithoutTouchingEachOther() {
        let matrix = Self.matrix
        let runs = matrix.darkRuns
        let dark = (0..<matrix.size).flatMap { y in (0..<matrix.size).filter { matrix.isDark(x: $0, y: y) }.map { "\($0),\(y)" } }
        #expect(Self.covered(runs) == dark)
        // Maximal runs: a run never ends next to a dark module, so the PDF fills as few rectangles as it can.
        #expect(runs.allSatisfy { !matrix.isDark(x: $0.x + $0.length, y: $0.y) && !matrix.isDark(x: $0.x - 1, y: $0.y) })
        #expect(runs.count < dark.count * 2 / 3)
    }

    /// The SVG draws the same modules, offset by the quiet zone, on a white square of the full size.
    @Test func svgDrawsTheRunsInsideAQuietZone() throws {
        let matrix = Self.matrix
        let svg = matrix.svg()
        let side = matrix.size + 8
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(side) \#(side)" shape-rendering="crispEdges">"#))
        #expect(svg.contains(##"<rect width="\##(side)" height="\##(side)" fill="#fff"/>"##))
        #expect(svg.hasSuffix(##"" fill="#000"/></svg>"##))
        let path = try #require(svg.firstMatch(of: #/<path d="([^"]*)"/#)?.output.1)
        let drawn = path.matches(of: #/M(\d+) (\d+)h(\d+)v1h-(\d+)z/#).map { match in
            (x: Int(match.output.1)! - 4, y: Int(match.output.2)! - 4, length: Int(match.output.3)!)
        }
        #expect(drawn.map { "\($0.x),\($0.y),\($0.length)" } == matrix.darkRuns.map { "\($0.x),\($0.y),\($0.length)" })
        #expect(path.replacing(#/M\d+ \d+h\d+v1h-\d+z/#, with: "").isEmpty)
        #expect(matrix.svg(quietZone: 0).contains(#"viewBox="0 0 \#(matrix.size) \#(matrix.size)""#))
    }
}
