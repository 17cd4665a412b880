/// Quoted-printable (RFC 2045 §6.7) for text bodies.
///
/// Lines of the text become CRLF-ended lines; each encoded line is at most 76 characters,
/// soft breaks (`=` at the end) split longer ones; spaces and tabs at the end of a line are
/// encoded so that no relay can strip them. A `.` or `From ` at the start of a line is encoded
/// too, so that neither SMTP dot-stuffing nor an mbox `From ` quoting can alter the body.
/// A literal `=` never appears except in a soft break, which is why the `=_` prefix of our
/// MIME boundaries cannot occur in an encoded body.
enum QuotedPrintable {
    /// The longest encoded line, soft-break `=` included.
    static let lineLength = 76

    /// `text` encoded; the result has no CRLF after its last line.
    static func encode(_ text: String, into out: inout [UInt8]) {
        let bytes = Array(text.utf8)
        out.reserveCapacity(out.count + bytes.count + bytes.count / 8)
        var lineStart = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == 0x0A || bytes[index] == 0x0D {
                encodeLine(bytes[lineStart..<index], into: &out)
                if index == bytes.count { break }
                // CRLF, lone LF and lone CR all end a line.
                if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                out.append(0x0D)
                out.append(0x0A)
                index += 1
                lineStart = index
                continue
            }
            index += 1
        }
    }

    /// One line of text (without its line end), with soft breaks where it is too long.
    private static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var column = 0
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            let isLast = index == line.endIndex - 1
            var escape = needsEscape(byte, line: line, at: index, column: column, isLast: isLast)
            var width = escape ? 3 : 1
            // The last unit may use the 76th column; anything else leaves it for a soft break.
            if column + width > (isLast ? lineLength : lineLength - 1) {
                out.append(UInt8(ascii: "="))
                out.append(0x0D)
                out.append(0x0A)
                column = 0
                escape = needsEscape(byte, line: line, at: index, column: 0, isLast: isLast)
                width = escape ? 3 : 1
            }
            if escape {
                out.append(UInt8(ascii: "="))
                out.append(Hex.digits[Int(byte >> 4)])
                out.append(Hex.digits[Int(byte & 0x0F)])
            } else {
                out.append(byte)
            }
            column += width
            index += 1
        }
    }

    private static let fromSpace = Array("From ".utf8)

    private static func needsEscape(_ byte: UInt8, line: ArraySlice<UInt8>, at index: Int, column: Int, isLast: Bool) -> Bool {
        switch byte {
        case 0x20, 0x09:
            return isLast
        case UInt8(ascii: "="):
            return true
        case UInt8(ascii: "."):
            return column == 0
        case UInt8(ascii: "F"):
            return column == 0 && line[index...].starts(with: fromSpace)
        case 33...126:
            return false
        default:
            return true
        }
    }
}
