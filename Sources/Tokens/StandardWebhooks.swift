import Foundation

/// An endpoint's signing secret in the Standard Webhooks form: `whsec_` + base64 of the key.
/// `description` never shows the key, so a secret interpolated into a log line stays secret.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    public static let prefix = "whsec_"
    /// The HMAC key: the base64-decoded part after `whsec_`.
    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// Parses `whsec_<base64>`; nil when the prefix or the base64 is wrong or the key is empty.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))), !data.isEmpty else {
            return nil
        }
        key = [UInt8](data)
    }

    /// A new secret of 32 random bytes.
    public static func generate() -> WebhookSecret { WebhookSecret(key: SecureRandom.bytes(32)) }

    /// The form shown to the tenant once and stored: `whsec_` + base64.
    public var text: String { Self.prefix + Data(key).base64EncodedString() }

    public var description: String { "whsec_…" }
}

/// Standard Webhooks signatures (standardwebhooks.com): HMAC-SHA256 over `id.timestamp.body`,
/// base64, prefixed `v1,`; one entry per valid secret, space-separated, so a receiver holding
/// either the old or the new secret verifies a delivery during a rotation.
public enum StandardWebhookSignature {
    /// The value of `webhook-signature` for one delivery, signed with every secret in order.
    public static func sign(id: String, timestamp: Int64, body: some Collection<UInt8>, secrets: [WebhookSecret]) -> String {
        let content = Array("\(id).\(timestamp).".utf8) + Array(body)
        return secrets.map { "v1," + Data(Digest.hmacSHA256(key: $0.key, message: content)).base64EncodedString() }
            .joined(separator: " ")
    }

    /// The three headers a delivery carries.
    public static func headers(id: String, timestamp: Int64, body: some Collection<UInt8>, secrets: [WebhookSecret]) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)),
         ("webhook-signature", sign(id: id, timestamp: timestamp, body: body, secrets: secrets))]
    }

    /// Whether one `v1` entry of `signatureHeader` is `secret`'s signature (constant time per entry).
    public static func verify(id: String, timestamp: Int64, body: some Collection<UInt8>, signatureHeader: String,
                              secret: WebhookSecret) -> Bool {
        let expected = Array(sign(id: id, timestamp: timestamp, body: body, secrets: [secret]).utf8)
        return signatureHeader.split(separator: " ").contains { Digest.constantTimeEqual(Array($0.utf8), expected) }
    }
}
