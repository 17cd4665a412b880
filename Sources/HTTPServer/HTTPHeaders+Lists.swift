import BillportCore

extension HTTPHeaders {
    /// The comma-separated list elements of every `name` field, lowercased and trimmed,
    /// empty elements dropped (RFC 9110 §5.6.1). Split on the comma byte, not on Characters:
    /// a combining mark after a comma would otherwise hide it (`close,\u{301}` read as one
    /// element), and the server would read a list differently from a proxy in front of it.
    func listTokens(for name: String) -> [String] {
        var tokens: [String] = []
        for field in fields where Self.namesMatch(field.name, name) {
            for element in field.value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
                let trimmed = String(decoding: element, as: UTF8.self).trimmingASCIIWhitespace()
                if !trimmed.isEmpty { tokens.append(trimmed.lowercasedASCII()) }
            }
        }
        return tokens
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs (OWS, RFC 9110 §5.6.3).
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Lowercases ASCII letters only, leaving every other byte alone.
    func lowercasedASCII() -> String {
        String(decoding: utf8.map(HTTPSyntax.lowercased), as: UTF8.self)
    }
}
