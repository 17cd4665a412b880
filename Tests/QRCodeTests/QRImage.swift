import QRCode
import TestSupport

/// A symbol as a page shows it: black modules on white, 4 px per module, a quiet zone of 4 modules.
enum QRImage {
    static func png(_ matrix: QRMatrix, pixelsPerModule scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let side = (matrix.size + 2 * quietZone) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for run in matrix.darkRuns {
            for row in 0..<scale {
                let start = ((run.y + quietZone) * scale + row) * side + (run.x + quietZone) * scale
                for column in 0..<(run.length * scale) { pixels[start + column] = 0 }
            }
        }
        return TestPNG.grey(width: side, height: side, pixels: pixels)
    }
}
