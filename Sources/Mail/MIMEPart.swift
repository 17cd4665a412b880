/// A node of the MIME tree (RFC 2046) and how it is written.
indirect enum MIMEPart {
    /// `text/<subtype>; charset=utf-8`, quoted-printable.
    case text(subtype: String, String)
    /// A file, base64 in 76-character lines.
    case attachment(MailAttachment)
    /// `multipart/<subtype>` holding parts in order.
    case multipart(subtype: String, [MIMEPart])

    /// Appends the part's headers, a blank line and its body, without a final line end (the
    /// CRLF before a boundary delimiter belongs to the delimiter, RFC 2046 §5.1.1).
    func write(into out: inout [UInt8]) throws(MailError) {
        switch self {
        case .text(let subtype, let text):
            out.append(contentsOf: "Content-Type: text/\(subtype); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            QuotedPrintable.encode(text, into: &out)
        case .attachment(let attachment):
            var type = HeaderWriter("Content-Type")
            type.add(attachment.contentType)
            type.addLegacyNameParameter(attachment.filename)
            var disposition = HeaderWriter("Content-Disposition")
            disposition.add("attachment")
            disposition.addParameters([("filename", attachment.filename)])
            let headers = try type.finish() + "Content-Transfer-Encoding: base64\r\n" + disposition.finish() + "\r\n"
            out.append(contentsOf: headers.utf8)
            Base64Lines.encode(attachment.data, into: &out)
        case .multipart(let subtype, let parts):
            let boundary = Self.makeBoundary()
            var type = HeaderWriter("Content-Type")
            type.add("multipart/\(subtype)")
            type.addParameters([("boundary", boundary)])
            out.append(contentsOf: (try type.finish() + "\r\n").utf8)
            for part in parts {
                out.append(contentsOf: "--\(boundary)\r\n".utf8)
                try part.write(into: &out)
                out.append(contentsOf: "\r\n".utf8)
            }
            out.append(contentsOf: "--\(boundary)--".utf8)
        }
    }

    /// `=_bp_` and 30 random characters. Unguessable, and impossible in our content by
    /// construction: quoted-printable never writes a literal `=` except as a soft break at a
    /// line end, base64 has neither `=_` nor `_`, and every header line starts with a field
    /// name or a space, so no line of a part can begin with `--=_`.
    static func makeBoundary() -> String {
        "=_bp_" + RandomToken.make(length: 30)
    }
}
