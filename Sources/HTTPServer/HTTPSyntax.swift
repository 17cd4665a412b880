/// Byte classes and small decoders from RFC 9110 §5.6 and RFC 3986, shared by the parser,
/// the headers type and the response encoder.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    /// tchar: the bytes allowed in methods, field names and transfer-coding names.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
             UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// field-vchar, SP and HTAB, obs-text included: what a field value may contain.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Whether every byte of a string could be sent as a token.
    static func isToken(_ string: String) -> Bool {
        !string.isEmpty && string.utf8.allSatisfy(isTokenByte)
    }

    /// Whether a string can be sent as a field value or reason phrase without breaking the
    /// message framing (no CR, LF, NUL or other controls): the response-splitting guard.
    static func isSafeFieldValue(_ string: String) -> Bool {
        string.utf8.allSatisfy(isFieldValueByte)
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Makes a String from field bytes: UTF-8 when valid, otherwise each byte as Latin-1
    /// (obs-text), so no byte is ever lost or replaced.
    static func string<C: Collection<UInt8>>(fromFieldBytes bytes: C) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Percent-decodes bytes; `plusIsSpace` applies the form-urlencoded reading of `+`.
    /// A `%` not followed by two hex digits is kept literally rather than rejected.
    static func percentDecode<C: Collection<UInt8>>(_ bytes: C, plusIsSpace: Bool) -> String
    where C.Index == Int {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(UInt8(high << 4 | low))
                index += 3
                continue
            }
            out.append(plusIsSpace && byte == UInt8(ascii: "+") ? space : byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits a raw query on `&`, then each item on its first `=`, decoding both parts.
    /// Empty items (`a=1&&b=2`) are skipped.
    static func parseQuery(_ query: String) -> [HTTPQueryItem] {
        var items: [HTTPQueryItem] = []
        let bytes = Array(query.utf8)
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                items.append(HTTPQueryItem(
                    name: percentDecode(part[part.startIndex..<equals], plusIsSpace: true),
                    value: percentDecode(part[(equals + 1)..<part.endIndex], plusIsSpace: true)))
            } else {
                items.append(HTTPQueryItem(name: percentDecode(part, plusIsSpace: true), value: ""))
            }
        }
        return items
    }

    /// Whether a Host value is a plausible authority: reg-name, IP literal and port bytes only
    /// (RFC 3986 §3.2); an empty value is allowed (RFC 9112 §3.2).
    static func isValidHost(_ value: String) -> Bool {
        value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
                 UInt8(ascii: "%"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
                 UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
                 UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
                return true
            default:
                return false
            }
        }
    }
}
