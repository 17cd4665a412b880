import Foundation

/// Per-customer opt-out tokens that the server can make again for every message without
/// storing them: HMAC-SHA256 of the tenant and customer under a key of their own, base64url
/// (43 characters, the shape of every Billport token). At rest only their SHA-256 is kept, and
/// lookups go by it, like any link. They never expire, because an opt-out link must keep working
/// for months; replacing the key (`secrets/unsubscribe.key`) ends them all.
public struct UnsubscribeTokens: Sendable {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// The customer's token, the same every time.
    public func token(tenantID: Int64, customerID: Int64) -> String {
        Base64URL.encode(Digest.hmacSHA256(key: key, message: Array("billport-unsubscribe\u{0}\(tenantID)\u{0}\(customerID)".utf8)))
    }

    /// What the database keeps for `token`.
    public static func hash(_ token: String) -> [UInt8] { Digest.sha256(token) }
}
