import BillportCore
import Foundation
import SQLite
import Tokens

/// Branding and portal tokens.
extension SQLitePortalStore {
    /// The tenant's branding.
    public func branding(tenantID: Int64) async throws -> Branding {
        try await database.read { db in try Self.branding(db, tenantID: tenantID) }
    }

    static func branding(_ db: Connection, tenantID: Int64) throws -> Branding {
        try db.queryOne("SELECT brand_color, logo, page_size, payment_instructions FROM tenants WHERE id = ?", tenantID) { row in
            Branding(brandColor: row.optionalString(0), logo: row.isNull(1) ? nil : row.blob(1),
                     pageSize: Branding.PageSize(rawValue: row.string(2)) ?? .a4, paymentInstructions: row.optionalString(3))
        } ?? Branding()
    }

    /// Replaces the tenant's colour, paper and payment instructions (the logo has its own call).
    public func updateBranding(tenantID: Int64, brandColor: String?, pageSize: Branding.PageSize, paymentInstructions: String?) async throws -> Branding {
        if let brandColor, !Branding.isValidColor(brandColor) {
            throw PortalError.invalid(FieldError("brandColor", "must be a colour like #1F6FEB"))
        }
        if let paymentInstructions, paymentInstructions.count > 1000 {
            throw PortalError.invalid(FieldError("paymentInstructions", "must be at most 1000 characters"))
        }
        return try await database.write { db in
            try db.execute("UPDATE tenants SET brand_color = ?, page_size = ?, payment_instructions = ? WHERE id = ?",
                           brandColor, pageSize.rawValue, paymentInstructions, tenantID)
            return try Self.branding(db, tenantID: tenantID)
        }
    }

    /// Sets (or with nil removes) the logo: PNG or JPEG, at most 1 MiB.
    public func updateLogo(tenantID: Int64, logo: [UInt8]?) async throws {
        if let logo {
            guard logo.count <= 1 << 20 else { throw PortalError.invalid(FieldError("logo", "must be at most 1 MiB")) }
            guard Branding.looksLikeImage(logo) else { throw PortalError.invalid(FieldError("logo", "must be a PNG or JPEG image")) }
        }
        try await database.write { db in try db.execute("UPDATE tenants SET logo = ? WHERE id = ?", logo, tenantID) }
    }

    // MARK: Portal tokens

    /// A new portal token for the customer, replacing any active one; it expires after the
    /// tenant's `portal_token_days`.
    public func createPortalToken(tenantID: Int64, customerID: Int64) async throws -> PortalToken {
        let now = clock.now()
        let token = SecretToken.generate()
        return try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: customerID) != nil else { throw PortalError.notFound("customer") }
            let days = try db.queryOne("SELECT portal_token_days FROM tenants WHERE id = ?", tenantID) { $0.int(0) } ?? 30
            let expiresAt = now.addingTimeInterval(Double(days) * 86_400)
            try db.execute("UPDATE links SET revoked_at = ? WHERE customer_id = ? AND kind = 'portal' AND revoked_at IS NULL", now, customerID)
            try db.execute("""
                INSERT INTO links (tenant_id, kind, token_hash, customer_id, created_at, expires_at) VALUES (?, 'portal', ?, ?, ?, ?)
                """, tenantID, token.hash, customerID, now, expiresAt)
            return PortalToken(id: db.lastInsertRowID, customerID: customerID, createdAt: now, expiresAt: expiresAt, revokedAt: nil, token: token.raw)
        }
    }

    /// Revokes the customer's portal token at once.
    public func revokePortalToken(tenantID: Int64, customerID: Int64) async throws {
        let now = clock.now()
        try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: customerID) != nil else { throw PortalError.notFound("customer") }
            try db.execute("UPDATE links SET revoked_at = ? WHERE customer_id = ? AND kind = 'portal' AND revoked_at IS NULL", now, customerID)
        }
    }

    /// Marks portal tokens whose expiry has passed (the `links.expire` job), so the tenant's
    /// token list shows them as expired; the portal itself answers "access denied" for them
    /// either way. Returns how many it marked.
    @discardableResult
    public func markExpiredPortalTokens() async throws -> Int {
        let now = clock.now()
        return try await database.write { db in
            try db.execute("""
                UPDATE links SET expired_at = expires_at
                WHERE kind = 'portal' AND revoked_at IS NULL AND expired_at IS NULL AND expires_at <= ?
                """, now)
            return db.changes
        }
    }

    /// The tenant's portal tokens, newest first (never the tokens themselves).
    public func portalTokens(tenantID: Int64, limit: Int) async throws -> [PortalToken] {
        try await database.read { db in
            try db.query("""
                SELECT id, customer_id, created_at, expires_at, revoked_at FROM links
                WHERE tenant_id = ? AND kind = 'portal' ORDER BY id DESC LIMIT ?
                """, tenantID, limit) {
                PortalToken(id: $0.int64(0), customerID: $0.int64(1), createdAt: $0.date(2), expiresAt: $0.date(3),
                            revokedAt: $0.optionalDate(4), token: nil)
            }
        }
    }

    /// The customer a portal token belongs to, with its tenant and the token's link id; nil for
    /// unknown or revoked tokens. `expired` tells the portal page to say "access denied" rather
    /// than "not found".
    public func portalCustomer(tokenHash: [UInt8]) async throws -> PortalAccess? {
        let now = clock.now()
        return try await database.readStatement { db in
            try db.queryOne("""
                SELECT tenant_id, customer_id, expires_at, id FROM links WHERE token_hash = ? AND kind = 'portal' AND revoked_at IS NULL
                """, tokenHash) { row in
                PortalAccess(tenantID: row.int64(0), customerID: row.int64(1), expired: row.date(2) <= now, linkID: row.int64(3))
            }
        }
    }

    /// The same for the portal token with link id `linkID` (what a media token names).
    public func portalCustomer(linkID: Int64) async throws -> PortalAccess? {
        let now = clock.now()
        return try await database.readStatement { db in
            try db.queryOne("""
                SELECT tenant_id, customer_id, expires_at, id FROM links WHERE id = ? AND kind = 'portal' AND revoked_at IS NULL
                """, linkID) { row in
                PortalAccess(tenantID: row.int64(0), customerID: row.int64(1), expired: row.date(2) <= now, linkID: row.int64(3))
            }
        }
    }
}

/// Whose portal a portal token opens, and whether it has expired.
public struct PortalAccess: Sendable, Hashable {
    public let tenantID: Int64
    public let customerID: Int64
    public let expired: Bool
    /// The token's row in `links`: media tokens name it, so they die with it.
    public let linkID: Int64
}
