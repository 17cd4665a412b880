import Foundation
import TestSupport
import Mail
import Testing

/// RFC 2047 words, folding, display names and filenames, round-tripped through Python.
@Suite(.serialized) struct HeaderEncodingTests {
    static func message(subject: String, name: String? = "Zoë", filename: String? = nil) -> MailMessage {
        MailMessage(from: MailAddress("billing@demo.example", name: "Demo"), to: [MailAddress("zoe@example.com", name: name)],
                    subject: subject, text: "Hi",
                    attachments: filename.map { [MailAttachment(filename: $0, contentType: "application/pdf", data: [1, 2, 3])] } ?? [])
    }

    static let subjects = [
        "Rechnung INV-2026-0042 für Zoë Müller-Łukasiewicz — fällig am 01.12.2026",
        "Συμβουλευτικές υπηρεσίες — ανάλυση απαιτήσεων και τιμολόγιο Νοεμβρίου 2026, παρακαλώ πληρώστε",
        "Консультационные услуги: настройка отчётности — счёт № 42 от 1 ноября 2026 года",
        "請求書 INV-2026-0042 のお知らせ：お支払い期限は2026年12月1日です。ご確認ください。よろしくお願いいたします。",
        "Paid ✅ 🎉👨‍👩‍👧‍👦 🇩🇪🇫🇷 — thanks! " + String(repeating: "🧾", count: 30),
        "Invoice =?UTF-8?B?not-a-word?= literal",
        "Tabs\tand  double  spaces, plus trailing ",
        String(repeating: "x", count: 120),
    ]

    @Test(arguments: subjects)
    func subjectsRoundTripAndWordsStayWhole(subject: String) async throws {
        let rendered = try Self.message(subject: subject).render()
        let headers = checkWireForm(rendered.bytes)
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.header("Subject") == subject)
        let folded = headers.drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        for word in encodedWords(in: folded.joined(separator: "\n")) {
            #expect(word.count <= 75, "encoded word of \(word.count) characters: \(word)")
            let bytes = try #require(decodeEncodedWord(word))
            #expect(String(validating: bytes, as: UTF8.self) != nil, "a word ends inside a UTF-8 sequence: \(word)")
        }
    }

    @Test func longASCIISubjectFoldsAtSpaces() async throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let rendered = try Self.message(subject: subject).render()
        let headers = checkWireForm(rendered.bytes)
        let start = try #require(headers.firstIndex { $0.hasPrefix("Subject: ") })
        #expect(headers[start + 1].hasPrefix(" word"), "folded onto a continuation line")
        let folded = headers[start...].prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(folded.count >= 3)
        #expect(encodedWords(in: folded.joined()).isEmpty, "plain ASCII needs no encoded words")
        #expect(unfoldedHeaders(rendered.bytes).first { $0.name == "Subject" }?.value == subject)
        #expect(try await ParsedMail.parse(rendered.bytes).header("Subject") == subject)
    }

    static let names = [
        "Zoë Müller-Łukasiewicz", "Doe, John", "O'Brien \"The Accountant\" \\ Ltd.", "Acme (Billing)",
        "Ελληνική Εταιρεία Συμβούλων Α.Ε. — Τμήμα Λογιστηρίου και Πληρωμών", "=?UTF-8?Q?x?=",
        "A very long but plain ASCII display name that keeps going past one line of text",
    ]

    @Test(arguments: names)
    func displayNamesRoundTrip(name: String) async throws {
        var message = Self.message(subject: "Hi", name: name)
        message.cc = [MailAddress("second@example.com", name: name), MailAddress("third@example.com")]
        let rendered = try message.render()
        checkWireForm(rendered.bytes)
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.addresses["to"] == [.init(name: name, address: "zoe@example.com")])
        #expect(parsed.addresses["cc"] == [.init(name: name, address: "second@example.com"), .init(name: "", address: "third@example.com")])
    }

    @Test func specialsAreQuoted() throws {
        let rendered = try Self.message(subject: "Hi", name: "Doe, John").render()
        #expect(unfoldedHeaders(rendered.bytes).contains { $0.name == "To" && $0.value == "\"Doe, John\" <zoe@example.com>" })
    }

    static let filenames = [
        "INV-2026-0042.pdf", "Rechnung Müller – November.pdf", "請求書 2026年11月.pdf", "quote\"and\\slash.pdf",
        "Συμβουλευτικές υπηρεσίες — ανάλυση απαιτήσεων — τιμολόγιο Νοεμβρίου 2026 — αντίγραφο για το λογιστήριο.pdf",
        String(repeating: "long-ascii-name-", count: 8) + ".pdf",
    ]

    @Test(arguments: filenames)
    func filenamesRoundTrip(filename: String) async throws {
        let rendered = try Self.message(subject: "Hi", filename: filename).render()
        checkWireForm(rendered.bytes)
        let text = String(decoding: rendered.bytes, as: UTF8.self)
        for line in text.components(separatedBy: "\r\n") where line.hasPrefix("Content-") || line.hasPrefix(" ") {
            #expect(line.utf8.count <= 78, "part header line: \(line)")
        }
        let parsed = try await ParsedMail.parse(rendered.bytes)
        #expect(parsed.defects == [])
        let part = try #require(parsed.parts.first { $0.content_type == "application/pdf" })
        #expect(part.filename == filename, "Content-Disposition filename (RFC 2231)")
        #expect(part.name == filename, "Content-Type name (RFC 2047 inside quotes, for Outlook)")
    }

    @Test func nonASCIIFilenameUsesRFC2231() throws {
        let text = String(decoding: try Self.message(subject: "Hi", filename: "Rechnung Müller.pdf").render().bytes, as: UTF8.self)
        #expect(text.contains("filename*=utf-8''Rechnung%20M%C3%BCller.pdf"))
    }
}
