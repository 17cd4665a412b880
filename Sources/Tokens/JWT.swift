import BillportCore
import Foundation

/// The claims of a Billport API token.
public struct APIClaims: Sendable, Equatable, Codable {
    /// The tenant's slug.
    public var tenant: String
    /// Permissions, e.g. `invoices:write`, `invoices:manage`.
    public var perms: [String]
    /// Expiry and not-before, seconds since 1970 (RFC 7519 NumericDate).
    public var exp: Int64
    public var nbf: Int64?
    public var iat: Int64?
    /// What the token may be used for: `api` (default) or `media` (PDF downloads only).
    public var scope: String?
    /// For media tokens: the customer whose documents it opens.
    public var customer: Int64?
    /// For media tokens: the portal token (its link id) it was issued from; it works only while
    /// that one still opens the portal.
    public var portalLink: Int64?

    public init(tenant: String, perms: [String], exp: Int64, nbf: Int64? = nil, iat: Int64? = nil, scope: String? = nil,
                customer: Int64? = nil, portalLink: Int64? = nil) {
        self.portalLink = portalLink
        self.tenant = tenant
        self.perms = perms
        self.exp = exp
        self.nbf = nbf
        self.iat = iat
        self.scope = scope
        self.customer = customer
    }
}

/// Why a token was refused. Never tells a client more than "invalid token"; the reason is for logs.
public enum JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed
    case unsupportedAlgorithm(String)
    case badSignature
    case expired
    case notYetValid
    case invalidClaims

    public var description: String {
        switch self {
        case .malformed: return "malformed token"
        case .unsupportedAlgorithm(let alg): return "unsupported algorithm \(alg) (only HS256)"
        case .badSignature: return "bad signature"
        case .expired: return "expired"
        case .notYetValid: return "not yet valid (nbf)"
        case .invalidClaims: return "missing or invalid claims"
        }
    }
}

/// HS256 JSON Web Tokens (RFC 7519, RFC 7515) signed with the server's secret.
public struct JWTSigner: Sendable {
    let key: [UInt8]
    /// Tolerated clock difference for `exp` and `nbf`, unless a verification names its own.
    public var leeway: Int64 = 30

    /// A signer over `key` (at least 32 bytes).
    public init(key: [UInt8]) {
        precondition(key.count >= 32, "the JWT key must be at least 32 bytes")
        self.key = key
    }

    /// `header.payload.signature`.
    public func sign(_ claims: APIClaims) -> String {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = Base64URL.encode(Array((try? encoder.encode(claims)) ?? Data()))
        let signingInput = header + "." + payload
        return signingInput + "." + Base64URL.encode(Digest.hmacSHA256(key: key, message: Array(signingInput.utf8)))
    }

    /// The claims of a valid token: signature checked in constant time, `alg` must be HS256,
    /// `exp` and `nbf` honoured at `now` give or take `leeway` seconds (default `self.leeway`).
    /// A short-lived token passes a short leeway: 30 s on a 60 s token would make it live 90 s.
    public func verify(_ token: String, now: Date, leeway: Int64? = nil) throws(JWTError) -> APIClaims {
        let leeway = max(0, leeway ?? self.leeway)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count < 8192,
              let headerBytes = Base64URL.decode(String(parts[0])),
              let payloadBytes = Base64URL.decode(String(parts[1])),
              let signature = Base64URL.decode(String(parts[2])) else { throw .malformed }
        struct Header: Decodable { let alg: String }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)) else { throw .malformed }
        guard header.alg == "HS256" else { throw .unsupportedAlgorithm(header.alg) }
        let expected = Digest.hmacSHA256(key: key, message: Array((parts[0] + "." + parts[1]).utf8))
        guard Digest.constantTimeEqual(expected, signature) else { throw .badSignature }
        guard let claims = try? JSONDecoder().decode(APIClaims.self, from: Data(payloadBytes)),
              !claims.tenant.isEmpty else { throw .invalidClaims }
        let seconds = Int64(now.timeIntervalSince1970)
        guard seconds < claims.exp + leeway else { throw .expired }
        if let nbf = claims.nbf, seconds + leeway < nbf { throw .notYetValid }
        return claims
    }
}
