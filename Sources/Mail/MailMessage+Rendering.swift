/// Rendering a message to RFC 5322 / MIME (RFC 2045–2049) bytes.
extension MailMessage {
    /// Headers the renderer writes itself; `extraHeaders` may not repeat them.
    static let reservedHeaders: Set<String> = [
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-disposition", "list-unsubscribe", "list-unsubscribe-post",
    ]

    /// The message as wire bytes: CRLF line ends, headers folded at 78 characters, text parts
    /// quoted-printable, attachments base64, every line under 998 octets. The body is
    /// `multipart/mixed` (the alternatives, then the attachments) when there are attachments,
    /// else `multipart/alternative` (text, then HTML) when there is HTML, else one text part.
    /// Throws `headerInjection` naming the field for CR or LF in any header value or address.
    public func render() throws(MailError) -> RenderedMail {
        try validate()
        var out: [UInt8] = []
        out.reserveCapacity(4096 + text.utf8.count * 5 / 4 + (html?.utf8.count ?? 0) * 5 / 4
                            + attachments.reduce(0) { $0 + $1.data.count * 137 / 100 + 512 })
        try writeHeaders(into: &out)
        out.append(contentsOf: "MIME-Version: 1.0\r\n".utf8)
        var body = MIMEPart.text(subtype: "plain", text)
        if let html { body = .multipart(subtype: "alternative", [body, .text(subtype: "html", html)]) }
        if !attachments.isEmpty { body = .multipart(subtype: "mixed", [body] + attachments.map(MIMEPart.attachment)) }
        try body.write(into: &out)
        // SMTP needs the last line ended; a single text part that already ends one keeps its text.
        if out.suffix(2) != [0x0D, 0x0A] { out.append(contentsOf: [0x0D, 0x0A]) }
        var seen = Set<String>()
        let recipients = (to + cc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
        return RenderedMail(messageID: messageID, bytes: out, headerRecipients: recipients, fromAddress: from.address)
    }

    /// Checks every field before any byte is written, so that errors name the field.
    func validate() throws(MailError) {
        try from.validate(field: "From")
        guard !to.isEmpty else { throw .invalidField(field: "To", reason: "needs at least one recipient") }
        for address in to { try address.validate(field: "To") }
        for address in cc { try address.validate(field: "Cc") }
        try replyTo?.validate(field: "Reply-To")
        try Self.checkLine(subject, field: "Subject")
        try Self.checkLine(messageID, field: "Message-ID")
        let id = messageID.dropFirst().dropLast()
        guard id.contains("@"), !id.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || !$0.isASCII }) else {
            throw .invalidField(field: "Message-ID", reason: "must be <left@right> in ASCII without spaces")
        }
        for (name, value) in extraHeaders {
            try Self.checkLine(name, field: "header name")
            try Self.checkLine(value, field: name)
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                throw .invalidField(field: name, reason: "a header name is printable ASCII without ':' or spaces")
            }
            guard !Self.reservedHeaders.contains(name.lowercased()) else {
                throw .invalidField(field: name, reason: "is written by the renderer; set the message's property instead")
            }
        }
        for attachment in attachments {
            try Self.checkLine(attachment.filename, field: "attachment filename")
            try Self.checkLine(attachment.contentType, field: "attachment content type")
            let parts = attachment.contentType.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isTokenChar) }) else {
                throw .invalidField(field: "attachment content type", reason: "'\(attachment.contentType)' is not type/subtype")
            }
            guard !attachment.filename.isEmpty else { throw .invalidField(field: "attachment filename", reason: "is empty") }
        }
        if let listUnsubscribe { try listUnsubscribe.validate() }
    }

    private func writeHeaders(into out: inout [UInt8]) throws(MailError) {
        var headers = ""
        var date = HeaderWriter("Date")
        date.add(RFC5322Date.format(self.date))
        headers += try date.finish()
        headers += try Self.addressHeader("From", [from])
        if let replyTo { headers += try Self.addressHeader("Reply-To", [replyTo]) }
        headers += try Self.addressHeader("To", to)
        if !cc.isEmpty { headers += try Self.addressHeader("Cc", cc) }
        var subjectHeader = HeaderWriter("Subject")
        subjectHeader.addText(subject)
        headers += try subjectHeader.finish()
        var id = HeaderWriter("Message-ID")
        id.add(messageID)
        headers += try id.finish()
        if let listUnsubscribe {
            var list = HeaderWriter("List-Unsubscribe")
            let targets = ["<\(listUnsubscribe.url)>"] + (listUnsubscribe.mailtoURL.map { ["<\($0)>"] } ?? [])
            for (index, target) in targets.enumerated() { list.add(target + (index < targets.count - 1 ? "," : "")) }
            headers += try list.finish()
            headers += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
        }
        for (name, value) in extraHeaders {
            var header = HeaderWriter(name)
            header.addText(value)
            headers += try header.finish()
        }
        out.append(contentsOf: headers.utf8)
    }

    /// `Field: Name <a@b>, "Doe, J." <c@d>` folded between and inside mailboxes.
    static func addressHeader(_ field: String, _ addresses: [MailAddress]) throws(MailError) -> String {
        var header = HeaderWriter(field)
        for (index, mailbox) in addresses.enumerated() {
            let comma = index < addresses.count - 1 ? "," : ""
            if let name = mailbox.name, !name.isEmpty {
                header.addPhrase(name)
                header.add("<\(mailbox.address)>" + comma)
            } else {
                header.add(mailbox.address + comma)
            }
        }
        return try header.finish()
    }

    /// Throws `headerInjection(field)` when `value` holds CR or LF.
    static func checkLine(_ value: String, field: String) throws(MailError) {
        if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) { throw .headerInjection(field: field) }
    }

    /// RFC 2045 `token` characters (for a media type's parts).
    static func isTokenChar(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
    }
}

extension ListUnsubscribe {
    /// The mailto target with its scheme.
    var mailtoURL: String? { mailto.map { $0.lowercased().hasPrefix("mailto:") ? $0 : "mailto:" + $0 } }

    /// HTTPS only (RFC 8058 §3.1), and nothing that could end the `<…>` or the header.
    func validate() throws(MailError) {
        try MailMessage.checkLine(url, field: "List-Unsubscribe")
        try mailto.map { value throws(MailError) in try MailMessage.checkLine(value, field: "List-Unsubscribe") }
        for target in [url] + (mailtoURL.map { [$0] } ?? []) {
            guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }) else {
                throw .invalidField(field: "List-Unsubscribe", reason: "'\(target)' must be ASCII without spaces or angle brackets")
            }
        }
        guard url.lowercased().hasPrefix("https://"), url.utf8.count > 8 else {
            throw .invalidField(field: "List-Unsubscribe", reason: "the one-click URL must be https")
        }
    }
}
