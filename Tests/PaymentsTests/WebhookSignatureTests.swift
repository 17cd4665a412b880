import Foundation
import Payments
import Testing

@Suite struct WebhookSignatureTests {
    static let payload = Array("{\n  \"id\": \"evt_1NG8Du2eZvKYlo2CUI79vXWy\",\n  \"object\": \"event\"\n}".utf8)
    static let signedAt = Date(timeIntervalSince1970: 1_700_000_000)
    /// HMAC-SHA256 of "1700000000." + payload, computed independently with Python's hmac module.
    static let currentV1 = "4cbaa733cad0ce0373c6a3114069c04d56971881513ed3330b424eb9154eb3da"
    static let oldV1 = "fa67f087214bf58eb3d8454a95cf86d58f046fcad601b73f5fcda05536174242"
    static let current = "whsec_test_secret"
    static let old = "whsec_old_secret"

    func verify(_ header: String?, payload: [UInt8] = payload, secrets: [String] = [current],
                now: Date = signedAt.addingTimeInterval(10)) throws(WebhookSignatureError) -> Date {
        try WebhookSignature.verify(header: header, payload: payload, secrets: secrets, now: now)
    }

    @Test func signMatchesAnIndependentlyComputedVector() {
        #expect(WebhookSignature.sign(payload: Self.payload, secret: Self.current, timestamp: Self.signedAt)
            == "t=1700000000,v1=\(Self.currentV1)")
    }

    @Test func aValidSignatureVerifiesToItsTimestamp() throws {
        #expect(try verify("t=1700000000,v1=\(Self.currentV1)") == Self.signedAt)
        let now = Date()
        let header = WebhookSignature.sign(payload: [1, 2, 3], secret: "whsec_x", timestamp: now)
        let verified = try WebhookSignature.verify(header: header, payload: [1, 2, 3], secrets: ["whsec_x"], now: now)
        #expect(verified == Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
    }

    @Test func whileRotatingAnySecretMayMatchAnyV1() throws {
        // Signed with the old secret only; the endpoint knows both.
        #expect(try verify("t=1700000000,v1=\(Self.oldV1)", secrets: [Self.current, Self.old]) == Self.signedAt)
        // Signed with both (Stripe sends one v1 per active secret); the endpoint knows one.
        let both = "t=1700000000,v1=\(Self.currentV1),v1=\(Self.oldV1)"
        #expect(try verify(both, secrets: [Self.old]) == Self.signedAt)
        #expect(try verify(both, secrets: [Self.current]) == Self.signedAt)
        // A retired secret alone no longer verifies the new signature.
        #expect(throws: WebhookSignatureError.signatureMismatch) {
            try verify("t=1700000000,v1=\(Self.currentV1)", secrets: [Self.old])
        }
    }

    @Test func unknownSchemesAndWhitespaceAreIgnored() throws {
        let header = "t=1700000000, v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,"
            + " v1=0000, v1=\(Self.currentV1), x=anything"
        #expect(try verify(header) == Self.signedAt)
    }

    @Test func forgeriesAreRefused() {
        let tampered = Self.payload.map { $0 == UInt8(ascii: "N") ? UInt8(ascii: "M") : $0 }
        #expect(throws: WebhookSignatureError.signatureMismatch) { try verify("t=1700000000,v1=\(Self.currentV1)", payload: tampered) }
        #expect(throws: WebhookSignatureError.signatureMismatch) {
            try verify("t=1700000000,v1=\(Self.currentV1)", secrets: ["whsec_someone_else"])
        }
        // The same signature under another timestamp: t is signed too.
        #expect(throws: WebhookSignatureError.signatureMismatch) { try verify("t=1700000001,v1=\(Self.currentV1)") }
        let flipped = String(Self.currentV1.dropLast()) + "b"
        #expect(throws: WebhookSignatureError.signatureMismatch) { try verify("t=1700000000,v1=\(flipped)") }
        #expect(throws: WebhookSignatureError.signatureMismatch) { try verify("t=1700000000,v1=\(Self.currentV1.uppercased())") }
        #expect(throws: WebhookSignatureError.signatureMismatch) { try verify("t=1700000000,v1=") }
        // A forgery is a mismatch whatever its age: the signature is checked first.
        #expect(throws: WebhookSignatureError.signatureMismatch) {
            try verify("t=1700000000,v1=\(flipped)", now: Self.signedAt.addingTimeInterval(86_400))
        }
    }

    @Test func oldAndFutureTimestampsAreRefusedBeyondTheTolerance() throws {
        let header = "t=1700000000,v1=\(Self.currentV1)"
        #expect(try verify(header, now: Self.signedAt.addingTimeInterval(300)) == Self.signedAt)
        #expect(throws: WebhookSignatureError.timestampTooOld(seconds: 301)) {
            try verify(header, now: Self.signedAt.addingTimeInterval(301))
        }
        #expect(try verify(header, now: Self.signedAt.addingTimeInterval(-300)) == Self.signedAt)
        #expect(throws: WebhookSignatureError.timestampInFuture(seconds: 301)) {
            try verify(header, now: Self.signedAt.addingTimeInterval(-301))
        }
        // A custom tolerance.
        #expect(throws: WebhookSignatureError.timestampTooOld(seconds: 61)) {
            try WebhookSignature.verify(header: header, payload: Self.payload, secrets: [Self.current],
                                        now: Self.signedAt.addingTimeInterval(61), tolerance: .seconds(60))
        }
    }

    @Test func missingAndMalformedHeadersAreRefused() {
        #expect(throws: WebhookSignatureError.missingHeader) { try verify(nil) }
        #expect(throws: WebhookSignatureError.missingHeader) { try verify("") }
        #expect(throws: WebhookSignatureError.noV1Signature) { try verify("t=1700000000") }
        #expect(throws: WebhookSignatureError.noV1Signature) { try verify("t=1700000000,v0=abc") }
        for header in ["garbage", "v1=\(Self.currentV1)", "t=,v1=\(Self.currentV1)", "t=abc,v1=\(Self.currentV1)",
                       "t=-1700000000,v1=\(Self.currentV1)", "t=+1700000000,v1=\(Self.currentV1)",
                       "t=1700000000.5,v1=\(Self.currentV1)", "t=99999999999999999999,v1=\(Self.currentV1)",
                       "t=1700000000,t=1700000000,v1=\(Self.currentV1)", "t=1700000000,,v1=\(Self.currentV1)",
                       "=1,t=1700000000,v1=\(Self.currentV1)", "t=١٧٠٠٠٠٠٠٠٠,v1=\(Self.currentV1)",
                       String(repeating: "x=1,", count: 3000) + "t=1700000000,v1=\(Self.currentV1)"] {
            #expect(throws: WebhookSignatureError.self, "\(header.prefix(60))") { try verify(header) }
            #expect((try? verify(header)) == nil)
            do {
                _ = try verify(header)
            } catch {
                guard case .malformed = error else {
                    Issue.record("\(header.prefix(60)) → \(error), not malformed")
                    continue
                }
            }
        }
    }

    @Test func noSecretMeansNothingVerifies() {
        #expect(throws: WebhookSignatureError.noSecretConfigured) { try verify("t=1700000000,v1=\(Self.currentV1)", secrets: []) }
        #expect(throws: WebhookSignatureError.noSecretConfigured) { try verify("t=1700000000,v1=\(Self.currentV1)", secrets: [""]) }
    }
}
