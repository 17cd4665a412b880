import Foundation

/// One email as Billport composes it: addresses, subject, a text body with an optional HTML
/// alternative, attachments. A plain value; `render()` turns it into RFC 5322 bytes.
public struct MailMessage: Sendable {
    /// The author (`From`); its domain names generated Message-IDs.
    public var from: MailAddress
    /// Primary recipients (`To`).
    public var to: [MailAddress]
    /// Copy recipients (`Cc`).
    public var cc: [MailAddress]
    /// Where replies go when not to `from` (`Reply-To`).
    public var replyTo: MailAddress?
    /// The subject, any Unicode text without CR or LF.
    public var subject: String
    /// The origination date (`Date`).
    public var date: Date
    /// `<unique@domain>`; fixed when the value is made, so that every retry of one message
    /// carries the same id and receivers can drop duplicates.
    public var messageID: String
    /// Further headers, in order (`X-Billport-Invoice: …`). Names must not be ones the
    /// renderer writes itself.
    public var extraHeaders: [(name: String, value: String)]
    /// The plain-text body; always present, as every client can show it.
    public var text: String
    /// An HTML alternative to `text`.
    public var html: String?
    /// Files attached after the body.
    public var attachments: [MailAttachment]
    /// One-click unsubscribe (RFC 8058) for bulk and reminder mail.
    public var listUnsubscribe: ListUnsubscribe?

    /// A message; `messageID` nil generates `<random@domain-of-from>`.
    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], replyTo: MailAddress? = nil,
                subject: String, date: Date = Date(), messageID: String? = nil,
                extraHeaders: [(name: String, value: String)] = [], text: String, html: String? = nil,
                attachments: [MailAttachment] = [], listUnsubscribe: ListUnsubscribe? = nil) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.messageID = messageID.map(Self.bracketed) ?? Self.generateMessageID(domain: from.domain)
        self.extraHeaders = extraHeaders
        self.text = text
        self.html = html
        self.attachments = attachments
        self.listUnsubscribe = listUnsubscribe
    }

    /// `<128 random bits in base 36@domain>` (RFC 5322 §3.6.4); `localhost` when `from` has no domain.
    public static func generateMessageID(domain: Substring) -> String {
        "<\(RandomToken.make(length: 26))@\(domain.isEmpty ? "localhost" : domain)>"
    }

    private static func bracketed(_ id: String) -> String {
        id.hasPrefix("<") && id.hasSuffix(">") ? id : "<\(id)>"
    }
}

/// A file attached to a message.
public struct MailAttachment: Sendable, Hashable {
    /// The name mail clients show and save as; any Unicode text without CR or LF.
    public var filename: String
    /// `type/subtype`, e.g. `application/pdf`.
    public var contentType: String
    /// The file's bytes (sent base64-encoded).
    public var data: [UInt8]

    /// An attachment.
    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// The `List-Unsubscribe` targets of a message (RFC 2369, one-click per RFC 8058).
public struct ListUnsubscribe: Sendable, Hashable {
    /// An HTTPS URL that unsubscribes on a POST without further interaction.
    public var url: String
    /// An optional `mailto:` alternative (with or without the scheme).
    public var mailto: String?

    /// The targets; validated when the message is rendered.
    public init(url: String, mailto: String? = nil) {
        self.url = url
        self.mailto = mailto
    }
}

/// The message as it goes on the wire, with the id it was rendered with.
public struct RenderedMail: Sendable {
    /// The `Message-ID` header's value.
    public let messageID: String
    /// The message in RFC 5322 form, CRLF line ends, every line under 998 octets.
    public let bytes: [UInt8]
    /// Every envelope recipient the headers name: To then Cc, without duplicates.
    public let headerRecipients: [String]
    /// The `From` address, the default envelope sender.
    public let fromAddress: String

    /// Wraps bytes rendered earlier (kept in an outbox or a job payload) to send them again.
    public init(messageID: String, bytes: [UInt8], headerRecipients: [String], fromAddress: String) {
        self.messageID = messageID
        self.bytes = bytes
        self.headerRecipients = headerRecipients
        self.fromAddress = fromAddress
    }
}
