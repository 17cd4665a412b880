/// Builds one header field folded at 78 characters (RFC 5322 §2.1.1, §2.2.3).
///
/// The value is a sequence of tokens separated by single spaces; a fold replaces such a space
/// with CRLF + space, so unfolding gives back exactly the unfolded value. A token is never
/// split: callers make tokens that fit (encoded words, RFC 2231 segments), and `finish()`
/// refuses any line of 998 octets or more, the hard limit.
struct HeaderWriter {
    /// The soft limit for a line, CRLF excluded.
    static let softLimit = 78
    /// The hard limit for a line, CRLF excluded (998 octets, RFC 5322 §2.1.1).
    static let hardLimit = 998

    /// The header's name, for errors.
    let field: String
    private var lines: [String]
    private var current: String
    /// Whether the current line holds a token yet (the first one always goes on it).
    private var currentHasToken = false

    /// Starts `Name:`.
    init(_ field: String) {
        self.field = field
        lines = []
        current = field + ":"
    }

    /// Columns left on the current line after a separating space.
    var available: Int { Self.softLimit - current.utf8.count - 1 }

    /// Appends `token` after a space, folding first when it would pass the soft limit.
    mutating func add(_ token: String) {
        if currentHasToken, !token.isEmpty, current.utf8.count + 1 + token.utf8.count > Self.softLimit {
            fold()
        }
        current += " " + token
        currentHasToken = true
    }

    /// Appends `;` right after the last token (MIME parameters are separated by `; `).
    mutating func glueSemicolon() {
        current += ";"
    }

    /// Starts a new continuation line.
    mutating func fold() {
        lines.append(current)
        current = ""
        currentHasToken = false
    }

    /// Appends unstructured text (a subject, an extra header's value): as it is when it is
    /// printable ASCII whose words each fit on a line, otherwise as RFC 2047 encoded words.
    /// Runs of spaces are kept: only single spaces become folds.
    mutating func addText(_ text: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?")
            && words.allSatisfy { $0.utf8.count < Self.softLimit - 1 }
            && (currentHasToken || words[0].utf8.count <= available)
        if plain {
            for word in words { add(String(word)) }
        } else {
            addEncoded(text)
        }
    }

    /// Appends `text` as encoded words, the first one sized to what is left of this line.
    mutating func addEncoded(_ text: String) {
        if available < 40 { fold() }
        for word in EncodedWord.words(text, firstLimit: min(EncodedWord.maximumLength, available)) { add(word) }
    }

    /// Appends a display name (RFC 5322 `phrase`): atoms as they are, other printable ASCII as
    /// a quoted string, anything else (or too long to quote on one line) as encoded words.
    mutating func addPhrase(_ name: String) {
        let bytes = Array(name.utf8)
        if !bytes.isEmpty, bytes.allSatisfy({ Self.isAtext($0) || $0 == 0x20 }), !name.contains("=?"),
           bytes.first != 0x20, bytes.last != 0x20, !name.contains("  "),
           name.split(separator: " ").allSatisfy({ $0.utf8.count <= 60 }) {
            for word in name.split(separator: " ") { add(String(word)) }
        } else if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), !name.contains("=?"), bytes.count <= 60 {
            add(Self.quoted(name))
        } else {
            addEncoded(name)
        }
    }

    /// `text` as an RFC 5322 quoted-string (`"` and `\` escaped).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// RFC 5322 `atext`: what an atom may hold without quoting.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// The field with CRLF after each line; throws when a line reaches the hard limit.
    func finish() throws(MailError) -> String {
        let all = lines + [current]
        if all.contains(where: { $0.utf8.count >= Self.hardLimit }) {
            throw .invalidField(field: field, reason: "a header line would exceed 998 octets")
        }
        return all.joined(separator: "\r\n") + "\r\n"
    }
}
