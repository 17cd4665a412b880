import Billing
import BillportCore
import Foundation
import Relational
import SQLite
import Tokens

/// `LinkStore` on SQLite.
public final class SQLLinkStore: LinkStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func linkedInvoice(tokenHash: [UInt8]) async throws -> (tenantID: Int64, invoiceID: Int64, linkID: Int64, emailed: Bool, expiresAt: Date?)? {
        let now = clock.now()
        return try await database.readStatement { db in
            try db.queryOne("""
                SELECT l.tenant_id, l.invoice_id, l.id, l.kind, l.expires_at FROM links l JOIN invoices i ON i.id = l.invoice_id
                WHERE l.token_hash = ? AND l.kind IN ('share', 'email') AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > ?)
                  AND \(BuyerVisibility.condition("i"))
                """, tokenHash, now) { ($0.int64(0), $0.int64(1), $0.int64(2), $0.string(3) == "email", $0.optionalDate(4)) }
        }
    }

    public func customerInvoice(tenantSlug: String, customerID: Int64, publicID: String) async throws -> (tenantID: Int64, invoiceID: Int64)? {
        try await database.readStatement { db in
            try db.queryOne("""
                SELECT i.tenant_id, i.id FROM invoices i JOIN tenants t ON t.id = i.tenant_id
                WHERE i.public_id = ? AND t.slug = ? AND i.customer_id = ? AND \(BuyerVisibility.condition("i"))
                """, publicID, tenantSlug, customerID) { ($0.int64(0), $0.int64(1)) }
        }
    }

    public func share(tenantID: Int64, invoiceID: Int64, regenerate: Bool) async throws -> ShareResult {
        let now = clock.now()
        let token = SecretToken.generate()
        return try await database.write { [self] db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
            if let refusal = BuyerVisibility.refusal(invoice, verb: "shared") { throw refusal }
            guard invoice.status != .cancelled else {
                throw InvoiceLifecycle.refusal(.cancelled, "shared")
            }
            let active = try db.queryOne("""
                SELECT created_at FROM links WHERE invoice_id = ? AND kind = 'share' AND revoked_at IS NULL
                ORDER BY id DESC LIMIT 1
                """, invoiceID) { $0.date(0) }
            if let active, !regenerate {
                return ShareResult(token: nil, alreadyShared: true, createdAt: active)
            }
            try db.execute("UPDATE links SET revoked_at = ? WHERE invoice_id = ? AND kind = 'share' AND revoked_at IS NULL", now, invoiceID)
            try db.execute("""
                INSERT INTO links (tenant_id, kind, token_hash, invoice_id, created_at) VALUES (?, 'share', ?, ?, ?)
                """, tenantID, token.hash, invoiceID, now)
            // A new share link (first share or regenerate) is the event; asking again for the
            // active one changes nothing and records nothing. The token never goes in the event.
            try recordEvent(db, tenantID: tenantID, customerID: invoice.customerID, type: .invoiceShared, data: InvoiceRepresentation(invoice))
            return ShareResult(token: token.raw, alreadyShared: false, createdAt: now)
        }
    }

    public func createEmailLink(tenantID: Int64, invoiceID: Int64, recipient: String) async throws -> String {
        let token = SecretToken.generate()
        let now = clock.now()
        try await database.write { db in
            try db.execute("""
                INSERT INTO links (tenant_id, kind, token_hash, invoice_id, recipient, created_at) VALUES (?, 'email', ?, ?, ?, ?)
                """, tenantID, token.hash, invoiceID, recipient, now)
        }
        return token.raw
    }

    public func revokeLinks(tenantID: Int64, invoiceID: Int64) async throws {
        let now = clock.now()
        try await database.write { db in
            guard try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND id = ?", tenantID, invoiceID, map: { _ in true }) != nil else {
                throw BillingError.notFound("invoice")
            }
            try db.execute("UPDATE links SET revoked_at = ? WHERE invoice_id = ? AND revoked_at IS NULL", now, invoiceID)
        }
    }

    public func publicView(tokenHash: [UInt8]) async throws -> PublicInvoiceView? {
        let now = clock.now()
        return try await database.readStatement { db in
            try db.queryOne("""
                SELECT t.name, i.number, i.total, i.amount_paid, i.currency, i.issue_date, i.due_date, i.status, i.delivery_status, i.amount_credited,
                       i.tenant_id, i.id, l.id, l.kind, l.expires_at
                FROM links l JOIN invoices i ON i.id = l.invoice_id JOIN tenants t ON t.id = i.tenant_id
                WHERE l.token_hash = ? AND l.kind IN ('share', 'email') AND l.revoked_at IS NULL
                  AND (l.expires_at IS NULL OR l.expires_at > ?) AND \(BuyerVisibility.condition("i"))
                """, tokenHash, now) { row in
                let status = InvoiceStatus(rawValue: row.string(7)) ?? .issued
                return PublicInvoiceView(
                    tenantID: row.int64(10), invoiceID: row.int64(11), linkID: row.int64(12), emailed: row.string(13) == "email", expiresAt: row.optionalDate(14),
                    vendorName: row.string(0), invoiceNumber: row.string(1),
                    amountDue: Invoice.amountDue(total: row.int64(2), paid: row.int64(3), credited: row.int64(9), status: status),
                    currency: row.string(4), issueDate: row.string(5), dueDate: row.string(6), status: status.rawValue,
                    deliveryStatus: row.string(8))
            }
        }
    }

    // MARK: Portal tokens

    public func createPortalToken(tenantID: Int64, customerID: Int64, revokeExisting: Bool) async throws -> PortalToken {
        let now = clock.now()
        let token = SecretToken.generate()
        return try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: customerID) != nil else { throw BillingError.notFound("customer") }
            let days = try db.queryOne("SELECT portal_token_days FROM tenants WHERE id = ?", tenantID) { $0.int(0) } ?? 30
            let expiresAt = now.addingTimeInterval(Double(days) * 86_400)
            if revokeExisting {
                try db.execute("UPDATE links SET revoked_at = ? WHERE customer_id = ? AND kind = 'portal' AND revoked_at IS NULL", now, customerID)
            }
            let id = try db.insert("""
                INSERT INTO links (tenant_id, kind, token_hash, customer_id, created_at, expires_at) VALUES (?, 'portal', ?, ?, ?, ?)
                """, tenantID, token.hash, customerID, now, expiresAt)
            return PortalToken(id: id, customerID: customerID, createdAt: now, expiresAt: expiresAt, revokedAt: nil, token: token.raw)
        }
    }

    public func revokePortalToken(tenantID: Int64, customerID: Int64) async throws {
        let now = clock.now()
        try await database.write { db in
            guard try Self.customer(db, tenantID: tenantID, id: customerID) != nil else { throw BillingError.notFound("customer") }
            try db.execute("UPDATE links SET revoked_at = ? WHERE customer_id = ? AND kind = 'portal' AND revoked_at IS NULL", now, customerID)
        }
    }

    @discardableResult
    public func markExpiredPortalTokens() async throws -> Int {
        let now = clock.now()
        return try await database.write { [self] db in
            let expired = try db.query("""
                SELECT id, tenant_id, customer_id, created_at, expires_at FROM links
                WHERE kind = 'portal' AND revoked_at IS NULL AND expired_at IS NULL AND expires_at <= ?
                """, now) { (tenantID: $0.int64(1), token: PortalToken(id: $0.int64(0), customerID: $0.int64(2), createdAt: $0.date(3),
                                                                       expiresAt: $0.date(4), revokedAt: nil, token: nil)) }
            for (tenantID, token) in expired {
                try db.execute("UPDATE links SET expired_at = expires_at WHERE id = ?", token.id)
                try recordEvent(db, tenantID: tenantID, customerID: token.customerID, type: .portalTokenExpired, data: PortalTokenRepresentation(token, now: now))
            }
            return expired.count
        }
    }

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
