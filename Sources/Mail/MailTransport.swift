/// Where a rendered message goes: an SMTP server, an outbox folder, a test double.
///
/// `send` is synchronous and may block for up to the transport's timeouts (network I/O,
/// fsync). Call it from a thread that may block, never from Swift's cooperative pool:
/// `MailSender` does that for async callers.
public protocol MailTransport: Sendable {
    /// Delivers `message` to the envelope's recipients; throws `MailError`.
    func send(_ message: RenderedMail, envelope: MailEnvelope) throws(MailError) -> MailReceipt
}

extension MailTransport {
    /// Renders `message` and sends it; `envelope` nil means from `From` to every To and Cc.
    public func send(_ message: MailMessage, envelope: MailEnvelope? = nil) throws(MailError) -> MailReceipt {
        let rendered = try message.render()
        return try send(rendered, envelope: envelope ?? MailEnvelope(for: rendered))
    }
}

/// The SMTP envelope (RFC 5321 §2.3.1): who bounces go to, and who actually receives the
/// message, which may differ from the headers (Bcc, a preview address).
public struct MailEnvelope: Sendable, Hashable {
    /// `MAIL FROM`: the return path for bounces.
    public var from: String
    /// `RCPT TO`, one per address.
    public var recipients: [String]

    /// An envelope.
    public init(from: String, recipients: [String]) {
        self.from = from
        self.recipients = recipients
    }

    /// From the message's `From` to every To and Cc address.
    public init(for message: RenderedMail) {
        self.init(from: message.fromAddress, recipients: message.headerRecipients)
    }

    /// Every address valid and at least one recipient; CR/LF would inject SMTP commands.
    public func validate() throws(MailError) {
        try MailAddress.validate(address: from, field: "envelope sender")
        guard !recipients.isEmpty else { throw .invalidField(field: "envelope recipients", reason: "none given") }
        for recipient in recipients { try MailAddress.validate(address: recipient, field: "envelope recipient") }
    }
}

/// What a transport reports after accepting a message.
public struct MailReceipt: Sendable, Hashable {
    /// The `Message-ID` that was sent.
    public var messageID: String
    /// The server's final reply (`250 2.0.0 Ok: queued as 4Xk…`), when there was a server.
    public var reply: String?
    /// The file the message was written to, for the outbox.
    public var path: String?

    /// A receipt.
    public init(messageID: String, reply: String? = nil, path: String? = nil) {
        self.messageID = messageID
        self.reply = reply
        self.path = path
    }
}
