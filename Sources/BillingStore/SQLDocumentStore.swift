import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// `DocumentStore` on SQLite.
public final class SQLDocumentStore: DocumentStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func documentParts(tenantID: Int64, invoiceID: Int64) async throws -> DocumentParts? {
        try await database.read { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID),
                  let customer = try Self.customer(db, tenantID: tenantID, id: invoice.customerID),
                  let name = try db.queryOne("SELECT name FROM tenants WHERE id = ?", tenantID, map: { $0.string(0) }) else { return nil }
            return DocumentParts(vendorName: name, branding: try Self.branding(db, tenantID: tenantID), customer: customer, invoice: invoice,
                                 company: try SQLTenantStore.companyProfile(db, tenantID: tenantID))
        }
    }

    public func cachedPDF(invoiceID: Int64, contentHash: String) async throws -> [UInt8]? {
        try await database.readStatement { db in
            try db.queryOne("SELECT pdf FROM pdf_cache WHERE invoice_id = ? AND content_hash = ?", invoiceID, contentHash) { $0.blob(0) }
        }
    }

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
}
