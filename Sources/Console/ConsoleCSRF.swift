import BillportCore
import Foundation
import HTTPServer
import Tokens

/// The console's defence against cross-site requests: a signed double-submit token.
///
/// A token is `<issued unix seconds>.<random nonce>.<HMAC-SHA-256(process secret, issued, nonce)>`.
/// A page embeds it in every form as the hidden field `csrf` and sets it as a `SameSite=Strict`,
/// `HttpOnly` cookie; a change is accepted only when the field and the cookie are the same token,
/// its HMAC verifies under this process's secret and it is younger than `lifetime`. Another
/// site can neither read the token nor make the browser send the cookie, and a token it forged
/// or planted fails the HMAC. The secret is random per process, so a restart voids every token:
/// reloading the page issues a new one.
public struct ConsoleCSRF: Sendable {
    /// The cookie holding the token.
    public static let cookieName = "billport_console_csrf"
    /// The form field holding the token.
    public static let fieldName = "csrf"
    /// How long a token is accepted after it was issued.
    public static let lifetime: Int64 = 12 * 3600
    private let secret: [UInt8]

    /// A guard with its own secret; tests pass one to forge tokens the server must refuse.
    public init(secret: [UInt8] = SecureRandom.bytes(32)) {
        self.secret = secret
    }

    /// The token a page embeds: the request's own cookie while it is valid for at least half its
    /// lifetime (so that several open tabs keep working), otherwise a new one to set.
    func token(for request: HTTPRequest, now: Date) -> (token: String, isNew: Bool) {
        if let current = Self.cookie(in: request.headers), let issued = verifiedIssue(of: current, now: now),
           now.unixMilliseconds / 1000 - issued < Self.lifetime / 2 {
            return (current, false)
        }
        return (issue(now: now), true)
    }

    /// Whether `request` carries the same valid token in its form field and its cookie.
    func accepts(_ request: HTTPRequest, now: Date) -> Bool {
        guard let field = request.formValue(Self.fieldName), let cookie = Self.cookie(in: request.headers),
              Digest.constantTimeEqual(Array(field.utf8), Array(cookie.utf8)) else { return false }
        return verifiedIssue(of: field, now: now) != nil
    }

    /// The `Set-Cookie` value for `token`.
    static func setCookie(_ token: String) -> String {
        "\(cookieName)=\(token); Path=/; Max-Age=\(lifetime); HttpOnly; SameSite=Strict"
    }

    /// A new token issued at `now`.
    public func issue(now: Date) -> String {
        let issued = String(now.unixMilliseconds / 1000)
        let nonce = SecureRandom.base64URL(byteCount: 16)
        return "\(issued).\(nonce).\(Base64URL.encode(mac(issued: issued, nonce: nonce)))"
    }

    /// The issue time of `token` when its HMAC verifies and it is within its lifetime.
    private func verifiedIssue(of token: String, now: Date) -> Int64? {
        guard token.utf8.count <= 128 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count <= 12, let issued = Int64(parts[0]),
              let signature = Base64URL.decode(String(parts[2])) else { return nil }
        let age = now.unixMilliseconds / 1000 - issued
        guard age >= -60, age < Self.lifetime,
              Digest.constantTimeEqual(signature, mac(issued: String(parts[0]), nonce: String(parts[1]))) else { return nil }
        return issued
    }

    private func mac(issued: String, nonce: String) -> [UInt8] {
        Digest.hmacSHA256(key: secret, message: Array("billport-console-csrf\n\(issued)\n\(nonce)".utf8))
    }

    /// The token cookie among the request's `Cookie` fields.
    static func cookie(in headers: HTTPHeaders) -> String? {
        for field in headers.values(for: "Cookie") {
            for pair in field.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                if trimmed.hasPrefix(cookieName + "=") { return String(trimmed.dropFirst(cookieName.count + 1)) }
            }
        }
        return nil
    }
}
