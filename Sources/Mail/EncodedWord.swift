/// RFC 2047 encoded words (`=?UTF-8?B?…?=`), how non-ASCII text travels in headers.
///
/// Each word is at most 75 characters (§2) and holds whole characters only (§5: a word never
/// ends inside a UTF-8 sequence, and here never inside a grapheme cluster either unless that
/// cluster alone is too long for a word). Decoders join adjacent words and drop the
/// whitespace between them, so splitting changes nothing in the decoded text.
enum EncodedWord {
    /// B (base64) or Q (quoted-printable-like); whichever is shorter for the text.
    enum Encoding: String {
        case b = "B"
        case q = "Q"
    }

    /// `=?UTF-8?X?` and `?=`.
    static let overhead = 12
    /// The longest word RFC 2047 allows.
    static let maximumLength = 75

    /// Whether `byte` may stand for itself in a Q word. The most restrictive set of §5 (3), so
    /// that the same words are valid in a display name (phrase) and in a subject.
    static func isQLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// Characters `bytes` take in a Q word (`_` for a space, `=XX` for the rest).
    static func qLength(_ bytes: some Sequence<UInt8>) -> Int {
        bytes.reduce(0) { $0 + (isQLiteral($1) || $1 == 0x20 ? 1 : 3) }
    }

    /// Characters `count` bytes take in a B word.
    static func bLength(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// The encoding that makes `text` shortest (Q on a tie: it stays readable).
    static func bestEncoding(for text: String) -> Encoding {
        qLength(text.utf8) <= bLength(text.utf8.count) ? .q : .b
    }

    /// `text` as encoded words: the first at most `firstLimit` characters long, the others at
    /// most `limit`. `firstLimit` must leave room for one character (at least 24).
    static func words(_ text: String, firstLimit: Int, limit: Int = maximumLength,
                      encoding: Encoding? = nil) -> [String] {
        let encoding = encoding ?? bestEncoding(for: text)
        func length(_ bytes: [UInt8]) -> Int { encoding == .q ? qLength(bytes) : bLength(bytes.count) }
        var words: [String] = []
        var pending: [UInt8] = []
        func budget() -> Int { (words.isEmpty ? min(firstLimit, limit) : limit) - overhead }
        func flush() {
            guard !pending.isEmpty else { return }
            words.append(word(pending, encoding))
            pending.removeAll(keepingCapacity: true)
        }
        for unit in units(text, fitting: limit - overhead, length: length) {
            if length(pending + unit) > budget() { flush() }
            pending += unit
        }
        flush()
        return words.isEmpty ? [word([], encoding)] : words
    }

    /// The UTF-8 bytes of each character of `text`, or of each Unicode scalar of a character
    /// too long to fit in one word on its own.
    private static func units(_ text: String, fitting budget: Int, length: ([UInt8]) -> Int) -> [[UInt8]] {
        var units: [[UInt8]] = []
        for character in text {
            let bytes = Array(character.utf8)
            if length(bytes) <= budget {
                units.append(bytes)
            } else {
                units += character.unicodeScalars.map { Array(String($0).utf8) }
            }
        }
        return units
    }

    /// One word holding exactly `bytes`.
    static func word(_ bytes: [UInt8], _ encoding: Encoding) -> String {
        var out = "=?UTF-8?\(encoding.rawValue)?"
        switch encoding {
        case .b:
            out += String(decoding: Base64Lines.encode(bytes, lineLength: nil), as: UTF8.self)
        case .q:
            for byte in bytes {
                if isQLiteral(byte) {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else if byte == 0x20 {
                    out += "_"
                } else {
                    out += "=" + Hex.byte(byte)
                }
            }
        }
        return out + "?="
    }
}

/// Uppercase hex digits, as quoted-printable, Q words and percent-encoding write them.
enum Hex {
    static let digits = Array("0123456789ABCDEF".utf8)

    /// `byte` as two uppercase hex digits.
    static func byte(_ byte: UInt8) -> String {
        String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}
