/// MIME parameters (`; filename="invoice.pdf"`) for Content-Type and Content-Disposition.
extension HeaderWriter {
    /// The longest value written as a plain quoted string.
    static let parameterSegmentLength = 60

    /// Appends `; name=value` parts after the field's first token. `value` is written as a
    /// quoted string when it is short printable ASCII; otherwise RFC 2231 (§3, §4) percent-encoded
    /// UTF-8 split into continuations `name*0*=utf-8''…; name*1*=…` that each fit on a line.
    mutating func addParameters(_ parameters: [(name: String, value: String)]) {
        var tokens: [String] = []
        for (name, value) in parameters {
            if Self.isShortPrintable(value) {
                tokens.append("\(name)=\(Self.quoted(value))")
            } else {
                tokens += Self.extendedParameter(name: name, value: value)
            }
        }
        appendSeparated(tokens)
    }

    /// Appends the legacy `name="=?UTF-8?…?="` form of Content-Type, which some clients
    /// (Outlook) read instead of RFC 2231: encoded words inside one quoted string, one fold
    /// point between words. Short printable ASCII stays a plain quoted string.
    mutating func addLegacyNameParameter(_ value: String) {
        guard !Self.isShortPrintable(value) else {
            appendSeparated(["name=\(Self.quoted(value))"])
            return
        }
        var words = EncodedWord.words(value, firstLimit: EncodedWord.maximumLength - 7, limit: EncodedWord.maximumLength - 1)
        words[0] = "name=\"" + words[0]
        words[words.count - 1] += "\""
        appendSeparated([words.joined(separator: " ")], splitOnSpaces: true)
    }

    /// Appends `;` to what is already there, then `tokens` separated by `;` (each token
    /// carries its `;`, so that a fold never pushes the separator past the soft limit).
    private mutating func appendSeparated(_ tokens: [String], splitOnSpaces: Bool = false) {
        glueSemicolon()
        for (index, token) in tokens.enumerated() {
            let separated = index < tokens.count - 1 ? token + ";" : token
            if splitOnSpaces {
                for part in separated.split(separator: " ") { add(String(part)) }
            } else {
                add(separated)
            }
        }
    }

    /// Whether `value` can be a quoted string on one line of its own.
    static func isShortPrintable(_ value: String) -> Bool {
        value.utf8.count <= parameterSegmentLength && value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `name*=utf-8''…` or its numbered continuations (RFC 2231 §3–4), each token short
    /// enough for a continuation line with its `;`, never splitting a percent-encoded triplet
    /// or a character.
    static func extendedParameter(name: String, value: String) -> [String] {
        let encoded = value.unicodeScalars.map { scalar in
            String(String(scalar).utf8.flatMap { byte in
                isAttributeChar(byte) ? [Character(Unicode.Scalar(byte))] : Array("%" + Hex.byte(byte))
            })
        }
        // A continuation line holds a space, the token and a `;`: 76 characters for the token.
        let tokenLimit = softLimit - 2
        let single = "\(name)*=utf-8''" + encoded.joined()
        if single.utf8.count <= tokenLimit { return [single] }
        var tokens: [String] = []
        var current = ""
        func prefix(_ index: Int) -> String { index == 0 ? "\(name)*0*=utf-8''" : "\(name)*\(index)*=" }
        for piece in encoded {
            if !current.isEmpty, prefix(tokens.count).utf8.count + current.utf8.count + piece.utf8.count > tokenLimit {
                tokens.append(prefix(tokens.count) + current)
                current = ""
            }
            current += piece
        }
        tokens.append(prefix(tokens.count) + current)
        return tokens
    }

    /// RFC 2231 `attribute-char`: a token character other than `*`, `'` and `%`.
    static func isAttributeChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$&+-.^_`|~".utf8.contains(byte)
        }
    }
}
