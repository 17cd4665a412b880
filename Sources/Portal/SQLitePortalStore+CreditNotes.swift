import BillportCore
import Foundation
import SQLite

/// Credit notes and delivery status: what changes on an invoice after it was issued, without
/// touching its lines or amounts.
extension SQLitePortalStore {
    /// Issues a credit note of `amount` minor units against an issued or paid invoice. The
    /// credited sum can never exceed the invoice total.
    public func createCreditNote(tenantID: Int64, invoiceID: Int64, number: String, amount: Int64, reason: String?) async throws -> CreditNote {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(trimmed.count) else { throw PortalError.invalid(FieldError("number", "must be 1 to 64 characters")) }
        guard amount > 0 else { throw PortalError.invalid(FieldError("amount", "must be at least 1 minor unit")) }
        if let reason, reason.count > 500 { throw PortalError.invalid(FieldError("reason", "must be at most 500 characters")) }
        let now = clock.now()
        return try await database.write { [self] db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw PortalError.notFound("invoice") }
            guard invoice.status == .issued || invoice.status == .paid else {
                throw PortalError.conflict(code: "invalid_status", message: "credit notes need an issued invoice; this one is \(invoice.status.rawValue)")
            }
            let creditable = MoneyArithmetic.remainder(of: invoice.totals.total, less: invoice.amountCredited)
            guard amount <= creditable else {
                throw PortalError.invalid(FieldError("amount", "must be at most \(creditable), what is left of the invoice total"))
            }
            guard try db.queryOne("SELECT 1 FROM credit_notes WHERE tenant_id = ? AND number = ?", tenantID, trimmed, map: { _ in true }) == nil else {
                throw PortalError.conflict(code: "duplicate_number", message: "credit note number \(trimmed) is already used")
            }
            try db.execute("""
                INSERT INTO credit_notes (tenant_id, invoice_id, number, amount, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, tenantID, invoiceID, trimmed, amount, reason, now)
            let id = db.lastInsertRowID
            try db.execute("UPDATE invoices SET amount_credited = amount_credited + ? WHERE id = ?", amount, invoiceID)
            try enqueueRender(db, tenantID: tenantID, invoiceID: invoiceID)
            return CreditNote(id: id, invoiceID: invoiceID, number: trimmed, amount: amount, currency: invoice.currency, reason: reason, createdAt: now)
        }
    }

    /// The credit notes of one invoice, oldest first.
    public func creditNotes(tenantID: Int64, invoiceID: Int64) async throws -> [CreditNote] {
        try await database.read { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw PortalError.notFound("invoice") }
            return try db.query("""
                SELECT id, number, amount, reason, created_at FROM credit_notes WHERE invoice_id = ? ORDER BY id
                """, invoiceID) {
                CreditNote(id: $0.int64(0), invoiceID: invoiceID, number: $0.string(1), amount: $0.int64(2), currency: invoice.currency,
                           reason: $0.optionalString(3), createdAt: $0.date(4))
            }
        }
    }

    /// Records how the invoice reached its buyer when that happened outside Billport (post, the
    /// tenant's own mail); Billport's own sending sets it itself.
    public func setDeliveryStatus(tenantID: Int64, invoiceID: Int64, status: DeliveryStatus) async throws -> Invoice {
        try await database.write { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw PortalError.notFound("invoice") }
            guard invoice.status != .draft else {
                throw PortalError.conflict(code: "invoice_draft", message: "issue the invoice before recording its delivery")
            }
            try db.execute("UPDATE invoices SET delivery_status = ? WHERE id = ?", status.rawValue, invoiceID)
            guard let updated = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw PortalError.notFound("invoice") }
            return updated
        }
    }
}
