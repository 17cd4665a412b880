import Foundation
import Testing
import TestSupport
import Tokens

@Suite struct StandardWebhooksTests {
    /// The Standard Webhooks specification's published test vector.
    static let vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let vectorBody = Array(#"{"test": 2432232314}"#.utf8)

    @Test func signsLikeTheSpecificationsTestVector() throws {
        let secret = try #require(WebhookSecret(Self.vectorSecret))
        let signature = StandardWebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Self.vectorBody,
                                                      secrets: [secret])
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func twoValidSecretsGiveTwoSpaceSeparatedSignaturesEachVerifying() throws {
        let old = try #require(WebhookSecret(Self.vectorSecret))
        let new = WebhookSecret.generate()
        let header = StandardWebhookSignature.sign(id: "msg_1", timestamp: 1_700_000_000, body: Self.vectorBody, secrets: [new, old])
        let parts = header.split(separator: " ")
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { $0.hasPrefix("v1,") })
        #expect(StandardWebhookSignature.verify(id: "msg_1", timestamp: 1_700_000_000, body: Self.vectorBody, signatureHeader: header, secret: old))
        #expect(StandardWebhookSignature.verify(id: "msg_1", timestamp: 1_700_000_000, body: Self.vectorBody, signatureHeader: header, secret: new))
        #expect(!StandardWebhookSignature.verify(id: "msg_1", timestamp: 1_700_000_001, body: Self.vectorBody, signatureHeader: header, secret: new))
        #expect(!StandardWebhookSignature.verify(id: "msg_1", timestamp: 1_700_000_000, body: Self.vectorBody + [32], signatureHeader: header,
                                                 secret: new))
        let headers = StandardWebhookSignature.headers(id: "msg_1", timestamp: 1_700_000_000, body: Self.vectorBody, secrets: [new])
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
    }

    @Test func secretsAre32RandomBytesBehindWhsecAndNeverPrinted() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.text.hasPrefix("whsec_"))
        #expect(WebhookSecret(secret.text) == secret)
        #expect(secret.key.count == 32)
        #expect(WebhookSecret.generate() != secret)
        #expect("\(secret)" == "whsec_…")
        #expect(WebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == nil)
        #expect(WebhookSecret("whsec_not base64!") == nil)
        #expect(WebhookSecret("whsec_") == nil)
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/test-venv/bin/python").path
    static var pythonHasStandardWebhooks: Bool {
        FileManager.default.isExecutableFile(atPath: python) && (try? Spawn.run(python, ["-c", "import standardwebhooks"]).status) == 0
    }

    /// An independent check: the `standardwebhooks` library from PyPI verifies what Billport signs
    /// (with one secret and with two during a rotation) and refuses a tampered body.
    @Test(.enabled(if: Self.pythonHasStandardWebhooks,
                   "skipped: the standardwebhooks PyPI package could not be installed in .build/test-venv (`make test-venv`)"))
    func thePyPIStandardWebhooksLibraryVerifiesBillportsSignatures() throws {
        let script = Self.root.appendingPathComponent("Tests/Python/verify_standard_webhooks.py").path
        let python = Self.python
        let old = WebhookSecret.generate(), new = WebhookSecret.generate()
        let now = Int64(Date().timeIntervalSince1970)
        let body = #"{"type":"invoice.paid","timestamp":"2026-12-03T11:00:00Z","data":{"number":"INV-42","note":"Zoë ✓"}}"#
        func line(_ secret: WebhookSecret, signedWith: [WebhookSecret], body signed: String = body) throws -> String {
            let signature = StandardWebhookSignature.sign(id: "msg_\(now)", timestamp: now, body: Array(signed.utf8), secrets: signedWith)
            let object: [String: Any] = ["secret": secret.text, "id": "msg_\(now)", "timestamp": now, "body": body, "signature": signature]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let scratch = TemporaryDirectory()
        let good = scratch.file("good.jsonl"), tampered = scratch.file("tampered.jsonl")
        try [line(new, signedWith: [new]), line(old, signedWith: [new, old]), line(new, signedWith: [new, old])]
            .joined(separator: "\n").write(toFile: good, atomically: true, encoding: .utf8)
        try line(new, signedWith: [new], body: body + " ").write(toFile: tampered, atomically: true, encoding: .utf8)

        let verified = try Spawn.run(python, [script], stdin: good)
        #expect(verified.status == 0, "\(String(decoding: verified.stdout + verified.stderr, as: UTF8.self))")
        #expect(String(decoding: verified.stdout, as: UTF8.self) == "ok\nok\nok\n")
        let refused = try Spawn.run(python, [script], stdin: tampered)
        #expect(refused.status == 1)
        #expect(String(decoding: refused.stdout, as: UTF8.self).hasPrefix("refused"))
    }
}
