import Foundation
import QRCode
import TestSupport
import Testing

/// Reads symbols back with `zbarimg` (Debian zbar-tools), an independent decoder, from a PNG
/// rendered the way a page shows them: 4 px per module, a quiet zone of 4 modules.
enum ZBarDecoder {
    static let executable = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isInstalled: Bool { executable != nil }
    static let skipMessage: Comment = "skipped: zbarimg is not installed (Debian zbar-tools; `make deps`)"

    /// The greyscale PNG of `matrix`: black modules on white.
    static func png(_ matrix: QRMatrix, pixelsPerModule scale: Int = 4, quietZone: Int = 4) -> [UInt8] {
        let side = (matrix.size + 2 * quietZone) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for run in matrix.darkRuns {
            for row in 0..<scale {
                let y = (run.y + quietZone) * scale + row
                let x = (run.x + quietZone) * scale
                for column in 0..<(run.length * scale) { pixels[y * side + x + column] = 0 }
            }
        }
        return TestPNG.grey(width: side, height: side, pixels: pixels)
    }

    /// The exact bytes of each symbol `zbarimg` finds in `png` (`-Sbinary`: no charset guessing).
    static func decode(png: [UInt8]) throws -> [UInt8] {
        let scratch = TemporaryDirectory()
        let file = scratch.file("symbol.png")
        try Data(png).write(to: URL(fileURLWithPath: file))
        let output = try Spawn.run(executable ?? "/usr/bin/zbarimg", ["--raw", "-q", "-Sbinary", file])
        guard output.status == 0 else { throw DecodingFailed(status: output.status, stderr: String(decoding: output.stderr, as: UTF8.self)) }
        return Array(output.stdout)
    }
}

/// `zbarimg` found no symbol (status 4) or failed.
struct DecodingFailed: Error {
    let status: Int32
    let stderr: String
}
