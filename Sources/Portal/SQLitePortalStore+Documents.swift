import BillportCore
import Foundation
import SQLite

/// What a PDF needs, the PDF cache, and the lookups of the download routes.
extension SQLitePortalStore {
    /// The tenant, branding, customer and invoice behind one invoice's documents.
    public func documentParts(tenantID: Int64, invoiceID: Int64) async throws
        -> (vendorName: String, branding: Branding, customer: Customer, invoice: Invoice)? {
        try await database.read { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID),
                  let customer = try Self.customer(db, tenantID: tenantID, id: invoice.customerID),
                  let name = try db.queryOne("SELECT name FROM tenants WHERE id = ?", tenantID, map: { $0.string(0) }) else { return nil }
            return (name, try Self.branding(db, tenantID: tenantID), customer, invoice)
        }
    }

    /// Whether the buyer of the tenant's invoice may see it (`BuyerVisibility`).
    public func isBuyerVisible(tenantID: Int64, invoiceID: Int64) async throws -> Bool {
        try await database.readStatement { db in
            try db.queryOne("SELECT 1 FROM invoices i WHERE i.tenant_id = ? AND i.id = ? AND \(BuyerVisibility.condition("i"))",
                            tenantID, invoiceID) { _ in true } ?? false
        }
    }

    /// A cached PDF for the invoice with this content hash.
    public func cachedPDF(invoiceID: Int64, contentHash: String) async throws -> [UInt8]? {
        try await database.readStatement { db in
            try db.queryOne("SELECT pdf FROM pdf_cache WHERE invoice_id = ? AND content_hash = ?", invoiceID, contentHash) { $0.blob(0) }
        }
    }

    /// Stores a rendered PDF, dropping the invoice's older renders.
    public func storePDF(invoiceID: Int64, contentHash: String, pdf: [UInt8]) async throws {
        let now = clock.now()
        try await database.write { db in
            try db.execute("DELETE FROM pdf_cache WHERE invoice_id = ? AND content_hash != ?", invoiceID, contentHash)
            try db.execute("""
                INSERT INTO pdf_cache (invoice_id, content_hash, pdf, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (invoice_id, content_hash) DO NOTHING
                """, invoiceID, contentHash, pdf, now)
        }
    }

    /// The invoice a live share or email link points to (the same rule as the public view),
    /// with the link's id and whether it was emailed.
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

    /// The invoice with `publicID` if it belongs to this tenant's customer and its buyer may see it.
    public func customerInvoice(tenantSlug: String, customerID: Int64, publicID: String) async throws -> (tenantID: Int64, invoiceID: Int64)? {
        try await database.readStatement { db in
            try db.queryOne("""
                SELECT i.tenant_id, i.id FROM invoices i JOIN tenants t ON t.id = i.tenant_id
                WHERE i.public_id = ? AND t.slug = ? AND i.customer_id = ? AND \(BuyerVisibility.condition("i"))
                """, publicID, tenantSlug, customerID) { ($0.int64(0), $0.int64(1)) }
        }
    }
}
