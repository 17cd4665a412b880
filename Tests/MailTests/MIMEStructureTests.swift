import Foundation
import TestSupport
import Mail
import Testing

/// The MIME tree, parts and top-level headers, checked with Python's `email` parser.
@Suite(.serialized) struct MIMEStructureTests {
    static let november = Date(timeIntervalSince1970: 1_793_491_200)   // Sun 2026-11-01 00:00 UTC

    static func message(html: String? = nil, attachments: [MailAttachment] = []) -> MailMessage {
        MailMessage(from: MailAddress("billing@demo.example", name: "Demo Consulting GmbH"),
                    to: [MailAddress("zoe@example.com", name: "Zoë Müller-Łukasiewicz")],
                    subject: "Invoice INV-2026-0042", date: november,
                    text: "Hello Zoë,\n\nyour invoice is attached.\n", html: html, attachments: attachments)
    }

    @Test func singleTextPart() async throws {
        let rendered = try Self.message().render()
        let headers = checkWireForm(rendered.bytes)
        #expect(headers.contains("Date: Sun, 01 Nov 2026 00:00:00 +0000"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(headers.contains("Content-Transfer-Encoding: quoted-printable"))
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.structure == "text/plain")
        #expect(parsed.parts.first?.text == "Hello Zoë,\n\nyour invoice is attached.\n")
        #expect(parsed.addresses["to"] == [.init(name: "Zoë Müller-Łukasiewicz", address: "zoe@example.com")])
        #expect(parsed.addresses["from"] == [.init(name: "Demo Consulting GmbH", address: "billing@demo.example")])
    }

    @Test func alternativeOnlyWhenThereIsHTML() async throws {
        let rendered = try Self.message(html: "<p>Hello Zoë</p>").render()
        checkWireForm(rendered.bytes)
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.structure == "multipart/alternative(text/plain,text/html)")
        #expect(parsed.parts.map(\.text) == ["Hello Zoë,\n\nyour invoice is attached.\n", "<p>Hello Zoë</p>"])
        #expect(parsed.parts.allSatisfy { $0.charset == "utf-8" && $0.encoding == "quoted-printable" })
    }

    @Test func mixedHoldsAlternativesThenAttachments() async throws {
        let pdf = Array("%PDF-1.7\n".utf8) + sampleBytes(43_000)
        let csv = Array("number;total\nINV-2026-0042;1130.50\n".utf8)
        let rendered = try Self.message(html: "<p>Hi</p>", attachments: [
            MailAttachment(filename: "INV-2026-0042.pdf", contentType: "application/pdf", data: pdf),
            MailAttachment(filename: "lines.csv", contentType: "text/csv", data: csv),
        ]).render()
        checkWireForm(rendered.bytes)
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.structure == "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf,text/csv)")
        let attachment = try #require(parsed.parts.first { $0.content_type == "application/pdf" })
        #expect(attachment.filename == "INV-2026-0042.pdf")
        #expect(attachment.disposition == "attachment")
        #expect(attachment.encoding == "base64")
        #expect(attachment.size == pdf.count)
        #expect(attachment.sha256 == (try await pythonSHA256(pdf)))
        #expect(parsed.parts.first { $0.content_type == "text/csv" }?.text == String(decoding: csv, as: UTF8.self))
    }

    @Test func messageIDIsGeneratedOnceFromTheSenderDomain() throws {
        let message = Self.message()
        #expect(message.messageID.hasPrefix("<"))
        #expect(message.messageID.hasSuffix("@demo.example>"))
        #expect(message.messageID.count == 1 + 26 + "@demo.example>".count)
        let first = try message.render(), second = try message.render()
        #expect(first.messageID == message.messageID && second.messageID == message.messageID)
        #expect(unfoldedHeaders(first.bytes).contains { $0.name == "Message-ID" && $0.value == message.messageID })
        #expect(Self.message().messageID != message.messageID)
        var given = Self.message()
        given.messageID = "<fixed.1@demo.example>"
        #expect(try given.render().messageID == "<fixed.1@demo.example>")
        #expect(MailMessage(from: .init("a@b.example"), to: [.init("c@d.example")], subject: "", messageID: "x@y", text: "").messageID == "<x@y>")
    }

    @Test func boundariesDifferAndOccurOnlyAsDelimiters() throws {
        let message = Self.message(html: "<p>--=_bp_ looks like a boundary prefix</p>", attachments: [
            MailAttachment(filename: "a.bin", contentType: "application/octet-stream", data: sampleBytes(5000)),
        ])
        let first = String(decoding: try message.render().bytes, as: UTF8.self)
        let second = String(decoding: try message.render().bytes, as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: #"boundary="([^"]+)""#)
        func boundaries(_ text: String) -> [String] {
            pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
        }
        let ours = boundaries(first)
        #expect(ours.count == 2 && Set(ours).count == 2)
        #expect(Set(ours).isDisjoint(with: boundaries(second)))
        for boundary in ours {
            #expect(boundary.count >= 30)
            let lines = first.components(separatedBy: "\r\n")
            let uses = lines.filter { $0.contains(boundary) }
            #expect(uses.allSatisfy { $0 == "--\(boundary)" || $0 == "--\(boundary)--" || $0.contains("boundary=\"\(boundary)\"") })
            #expect(uses.filter { $0 == "--\(boundary)--" }.count == 1)
        }
    }

    @Test func listUnsubscribeHeaders() async throws {
        var message = Self.message()
        message.listUnsubscribe = ListUnsubscribe(url: "https://billing.demo.example/unsubscribe/3q2-abc_DEF", mailto: "unsubscribe@demo.example")
        let rendered = try message.render()
        checkWireForm(rendered.bytes)
        let headers = unfoldedHeaders(rendered.bytes)
        #expect(headers.contains { $0.name == "List-Unsubscribe"
            && $0.value == "<https://billing.demo.example/unsubscribe/3q2-abc_DEF>, <mailto:unsubscribe@demo.example>" })
        #expect(headers.contains { $0.name == "List-Unsubscribe-Post" && $0.value == "List-Unsubscribe=One-Click" })
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")

        message.listUnsubscribe = ListUnsubscribe(url: "https://billing.demo.example/u/1")
        #expect(unfoldedHeaders(try message.render().bytes).contains { $0.name == "List-Unsubscribe" && $0.value == "<https://billing.demo.example/u/1>" })
        message.listUnsubscribe = ListUnsubscribe(url: "http://billing.demo.example/u/1")
        #expect(throws: MailError.self) { try message.render() }
        #expect(!unfoldedHeaders(try Self.message().render().bytes).contains { $0.name.hasPrefix("List-") })
    }

    @Test func extraHeadersAreWrittenAndChecked() async throws {
        var message = Self.message()
        message.extraHeaders = [("X-Billport-Invoice", "inv_sample"), ("X-Note", "Grüße aus München")]
        let parsed = try await ParsedMail.parse(try message.render().bytes)
        #expect(parsed.header("X-Billport-Invoice") == "inv_sample")
        #expect(parsed.header("X-Note") == "Grüße aus München")
        message.extraHeaders = [("Content-Type", "text/html")]
        #expect(throws: MailError.self) { try message.render() }
        message.extraHeaders = [("Bad Name", "x")]
        #expect(throws: MailError.self) { try message.render() }
    }

    @Test func replyToAndCc() async throws {
        var message = Self.message()
        message.cc = [MailAddress("accounts@example.com"), MailAddress("ap@example.com", name: "Accounts Payable")]
        message.replyTo = MailAddress("support@demo.example", name: "Demo Support")
        let rendered = try message.render()
        #expect(rendered.headerRecipients == ["zoe@example.com", "accounts@example.com", "ap@example.com"])
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.addresses["cc"]?.map(\.address) == ["accounts@example.com", "ap@example.com"])
        #expect(parsed.addresses["reply-to"] == [.init(name: "Demo Support", address: "support@demo.example")])
    }
}
