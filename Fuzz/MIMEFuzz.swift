// libFuzzer entry point for the MIME builder of Sources/Mail. Built by Fuzz/run.sh
// together with the pure rendering sources (no SMTP, no files) into one module.
//
// The input is cut at 0x00 bytes into the parts of a message a tenant or customer controls:
// subject, sender and recipient names and addresses, text and HTML bodies, an attachment's name
// and bytes, a custom header's value. The invariants: rendering either succeeds or throws a
// `MailError`, and always throws for CR or LF in a header field; a rendered message is 7-bit
// ASCII with CRLF line ends only, every line at most 998 octets, a header block of exactly the
// headers Billport writes (nothing injected), a subject that decodes back to the input, and
// every multipart's closing boundary.
import Foundation

/// Called by libFuzzer once per input; always returns 0 (a broken invariant traps instead).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    var fields = bytes.split(separator: 0, maxSplits: 9, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    while fields.count < 10 { fields.append("") }
    let (subject, fromName, fromAddress, toName, toAddress, text, html, filename, attachment, extra) =
        (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7], fields[8], fields[9])
    let message = MailMessage(
        from: MailAddress(fromAddress.isEmpty ? "billing@acme.example" : fromAddress, name: fromName.isEmpty ? nil : fromName),
        to: [MailAddress(toAddress.isEmpty ? "zoe@kunde.example" : toAddress, name: toName.isEmpty ? nil : toName)],
        subject: subject, date: Date(timeIntervalSince1970: 1_764_547_200), messageID: "fuzz-1@acme.example",
        extraHeaders: extra.isEmpty ? [] : [("X-Billport-Note", extra)], text: text, html: html.isEmpty ? nil : html,
        attachments: filename.isEmpty ? [] : [MailAttachment(filename: filename, contentType: "application/pdf", data: Array(attachment.utf8))],
        listUnsubscribe: ListUnsubscribe(url: "https://billing.acme.example/unsubscribe/tok?category=marketing"))

    let headerFields = [subject, fromName, fromAddress, toName, toAddress, filename, extra]
    let injects = headerFields.contains { $0.utf8.contains { $0 == 0x0D || $0 == 0x0A } }
    let rendered: RenderedMail
    do {
        rendered = try message.render()
    } catch {
        return 0
    }
    require(!injects, "rendered a message whose header fields hold CR or LF")
    check(rendered.bytes, subject: subject, multipart: !html.isEmpty || !filename.isEmpty)
    return 0
}

/// The headers Billport writes at the top level, each once.
let expectedHeaders: Set<String> = ["Date", "From", "To", "Subject", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post",
                                    "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "X-Billport-Note"]

func check(_ bytes: [UInt8], subject: String, multipart: Bool) {
    require(bytes.allSatisfy { $0 < 0x80 }, "a byte above 0x7F")
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    for index in bytes.indices {
        if bytes[index] == 0x0A {
            require(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)")
            lines.append(bytes[start..<(index - 1)])
            start = index + 1
        } else if bytes[index] == 0x0D {
            require(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)")
        }
    }
    require(start == bytes.count, "the message does not end with CRLF")
    for line in lines { require(line.count <= 998, "a line of \(line.count) octets") }

    // The header block, unfolded: a name and a colon, or a continuation starting with a space or tab.
    var headers: [(name: String, value: String)] = []
    for line in lines.prefix(while: { !$0.isEmpty }) {
        let text = String(decoding: line, as: UTF8.self)
        if let first = line.first, first == 0x20 || first == 0x09 {
            require(!headers.isEmpty, "a continuation line before any header")
            headers[headers.count - 1].value += text
        } else {
            guard let colon = text.firstIndex(of: ":") else { fatalError("a header line without a colon: \(text)") }
            headers.append((String(text[..<colon]), String(text[text.index(after: colon)...])))
        }
    }
    let names = headers.map(\.name)
    require(Set(names).isSubset(of: expectedHeaders), "unexpected headers \(Set(names).subtracting(expectedHeaders))")
    require(Set(names).count == names.count, "a header twice: \(names)")
    let subjectValue = headers.first { $0.name == "Subject" }?.value ?? ""
    let decoded = decodeHeaderText(subjectValue.hasPrefix(" ") ? String(subjectValue.dropFirst()) : subjectValue)
    require(decoded == subject, "the subject decodes to \(decoded.debugDescription), not \(subject.debugDescription)")

    let type = headers.first { $0.name == "Content-Type" }?.value ?? ""
    if multipart {
        guard let range = type.range(of: "boundary=\"") else { fatalError("no boundary in \(type)") }
        let boundary = type[range.upperBound...].prefix { $0 != "\"" }
        let text = String(decoding: bytes, as: UTF8.self)
        require(text.contains("\r\n--\(boundary)--\r\n"), "no closing boundary")
    }
}

/// Unstructured header text (RFC 2047 §6.2): encoded words decoded, whitespace between two
/// adjacent encoded words dropped, everything else as is.
func decodeHeaderText(_ text: String) -> String {
    var out: [UInt8] = []
    var pendingSpace: [UInt8] = []
    var lastWasEncoded = false
    for token in splitKeepingWhitespace(text) {
        if token.allSatisfy({ $0 == " " || $0 == "\t" }) {
            pendingSpace += Array(token.utf8)
            continue
        }
        if let bytes = decodeEncodedWord(token) {
            if !lastWasEncoded { out += pendingSpace }
            out += bytes
            lastWasEncoded = true
        } else {
            out += pendingSpace + Array(token.utf8)
            lastWasEncoded = false
        }
        pendingSpace = []
    }
    out += pendingSpace
    return String(decoding: out, as: UTF8.self)
}

/// `text` as alternating runs of whitespace and non-whitespace.
func splitKeepingWhitespace(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = ""
    var inSpace: Bool?
    for character in text {
        let space = character == " " || character == "\t"
        if inSpace != nil, inSpace != space {
            tokens.append(current)
            current = ""
        }
        current.append(character)
        inSpace = space
    }
    if !current.isEmpty { tokens.append(current) }
    return tokens
}

/// The bytes one `=?UTF-8?B?…?=` or `=?UTF-8?Q?…?=` word stands for; nil for anything else.
func decodeEncodedWord(_ word: String) -> [UInt8]? {
    guard word.hasPrefix("=?"), word.hasSuffix("?="), word.count >= 8 else { return nil }
    let fields = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
    guard fields.count == 3, fields[0].uppercased() == "UTF-8" else { return nil }
    if fields[1].uppercased() == "B" {
        return Data(base64Encoded: String(fields[2])).map { [UInt8]($0) }
    }
    guard fields[1].uppercased() == "Q" else { return nil }
    var bytes: [UInt8] = []
    let text = Array(fields[2].utf8)
    var index = 0
    while index < text.count {
        switch text[index] {
        case UInt8(ascii: "_"): bytes.append(0x20)
        case UInt8(ascii: "="):
            guard index + 2 < text.count, let value = UInt8(String(decoding: text[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            index += 2
        default: bytes.append(text[index])
        }
        index += 1
    }
    return bytes
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
