/// Base64 (RFC 4648 §4) in lines of 76 characters with CRLF between them, the form
/// RFC 2045 §6.8 requires for a body; without line breaks for encoded words.
enum Base64Lines {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` encoded; `lineLength` (a multiple of 4) inserts CRLF between lines, none after the last.
    static func encode(_ bytes: [UInt8], lineLength: Int? = 76) -> [UInt8] {
        var out: [UInt8] = []
        encode(bytes, lineLength: lineLength, into: &out)
        return out
    }

    /// Appends `bytes` encoded to `out` (rendering writes into one buffer).
    static func encode(_ bytes: [UInt8], lineLength: Int? = 76, into out: inout [UInt8]) {
        let groupsPerLine = (lineLength ?? Int.max) / 4
        let encodedCount = (bytes.count + 2) / 3 * 4
        out.reserveCapacity(out.count + encodedCount + (encodedCount / max(1, groupsPerLine * 4) + 1) * 2)
        bytes.withUnsafeBufferPointer { input in
            var index = 0
            var groups = 0
            while index < input.count {
                if groups == groupsPerLine {
                    out.append(0x0D)
                    out.append(0x0A)
                    groups = 0
                }
                let remaining = input.count - index
                let b0 = input[index]
                let b1: UInt8 = remaining > 1 ? input[index + 1] : 0
                let b2: UInt8 = remaining > 2 ? input[index + 2] : 0
                out.append(alphabet[Int(b0 >> 2)])
                out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
                out.append(remaining > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
                out.append(remaining > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
                index += 3
                groups += 1
            }
        }
    }
}
