import BillportCore
import Foundation
import SQLite
import Tokens

extension SQLitePortalStore {
    /// Stores a validated draft for `tenantID`; its customer must be the tenant's, its number unused.
    public func createInvoice(tenantID: Int64, draft: InvoiceDraft) async throws -> Invoice {
        let now = clock.now()
        let publicID = "inv_" + SecureRandom.base64URL(byteCount: 12)
        let id = try await database.write { db -> Int64 in
            guard try Self.customer(db, tenantID: tenantID, id: draft.customerID) != nil else {
                throw PortalError.invalid(FieldError("customerId", "is not one of your customers"))
            }
            guard try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND number = ?", tenantID, draft.number, map: { _ in true }) == nil else {
                throw PortalError.conflict(code: "duplicate_number", message: "invoice number \(draft.number) is already used")
            }
            try db.execute("""
                INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date, notes,
                    allow_partial_payments, minimum_payment_amount, subtotal, tax_total, total, created_at)
                VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tenantID, draft.customerID, publicID, draft.type.rawValue, draft.number, draft.currency.code,
                draft.issueDate.description, draft.dueDate.description, draft.notes, draft.allowPartialPayments,
                draft.minimumPaymentAmount, draft.totals.subtotal, draft.totals.taxTotal, draft.totals.total, now)
            let invoiceID = db.lastInsertRowID
            try Self.insertLines(db, invoiceID: invoiceID, draft.lines)
            return invoiceID
        }
        guard let invoice = try await invoice(tenantID: tenantID, id: id) else { throw PortalError.notFound("invoice") }
        return invoice
    }

    /// Replaces a draft's content with `draft`. Once issued, an invoice's lines and amounts can
    /// no longer change: that is a conflict.
    public func updateDraft(tenantID: Int64, id: Int64, draft: InvoiceDraft) async throws -> Invoice {
        try await database.write { db in
            guard let current = try Self.invoice(db, tenantID: tenantID, id: id) else { throw PortalError.notFound("invoice") }
            guard current.status == .draft else {
                throw PortalError.conflict(code: "invoice_not_draft",
                                           message: "a \(current.status.rawValue) invoice cannot change; issue a credit note instead")
            }
            guard try Self.customer(db, tenantID: tenantID, id: draft.customerID) != nil else {
                throw PortalError.invalid(FieldError("customerId", "is not one of your customers"))
            }
            guard try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND number = ? AND id != ?", tenantID, draft.number, id,
                                  map: { _ in true }) == nil else {
                throw PortalError.conflict(code: "duplicate_number", message: "invoice number \(draft.number) is already used")
            }
            try db.execute("""
                UPDATE invoices SET customer_id = ?, type = ?, number = ?, currency = ?, issue_date = ?, due_date = ?, notes = ?,
                    allow_partial_payments = ?, minimum_payment_amount = ?, subtotal = ?, tax_total = ?, total = ?
                WHERE id = ?
                """, draft.customerID, draft.type.rawValue, draft.number, draft.currency.code, draft.issueDate.description,
                draft.dueDate.description, draft.notes, draft.allowPartialPayments, draft.minimumPaymentAmount,
                draft.totals.subtotal, draft.totals.taxTotal, draft.totals.total, id)
            try db.execute("DELETE FROM invoice_lines WHERE invoice_id = ?", id)
            try Self.insertLines(db, invoiceID: id, draft.lines)
            guard let updated = try Self.invoice(db, tenantID: tenantID, id: id) else { throw PortalError.notFound("invoice") }
            return updated
        }
    }

    static func insertLines(_ db: Connection, invoiceID: Int64, _ lines: [InvoiceLine]) throws {
        for (position, line) in lines.enumerated() {
            try db.execute("""
                INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, tax_rate, net)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, invoiceID, position, line.description, line.quantity.tenThousandths, line.unitPrice,
                line.taxRate.hundredthsOfPercent, line.net)
        }
    }

    /// The invoice `id` of `tenantID`, with its lines.
    public func invoice(tenantID: Int64, id: Int64) async throws -> Invoice? {
        try await database.read { db in try Self.invoice(db, tenantID: tenantID, id: id) }
    }

    /// The tenant's invoices, newest first, ids below `beforeID` when given.
    public func invoices(tenantID: Int64, limit: Int, beforeID: Int64?) async throws -> [Invoice] {
        try await database.read { db in
            let ids = try db.query("""
                SELECT id FROM invoices WHERE tenant_id = ? AND id < ? ORDER BY id DESC LIMIT ?
                """, tenantID, beforeID ?? Int64.max, limit) { $0.int64(0) }
            return try ids.compactMap { try Self.invoice(db, tenantID: tenantID, id: $0) }
        }
    }

    /// Draft → issued. An issued invoice's lines and amounts can no longer change.
    public func issue(tenantID: Int64, id: Int64) async throws -> Invoice {
        try await transition(tenantID: tenantID, id: id, from: [.draft], to: .issued, verb: "issued", column: "issued_at")
    }

    /// Draft or issued → cancelled; every public link to it stops at once.
    public func cancel(tenantID: Int64, id: Int64) async throws -> Invoice {
        try await transition(tenantID: tenantID, id: id, from: [.draft, .issued], to: .cancelled, verb: "cancelled", column: "cancelled_at")
    }

    private func transition(tenantID: Int64, id: Int64, from: Set<InvoiceStatus>, to: InvoiceStatus, verb: String,
                            column: String) async throws -> Invoice {
        let now = clock.now()
        return try await database.write { [self] db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: id) else { throw PortalError.notFound("invoice") }
            guard from.contains(invoice.status) else {
                throw PortalError.conflict(code: "invalid_status", message: "a \(invoice.status.rawValue) invoice cannot be \(verb)")
            }
            try db.execute("UPDATE invoices SET status = ?, \(column) = ? WHERE id = ?", to.rawValue, now, id)
            if to == .cancelled {
                try db.execute("UPDATE links SET revoked_at = ? WHERE invoice_id = ? AND revoked_at IS NULL", now, id)
            } else {
                try enqueueRender(db, tenantID: tenantID, invoiceID: id)
            }
            guard let updated = try Self.invoice(db, tenantID: tenantID, id: id) else { throw PortalError.notFound("invoice") }
            return updated
        }
    }

    static func invoice(_ db: Connection, tenantID: Int64, id: Int64) throws -> Invoice? {
        guard let head = try db.queryOne("""
            SELECT id, public_id, customer_id, type, number, status, delivery_status, currency, issue_date, due_date, notes,
                   allow_partial_payments, minimum_payment_amount, subtotal, tax_total, total, amount_paid, created_at, issued_at,
                   amount_credited
            FROM invoices WHERE tenant_id = ? AND id = ?
            """, tenantID, id, map: { row in
                (id: row.int64(0), publicID: row.string(1), customerID: row.int64(2), type: InvoiceType(rawValue: row.string(3)) ?? .ar,
                 number: row.string(4), status: InvoiceStatus(rawValue: row.string(5)) ?? .draft,
                 delivery: DeliveryStatus(rawValue: row.string(6)) ?? .notSent, currency: Currency(code: row.string(7)),
                 issueDate: CalendarDate(parsing: row.string(8)), dueDate: CalendarDate(parsing: row.string(9)),
                 notes: row.optionalString(10), partial: row.bool(11), minimum: row.optionalInt64(12), subtotal: row.int64(13),
                 taxTotal: row.int64(14), total: row.int64(15), paid: row.int64(16), createdAt: row.date(17), issuedAt: row.optionalDate(18),
                 credited: row.int64(19))
            }) else { return nil }
        guard let currency = head.currency, let issueDate = head.issueDate, let dueDate = head.dueDate else {
            throw SQLiteError(code: 11, message: "invoice \(id) holds an unreadable currency or date")
        }
        let lines = try db.query("""
            SELECT description, quantity, unit_price, tax_rate, net FROM invoice_lines WHERE invoice_id = ? ORDER BY position
            """, id) { row in
            InvoiceLine(description: row.string(0), quantity: Quantity(tenThousandths: row.int64(1)), unitPrice: row.int64(2),
                        taxRate: TaxRate(hundredthsOfPercent: row.int64(3)), net: row.int64(4))
        }
        let taxes = InvoiceMath.taxes(for: lines)
        return Invoice(id: head.id, publicID: head.publicID, customerID: head.customerID, type: head.type, number: head.number,
                       status: head.status, deliveryStatus: head.delivery, currency: currency, issueDate: issueDate, dueDate: dueDate,
                       notes: head.notes, allowPartialPayments: head.partial, minimumPaymentAmount: head.minimum, lines: lines,
                       totals: InvoiceTotals(subtotal: head.subtotal, taxes: taxes, taxTotal: head.taxTotal, total: head.total),
                       amountPaid: head.paid, amountCredited: head.credited, createdAt: head.createdAt, issuedAt: head.issuedAt)
    }
}
