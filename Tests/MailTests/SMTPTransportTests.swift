import Foundation
import Mail
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `SMTPTransport` against a real SMTP server process (aiosmtpd) on a loopback port.
@Suite(.serialized) struct SMTPTransportTests {
    static func invoice(to recipient: String = "zoe@example.com", attachment: [UInt8] = Array("%PDF-1.7\n".utf8) + sampleBytes(43_000)) -> MailMessage {
        MailMessage(from: MailAddress("billing@demo.example", name: "Demo Consulting GmbH"),
                    to: [MailAddress(recipient, name: "Zoë Müller-Łukasiewicz")],
                    subject: "Rechnung INV-2026-0042 — fällig am 01.12.2026",
                    text: "Hallo Zoë,\n\nanbei Ihre Rechnung.\n.\nEine Zeile mit Punkt.\n",
                    html: "<p>Hallo Zoë,</p><p>anbei Ihre Rechnung.</p>",
                    attachments: [MailAttachment(filename: "Rechnung INV-2026-0042.pdf", contentType: "application/pdf", data: attachment)],
                    listUnsubscribe: ListUnsubscribe(url: "https://billing.demo.example/unsubscribe/abc", mailto: "unsubscribe@demo.example"))
    }

    @Test func deliversAMessageThatArrivesIntact() async throws {
        let sink = try await SMTPSink()
        let sender = MailSender(transport: try SMTPTransport(configuration: sink.configuration { $0.heloName = "billport.test" }))
        let message = Self.invoice()
        let rendered = try message.render()
        var envelope = MailEnvelope(for: rendered)
        envelope.recipients.append("archive@demo.example")   // a Bcc: in the envelope only
        let receipt = try await sender.send(rendered, envelope: envelope)
        #expect(receipt.messageID == message.messageID)
        #expect(receipt.reply?.hasPrefix("250 2.0.0 Ok: queued as BP") == true, "\(receipt.reply ?? "nil")")

        let received = try #require(try await sink.waitForMessages(1).first)
        #expect(received.bytes == rendered.bytes, "the server got exactly the rendered bytes (dot-stuffing undone)")
        #expect(received.envelope.mail_from == "billing@demo.example")
        #expect(received.envelope.rcpt_tos == ["zoe@example.com", "archive@demo.example"])
        #expect(received.envelope.helo == "billport.test")
        let parsed = try await ParsedMail.parse(file: received.path)
        #expect(parsed.defects == [])
        #expect(parsed.structure == "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)")
        #expect(parsed.header("Subject") == message.subject)
        #expect(parsed.parts[0].text == message.text)
        #expect(parsed.parts[1].text == message.html)
        #expect(parsed.parts[2].filename == "Rechnung INV-2026-0042.pdf")
        #expect(parsed.parts[2].sha256 == (try await pythonSHA256(message.attachments[0].data)))
        #expect(!String(decoding: received.bytes, as: UTF8.self).contains("Bcc"))
    }

    @Test func reusesOneConnectionForManyMessages() async throws {
        let sink = try await SMTPSink()
        let transport = try SMTPTransport(configuration: sink.configuration())
        for index in 0..<5 {
            let receipt = try await offPool { try transport.send(Self.invoice(to: "r\(index)@example.com", attachment: sampleBytes(3000))) }
            #expect(receipt.reply?.contains("BP00000\(index + 1)") == true)
        }
        let received = try await sink.waitForMessages(5)
        #expect(received.map(\.envelope.session) == [1, 1, 1, 1, 1])
        #expect(sink.sessions == 1)
    }

    @Test func reconnectsWhenTheServerClosedAnIdleConnection() async throws {
        let sink = try await SMTPSink(["--idle-timeout", "0.3"])
        let transport = try SMTPTransport(configuration: sink.configuration())
        #expect(try await offPool { try transport.send(Self.invoice()) }.reply?.hasPrefix("250") == true)
        try await eventually("the sink to drop the idle connection") { sink.closedSessions == 1 }
        #expect(try await offPool { try transport.send(Self.invoice()) }.reply?.hasPrefix("250") == true)
        #expect(try await sink.waitForMessages(2).map(\.envelope.session) == [1, 2])
    }

    @Test func retriesOnceWhenAKeptConnectionIsClosedUnderIt() async throws {
        let sink = try await SMTPSink(["--close-reused"])
        let transport = try SMTPTransport(configuration: sink.configuration())
        for _ in 0..<3 {
            #expect(try await offPool { try transport.send(Self.invoice()) }.reply?.hasPrefix("250") == true)
        }
        #expect(try await sink.waitForMessages(3).map(\.envelope.session) == [1, 2, 3])
    }

    @Test func tempfailIsTransientThenSucceedsOnRetry() async throws {
        let sink = try await SMTPSink()
        let transport = try SMTPTransport(configuration: sink.configuration())
        let message = Self.invoice(to: "tempfail-1@example.com")
        let first = try await #require(throws: MailError.self) { try await offPool { try transport.send(message) } }
        guard case .transient(451, let reply) = first else {
            Issue.record("expected transient 451, got \(String(describing: first))")
            return
        }
        #expect(reply.contains("451 4.3.0"))
        #expect(first.isTransient)
        let receipt = try await offPool { try transport.send(message) }
        #expect(receipt.reply?.hasPrefix("250") == true)
        #expect(try await sink.waitForMessages(1).count == 1)
    }

    @Test(arguments: ["reject@example.com", "reject-data@example.com"])
    func refusalsArePermanent(recipient: String) async throws {
        let sink = try await SMTPSink()
        let transport = try SMTPTransport(configuration: sink.configuration())
        let error = try await #require(throws: MailError.self) { try await offPool { try transport.send(Self.invoice(to: recipient)) } }
        guard case .permanent(let code?, let reply) = error else {
            Issue.record("expected permanent, got \(String(describing: error))")
            return
        }
        #expect(code == (recipient.hasPrefix("reject-data") ? 554 : 550))
        #expect(reply.hasPrefix("\(code) 5."))
        // The transport stays usable after a refusal.
        #expect(try await offPool { try transport.send(Self.invoice()) }.reply?.hasPrefix("250") == true)
    }

    @Test func unreachablePortFailsTransientlyAndQuickly() async throws {
        let port = try Self.closedPort()
        let transport = try SMTPTransport(configuration: MailConfiguration(
            transport: .smtp, url: "smtp://127.0.0.1:\(port)", username: "billing", password: "s3cret-Pa55word!",
            startTLS: .off, connectTimeout: .seconds(2), timeout: .seconds(5)))
        let (failure, elapsed) = try await timedSend(transport, Self.invoice())
        let error = try #require(failure)
        #expect(elapsed < .seconds(1), "refused at once, not after the 2 s connect timeout")
        guard case .transient(nil, let reply) = error else {
            Issue.record("expected transient without a code, got \(String(describing: error))")
            return
        }
        #expect(reply.contains("cannot connect to smtp://127.0.0.1:\(port)"))
        #expect(reply.contains("curl error 7"))
        #expect(!"\(error)".contains("s3cret"))
    }

    @Test func slowServerHitsTheTimeout() async throws {
        let sink = try await SMTPSink()
        let transport = try SMTPTransport(configuration: sink.configuration { $0.timeout = .milliseconds(700) })
        let (failure, elapsed) = try await timedSend(transport, Self.invoice(to: "slow@example.com"))
        let error = try #require(failure)
        #expect(elapsed < .seconds(3), "the 0.7 s timeout ended it, not the sink's 5 s delay")
        guard case .transient(nil, let reply) = error else {
            Issue.record("expected a transient timeout, got \(String(describing: error))")
            return
        }
        #expect(reply.contains("timed out"))
    }

    @Test func authenticatesAndNeverShowsThePassword() async throws {
        let password = "Tr0ub4dor&3-never-log-me"
        let sink = try await SMTPSink(["--auth", "billing:\(password)"])
        let good = try SMTPTransport(configuration: sink.configuration { $0.username = "billing"; $0.password = password })
        #expect(try await offPool { try good.send(Self.invoice()) }.reply?.hasPrefix("250") == true)
        #expect(try await sink.waitForMessages(1).first?.envelope.login == "billing")

        let wrong = "wrong-\(password)"
        let bad = try SMTPTransport(configuration: sink.configuration { $0.username = "billing"; $0.password = wrong })
        let error = try await #require(throws: MailError.self) { try await offPool { try bad.send(Self.invoice()) } }
        guard case .permanent(535, _) = error else {
            Issue.record("expected permanent 535, got \(String(describing: error))")
            return
        }
        for text in ["\(error)", String(describing: error), String(reflecting: error)] {
            #expect(!text.contains(password) && !text.contains("never-log-me"), "\(text)")
        }

        let anonymous = try SMTPTransport(configuration: sink.configuration())
        let refused = try await #require(throws: MailError.self) { try await offPool { try anonymous.send(Self.invoice()) } }
        #expect(refused.isTransient == false, "AUTH required (530) is permanent: \(String(describing: refused))")
    }

    /// A port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
