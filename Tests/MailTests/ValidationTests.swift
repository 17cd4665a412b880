import Foundation
import TestSupport
import Mail
import Testing

/// Header injection and address checks: every field refuses CR/LF and names itself.
@Suite struct ValidationTests {
    static func base() -> MailMessage {
        MailMessage(from: MailAddress("billing@demo.example", name: "Demo"), to: [MailAddress("zoe@example.com")],
                    subject: "Invoice", text: "Hi")
    }

    /// Each case breaks one field of an otherwise valid message.
    static let injections: [(field: String, change: @Sendable (inout MailMessage) -> Void)] = [
        ("Subject", { $0.subject = "Invoice\r\nBcc: victim@example.com" }),
        ("Subject", { $0.subject = "Invoice\nX-Spam: yes" }),
        ("From", { $0.from.name = "Demo\r\nBcc: victim@example.com" }),
        ("From", { $0.from.address = "billing@demo.example\r\nBcc: victim@example.com" }),
        ("To", { $0.to = [MailAddress("zoe@example.com\n", name: nil)] }),
        ("To", { $0.to = [MailAddress("zoe@example.com", name: "Zoë\r")] }),
        ("Cc", { $0.cc = [MailAddress("a@example.com", name: "x\ny")] }),
        ("Reply-To", { $0.replyTo = MailAddress("r@example.com", name: "\r\n") }),
        ("Message-ID", { $0.messageID = "<a@b>\r\nBcc: c@d" }),
        ("X-Tag", { $0.extraHeaders = [("X-Tag", "a\r\nBcc: c@d")] }),
        ("header name", { $0.extraHeaders = [("X-Tag\r\nBcc", "a")] }),
        ("attachment filename", { $0.attachments = [MailAttachment(filename: "a.pdf\r\nX: y", contentType: "application/pdf", data: [])] }),
        ("attachment content type", { $0.attachments = [MailAttachment(filename: "a.pdf", contentType: "application/pdf\r\nX: y", data: [])] }),
        ("List-Unsubscribe", { $0.listUnsubscribe = ListUnsubscribe(url: "https://x.example/u\r\nBcc: c@d") }),
        ("List-Unsubscribe", { $0.listUnsubscribe = ListUnsubscribe(url: "https://x.example/u", mailto: "u@x.example\n") }),
    ]

    @Test(arguments: injections.indices)
    func headerInjectionIsRefusedNamingTheField(index: Int) throws {
        let (field, change) = Self.injections[index]
        var message = Self.base()
        change(&message)
        #expect(throws: MailError.headerInjection(field: field)) { try message.render() }
        let error = MailError.headerInjection(field: field)
        #expect(error.description.contains(field))
    }

    @Test func envelopeAddressesAreChecked() throws {
        let rendered = try Self.base().render()
        let outbox = OutboxTransport(directory: NSTemporaryDirectory() + "never-written-\(UUID().uuidString)")
        #expect(throws: MailError.headerInjection(field: "envelope recipient")) {
            try outbox.send(rendered, envelope: MailEnvelope(from: "a@b.example", recipients: ["c@d.example>\r\nRCPT TO:<x@y.example"]))
        }
        #expect(throws: MailError.headerInjection(field: "envelope sender")) {
            try outbox.send(rendered, envelope: MailEnvelope(from: "a@b.example\r\n", recipients: ["c@d.example"]))
        }
        #expect(throws: MailError.self) { try outbox.send(rendered, envelope: MailEnvelope(from: "a@b.example", recipients: [])) }
    }

    static let invalidAddresses = ["", "plain", "a@", "@b.example", "a@@b.example", "a@b@c.example", "a b@c.example",
                                   "a@b..example", "a@.b.example", "<a@b.example>", "a@b.example,c@d.example", "zoë@example.com",
                                   "a\t@b.example", String(repeating: "l", count: 65) + "@b.example"]

    @Test(arguments: invalidAddresses)
    func invalidAddressesAreRefused(address: String) {
        var message = Self.base()
        message.to = [MailAddress(address)]
        #expect {
            try message.render()
        } throws: { error in
            guard case MailError.invalidAddress(let field, let value, _) = error else { return false }
            return field == "To" && value == address
        }
    }

    @Test(arguments: ["zoe@example.com", "first.last+invoices@sub.example.co.uk", "o'brien@example.ie", "x@localhost",
                      "user_name-1@xn--mller-kva.example"])
    func pragmaticAddressesPass(address: String) throws {
        try MailAddress(address).validate(field: "To")
    }

    @Test func requiresARecipientAndSaneAttachments() {
        var message = Self.base()
        message.to = []
        #expect(throws: MailError.invalidField(field: "To", reason: "needs at least one recipient")) { try message.render() }
        message = Self.base()
        message.attachments = [MailAttachment(filename: "a.pdf", contentType: "pdf", data: [])]
        #expect(throws: MailError.self) { try message.render() }
        message.attachments = [MailAttachment(filename: "", contentType: "application/pdf", data: [])]
        #expect(throws: MailError.self) { try message.render() }
    }
}
