import BillportCore
import Foundation
import SQLite
import Tokens

/// Share links: one active share link per invoice; the raw token is
/// returned once and only its SHA-256 is stored.
extension SQLitePortalStore {
    /// Shares an issued AR invoice (`BuyerVisibility`; anything else is a 409). With an active link and no `regenerate`, answers
    /// `alreadyShared` with the original time and no token; with `regenerate`, the old link dies
    /// in the same transaction as the new one is made.
    public func share(tenantID: Int64, invoiceID: Int64, regenerate: Bool) async throws -> ShareResult {
        let now = clock.now()
        let token = SecretToken.generate()
        return try await database.write { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw PortalError.notFound("invoice") }
            if let refusal = BuyerVisibility.refusal(invoice, verb: "shared") { throw refusal }
            guard invoice.status != .cancelled else {
                throw PortalError.conflict(code: "invoice_cancelled", message: "a cancelled invoice cannot be shared")
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
            return ShareResult(token: token.raw, alreadyShared: false, createdAt: now)
        }
    }

    /// A link of kind `email` for one recipient of one message: its opens count as source
    /// `email`. Stopped, like share links, by revoking the invoice's links.
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

    /// Revokes every public link to the invoice (share and emailed links) at once.
    public func revokeLinks(tenantID: Int64, invoiceID: Int64) async throws {
        let now = clock.now()
        try await database.write { db in
            guard try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND id = ?", tenantID, invoiceID, map: { _ in true }) != nil else {
                throw PortalError.notFound("invoice")
            }
            try db.execute("UPDATE links SET revoked_at = ? WHERE invoice_id = ? AND revoked_at IS NULL", now, invoiceID)
        }
    }

    /// The buyer's view of the invoice a live share or email link points to; nil for an unknown,
    /// revoked or expired token alike, so that none can be told from another.
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
}
