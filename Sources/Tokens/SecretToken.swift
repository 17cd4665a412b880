import Foundation

/// A bearer token for a public link: 32 random bytes, base64url (43 characters). The raw value
/// is shown once; only its SHA-256 is stored, and lookups go by that hash.
public struct SecretToken: Sendable, Hashable {
    /// The raw token, for the URL. Never logged, never stored.
    public let raw: String

    /// A fresh token from the OS CSPRNG.
    public static func generate() -> SecretToken {
        SecretToken(raw: SecureRandom.base64URL(byteCount: 32))
    }

    private init(raw: String) { self.raw = raw }

    /// The stored form.
    public var hash: [UInt8] { Digest.sha256(raw) }

    /// The hash of a token presented in a URL, or nil when it cannot be one of ours (wrong
    /// length or alphabet), so malformed tokens are refused without touching the database.
    public static func hash(ofPresented text: some StringProtocol) -> [UInt8]? {
        guard text.utf8.count == 43, text.utf8.allSatisfy({ byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }) else { return nil }
        return Digest.sha256(String(text))
    }
}
