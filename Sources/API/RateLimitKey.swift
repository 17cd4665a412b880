import Foundation
import Tokens

/// What a rate-limit bucket is filed under: the first 16 bytes of a SHA-256, so every entry of
/// the limiter's table has the same small size whatever the client sent.
public struct RateLimitKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    /// The key of a 32-byte digest (its first 16 bytes).
    init(digest: [UInt8]) {
        var high: UInt64 = 0, low: UInt64 = 0
        for byte in digest.prefix(8) { high = high << 8 | UInt64(byte) }
        for byte in digest.dropFirst(8).prefix(8) { low = low << 8 | UInt64(byte) }
        self.high = high
        self.low = low
    }

    /// Any text (a client address, a test's name) hashed to a key.
    public init(_ text: String) {
        self.init(digest: Digest.sha256(text))
    }

    /// The key for a client address.
    static func address(_ address: String) -> RateLimitKey {
        RateLimitKey("ip:" + address)
    }

    /// The key for a token from a public URL — a link or portal token (base64url of 32 bytes) or
    /// an invoice's public id (`inv_` and 16 base64url characters) — or nil for anything else:
    /// text that cannot be one of ours gets no bucket (it gets the link 404 regardless).
    static func token(_ presented: String) -> RateLimitKey? {
        if let hash = SecretToken.hash(ofPresented: presented) { return RateLimitKey(digest: hash) }
        guard isPublicInvoiceID(presented) else { return nil }
        return RateLimitKey(digest: Digest.sha256("public-id:" + presented))
    }

    /// `inv_` and 16 base64url characters: what `createInvoice` hands out.
    static func isPublicInvoiceID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes.starts(with: Array("inv_".utf8)) else { return false }
        return bytes.dropFirst(4).allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
