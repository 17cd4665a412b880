/// The server's replies during one transfer, as libcurl hands them over.
///
/// libcurl passes every SMTP response line to the header callback (its "pingpong" reader
/// treats response lines as headers). A reply ends with a line whose code is followed by a
/// space (RFC 5321 §4.2.1: `250-` continues, `250 ` ends).
struct SMTPReplies {
    /// A complete reply: its code and its lines joined by spaces.
    struct Reply: Equatable {
        let code: Int
        let text: String
    }

    /// Completed replies, oldest first (the last 32; a transfer has about eight).
    private(set) var replies: [Reply] = []
    private var pendingLines: [String] = []

    /// Takes one line as libcurl delivered it (with its CRLF).
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        let utf8 = Array(line.utf8.prefix(4))
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return }
        pendingLines.append(line)
        if utf8.count == 3 || utf8[3] == UInt8(ascii: " ") {
            let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)) ?? 0
            replies.append(Reply(code: code, text: pendingLines.joined(separator: " ")))
            pendingLines.removeAll()
            if replies.count > 32 { replies.removeFirst(replies.count - 32) }
        }
    }

    /// The last reply, e.g. `250 2.0.0 Ok: queued as …` after a successful DATA.
    var last: Reply? { replies.last }

    /// The last reply that refused something (4xx or 5xx): the reason a transfer failed.
    /// (After a failure libcurl may still say QUIT and get `221 Bye`.)
    var lastFailure: Reply? { replies.last { $0.code >= 400 } }
}
