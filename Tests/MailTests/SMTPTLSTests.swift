import Foundation
import Mail
import TestSupport
import Testing

/// STARTTLS and implicit TLS against the sink with a certificate made for the test.
@Suite(.serialized) struct SMTPTLSTests {
    /// A self-signed certificate for localhost and 127.0.0.1 (`openssl req`), in a temporary directory.
    struct Certificate {
        let directory = TemporaryDirectory()
        var cert: String { directory.file("cert.pem") }
        var key: String { directory.file("key.pem") }

        init() async throws {
            let (cert, key) = (directory.file("cert.pem"), directory.file("key.pem"))
            let status = try await offPool { () throws -> Int32 in
                try Spawn.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                   "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                                                   "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]).status
            }
            try #require(status == 0, "openssl req failed")
        }

        var sinkArguments: [String] { ["--tls-cert", cert, "--tls-key", key] }
    }

    static func message() -> MailMessage {
        MailMessage(from: .init("billing@demo.example"), to: [.init("zoe@example.com")], subject: "TLS", text: "over TLS")
    }

    @Test func startTLSRequiredWithATrustedCA() async throws {
        let certificate = try await Certificate()
        let sink = try await SMTPSink(certificate.sinkArguments)
        let transport = try SMTPTransport(configuration: sink.configuration { $0.startTLS = .required; $0.caFile = certificate.cert })
        let receipt = try await offPool { try transport.send(Self.message()) }
        #expect(receipt.reply?.hasPrefix("250") == true)
        #expect(try await sink.waitForMessages(1).first?.envelope.tls == true)
    }

    @Test func untrustedCertificateIsATransientTLSFailure() async throws {
        let certificate = try await Certificate()
        let sink = try await SMTPSink(certificate.sinkArguments)
        let transport = try SMTPTransport(configuration: sink.configuration { $0.startTLS = .required })
        let error = try await #require(throws: MailError.self) { try await offPool { try transport.send(Self.message()) } }
        guard case .transient(nil, let reply) = error else {
            Issue.record("expected a transient TLS failure, got \(error)")
            return
        }
        #expect(reply.contains("TLS failed"), "\(reply)")

        let skipping = try SMTPTransport(configuration: sink.configuration { $0.startTLS = .required; $0.insecureSkipVerify = true })
        #expect(try await offPool { try skipping.send(Self.message()) }.reply?.hasPrefix("250") == true)
    }

    @Test func requiredFailsWhereNoSTARTTLSIsOfferedAndOptionalGoesOn() async throws {
        let sink = try await SMTPSink()
        let required = try SMTPTransport(configuration: sink.configuration { $0.startTLS = .required })
        let error = try await #require(throws: MailError.self) { try await offPool { try required.send(Self.message()) } }
        #expect(error.isTransient)
        #expect("\(error)".contains("TLS failed"), "\(error)")
        #expect(try sink.received().isEmpty)

        let optional = try SMTPTransport(configuration: sink.configuration { $0.startTLS = .optional })
        #expect(try await offPool { try optional.send(Self.message()) }.reply?.hasPrefix("250") == true)
        #expect(try await sink.waitForMessages(1).first?.envelope.tls == false)
    }

    @Test func implicitTLS() async throws {
        let certificate = try await Certificate()
        let sink = try await SMTPSink(certificate.sinkArguments + ["--implicit-tls"])
        let transport = try SMTPTransport(configuration: sink.configuration {
            $0.url = "smtps://localhost:\(sink.port)"
            $0.caFile = certificate.cert
        })
        for _ in 0..<2 { #expect(try await offPool { try transport.send(Self.message()) }.reply?.hasPrefix("250") == true) }
        let received = try await sink.waitForMessages(2)
        #expect(received.allSatisfy { $0.envelope.tls })
        #expect(sink.sessions == 1, "the TLS connection is kept too")
    }
}
