import Foundation
import Testing

/// `zbarimg` (Debian zbar-tools), an independent barcode reader: what a phone's camera would read
/// from a rendered page (a PNG from pdftoppm, a Chromium screenshot, a symbol drawn by a test).
public enum ZBarImage {
    public static let executable = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public static var isInstalled: Bool { executable != nil }
    public static let skipMessage: Comment = "skipped: zbarimg is not installed (Debian zbar-tools; `make deps`)"

    /// The exact bytes of the symbol found in the image file at `path` (`-Sbinary`: no charset
    /// guessing, nothing appended); an image holding several symbols gives them one after another.
    public static func decode(file path: String) throws -> [UInt8] {
        let output = try Spawn.run(executable ?? "/usr/bin/zbarimg", ["--raw", "-q", "-Sbinary", path])
        guard output.status == 0 else { throw Failure(status: output.status, stderr: String(decoding: output.stderr, as: UTF8.self)) }
        return Array(output.stdout)
    }

    /// The bytes of the symbol in `png`, written to a temporary file first.
    public static func decode(png: [UInt8]) throws -> [UInt8] {
        let scratch = TemporaryDirectory()
        let file = scratch.file("image.png")
        try Data(png).write(to: URL(fileURLWithPath: file))
        return try decode(file: file)
    }

    /// `zbarimg` found no symbol (status 4) or failed.
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "zbarimg exited \(status): \(stderr)" }
    }
}
