import BillportCore
import Foundation
import Billing
import Tokens

/// Media tokens: a portal token as Bearer buys a short JWT that opens that customer's PDFs
/// (`?t=`) and nothing else. The JWT names the portal token it came from and every use passes
/// `PortalGate` again, so revoking the portal token, its expiry or switching the portal off
/// stops it at once; its own expiry is checked with a leeway of a few seconds.
struct MediaTokens: Sendable {
    let signer: JWTSigner
    let gate: PortalGate
    let clock: any WallClock

    /// Seconds a media token lives.
    static let lifetime: Int64 = 60
    /// Clock difference tolerated on `exp` and `nbf`: a few seconds, not the API tokens' 30.
    static let leeway: Int64 = 5

    /// A media token for the portal the Bearer portal token opens; 401 for a bad or revoked one,
    /// the gate's 403 for a portal switched off or a token expired.
    func issue(authorization header: String?) async throws -> String {
        let unauthorized = APIError(status: 401, code: "unauthorized", message: "a valid portal token is required (Authorization: Bearer …)")
        guard let header, header.lowercased().hasPrefix("bearer ") else { throw unauthorized }
        let session = try await Self.refusingUnknown(unauthorized) {
            try await gate.open(header.dropFirst(7).trimmingCharacters(in: .whitespaces))
        }
        let now = Int64(clock.now().timeIntervalSince1970)
        return signer.sign(APIClaims(tenant: session.tenant.slug, perms: [], exp: now + Self.lifetime, nbf: now, iat: now, scope: "media",
                                     customer: session.customer.id, portalLink: session.linkID))
    }

    /// The portal a media token still opens; 401 for a missing, invalid or expired token or one
    /// whose portal token is gone, the gate's 403 otherwise.
    func open(_ jwt: String?) async throws -> PortalSession {
        let unauthorized = APIError(status: 401, code: "unauthorized", message: "a valid media token is required (?t=…)")
        guard let jwt, let claims = try? signer.verify(jwt, now: clock.now(), leeway: Self.leeway), claims.scope == "media",
              let customer = claims.customer, let link = claims.portalLink else { throw unauthorized }
        let session = try await Self.refusingUnknown(unauthorized) { try await gate.open(linkID: link) }
        guard session.customer.id == customer, session.tenant.slug == claims.tenant else { throw unauthorized }
        return session
    }

    /// The gate's "no such link" as `unauthorized` (these routes speak of tokens, not links).
    private static func refusingUnknown(_ unauthorized: APIError, _ body: () async throws -> PortalSession) async throws -> PortalSession {
        do {
            return try await body()
        } catch let error as APIError where error == .linkNotFound {
            throw unauthorized
        }
    }
}
