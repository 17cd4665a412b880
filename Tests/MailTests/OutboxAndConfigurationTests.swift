import BillportCore
import Foundation
import Mail
import TestSupport
import Testing

/// The outbox folder transport and the configuration struct.
@Suite(.serialized) struct OutboxAndConfigurationTests {
    struct FixedClock: WallClock {
        let date: Date
        func now() -> Date { date }
    }

    @Test func outboxWritesParseableFilesAtomically() async throws {
        let directory = TemporaryDirectory()
        let outbox = OutboxTransport(directory: directory.file("outbox"))
        var receipts: [MailReceipt] = []
        var rendered: [RenderedMail] = []
        for index in 1...3 {
            let message = MailMessage(from: .init("billing@demo.example", name: "Demo"), to: [.init("zoe@example.com")],
                                      subject: "Invoice \(index) für Zoë", text: "Hallo \(index)", html: "<p>\(index)</p>",
                                      attachments: [MailAttachment(filename: "INV-\(index).pdf", contentType: "application/pdf", data: sampleBytes(2000))])
            let mail = try message.render()
            rendered.append(mail)
            receipts.append(try await offPool { try outbox.send(mail, envelope: MailEnvelope(for: mail)) })
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.file("outbox")).sorted()
        #expect(files.count == 3, "no temporary files left behind: \(files)")
        #expect(files.allSatisfy { $0.hasSuffix(".eml") && !$0.hasPrefix(".") })
        for (receipt, mail) in zip(receipts, rendered) {
            let path = try #require(receipt.path)
            #expect(receipt.messageID == mail.messageID)
            #expect(path.hasSuffix("@demo.example.eml"))
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == mail.bytes)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let parsed = try await ParsedMail.parse(file: path)
            #expect(parsed.defects == [])
            #expect(parsed.structure == "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)")
            #expect(parsed.header("Message-ID") == mail.messageID)
        }
    }

    @Test func outboxFileNamesSortByTimeAndAreSanitized() throws {
        let directory = TemporaryDirectory()
        let outbox = OutboxTransport(directory: directory.path, clock: FixedClock(date: Date(timeIntervalSince1970: 1_793_491_200.25)))
        let message = MailMessage(from: .init("a@demo.example"), to: [.init("b@example.com")], subject: "x",
                                  messageID: "<we/ird$id+1.x@demo.example>", text: "x")
        let receipt = try outbox.send(message)
        #expect(receipt.path == directory.path + "/20261101T000000.250Z-we_ird_id_1.x@demo.example.eml")
    }

    @Test func configurationDefaultsAndValidation() throws {
        let defaults = MailConfiguration()
        #expect(defaults.transport == .outbox)
        #expect(defaults.startTLS == .required)
        try defaults.validate()
        #expect(try defaults.makeTransport() is OutboxTransport)

        var smtp = MailConfiguration(transport: .smtp, url: "smtps://mail.example.com", username: "u", password: "p")
        try smtp.validate()
        #expect(try smtp.makeTransport() is SMTPTransport)

        for bad in ["http://mail.example.com", "smtp://", "smtp://user:secret@mail.example.com", "smtp://mail.example.com/path",
                    "smtp://mail.example.com:99999"] {
            smtp.url = bad
            #expect(throws: MailError.self, "\(bad)") { try smtp.validate() }
        }
        smtp.url = "smtp://mail.example.com:587"
        smtp.startTLS = .optional
        #expect(throws: MailError.self, "credentials must not go out in clear text") { try smtp.validate() }
        smtp.startTLS = .required
        try smtp.validate()
        smtp.password = nil
        #expect(throws: MailError.self) { try smtp.validate() }
        smtp.password = "p"
        smtp.heloName = "bad name"
        #expect(throws: MailError.self) { try smtp.validate() }
        smtp.heloName = "billport.example.com"
        try smtp.validate()
        smtp.fromAddress = "not an address"
        #expect(throws: MailError.self) { try smtp.validate() }
    }

    @Test func descriptionHidesThePassword() {
        let configuration = MailConfiguration(transport: .smtp, url: "smtps://mail.example.com", username: "billing",
                                              password: "correct horse battery staple")
        #expect(!configuration.description.contains("correct horse"))
        #expect(!"\(configuration)".contains("battery"))
        #expect(configuration.description.contains("username: billing"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("correct horse") && dumped.contains("<redacted>"))
    }
}
