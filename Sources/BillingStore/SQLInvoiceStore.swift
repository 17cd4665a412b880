import Billing
import BillportCore
import Foundation
import Relational
import SQLite
import Tokens

/// `InvoiceStore` on SQLite.
public final class SQLInvoiceStore: InvoiceStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func createInvoice(tenantID: Int64, draft: InvoiceDraft) async throws -> Invoice {
        let now = clock.now()
        let publicID = "inv_" + SecureRandom.base64URL(byteCount: 12)
        let id = try await database.write { db -> Int64 in
            try Self.checkParties(db, tenantID: tenantID, draft)
            guard try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND number = ?", tenantID, draft.number, map: { _ in true }) == nil else {
                throw BillingError.conflict(code: "duplicate_number", message: "invoice number \(draft.number) is already used")
            }
            let invoiceID = try db.insert("""
                INSERT INTO invoices (tenant_id, customer_id, public_id, type, number, status, currency, issue_date, due_date, notes,
                    allow_partial_payments, minimum_payment_amount, subtotal, tax_total, total, created_at)
                VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tenantID, draft.customerID, publicID, draft.type.rawValue, draft.number, draft.currency.code,
                draft.issueDate.description, draft.dueDate.description, draft.notes, draft.allowPartialPayments,
                draft.minimumPaymentAmount, draft.totals.subtotal, draft.totals.taxTotal, draft.totals.total, now)
            try Self.writeLegalContent(db, invoiceID: invoiceID, draft)
            return invoiceID
        }
        guard let invoice = try await invoice(tenantID: tenantID, id: id) else { throw BillingError.notFound("invoice") }
        return invoice
    }

    public func updateDraft(tenantID: Int64, id: Int64, change: @escaping @Sendable (Invoice) throws -> InvoiceDraft) async throws -> Invoice {
        try await database.write { db in
            guard let current = try Self.invoice(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("invoice") }
            try InvoiceLifecycle.check(.edit, from: current.status)
            let draft = try change(current)
            try Self.checkParties(db, tenantID: tenantID, draft)
            guard try db.queryOne("SELECT 1 FROM invoices WHERE tenant_id = ? AND number = ? AND id != ?", tenantID, draft.number, id,
                                  map: { _ in true }) == nil else {
                throw BillingError.conflict(code: "duplicate_number", message: "invoice number \(draft.number) is already used")
            }
            try db.execute("""
                UPDATE invoices SET customer_id = ?, type = ?, number = ?, currency = ?, issue_date = ?, due_date = ?, notes = ?,
                    allow_partial_payments = ?, minimum_payment_amount = ?, subtotal = ?, tax_total = ?, total = ?
                WHERE id = ?
                """, draft.customerID, draft.type.rawValue, draft.number, draft.currency.code, draft.issueDate.description,
                draft.dueDate.description, draft.notes, draft.allowPartialPayments, draft.minimumPaymentAmount,
                draft.totals.subtotal, draft.totals.taxTotal, draft.totals.total, id)
            try db.execute("DELETE FROM invoice_lines WHERE invoice_id = ?", id)
            try db.execute("DELETE FROM invoice_allowance_charges WHERE invoice_id = ?", id)
            try Self.writeLegalContent(db, invoiceID: id, draft)
            guard let updated = try Self.invoice(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("invoice") }
            return updated
        }
    }

    public func invoice(tenantID: Int64, id: Int64) async throws -> Invoice? {
        try await database.read { db in try Self.invoice(db, tenantID: tenantID, id: id) }
    }

    public func invoices(tenantID: Int64, filter: InvoiceListFilter, limit: Int, beforeID: Int64?) async throws -> [Invoice] {
        var conditions = ["tenant_id = ?", "id < ?"]
        var arguments: [any SQLValueConvertible] = [tenantID, beforeID ?? Int64.max]
        if let status = filter.status { conditions.append("status = ?"); arguments.append(status.rawValue) }
        if let customerID = filter.customerID { conditions.append("customer_id = ?"); arguments.append(customerID) }
        if let dueBefore = filter.dueBefore { conditions.append("due_date < ?"); arguments.append(dueBefore.description) }
        if let dueAfter = filter.dueAfter { conditions.append("due_date > ?"); arguments.append(dueAfter.description) }
        arguments.append(limit)
        let sql = "SELECT id FROM invoices WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?"
        let bound = arguments.map(\.sqlValue)
        return try await database.read { db in
            let ids = try db.query(sql, arguments: bound) { $0.int64(0) }
            return try ids.compactMap { try Self.invoice(db, tenantID: tenantID, id: $0) }
        }
    }

    public func issue(tenantID: Int64, id: Int64) async throws -> Invoice {
        try await transition(tenantID: tenantID, id: id, .issue, column: "issued_at")
    }

    public func cancel(tenantID: Int64, id: Int64) async throws -> Invoice {
        try await transition(tenantID: tenantID, id: id, .cancel, column: "cancelled_at")
    }

    /// Moves the invoice as `transition` says (`InvoiceLifecycle`), stamping `column` with the time.
    private func transition(tenantID: Int64, id: Int64, _ transition: InvoiceLifecycle.Transition, column: String) async throws -> Invoice {
        let to = transition.target
        let now = clock.now()
        return try await database.write { [self] db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("invoice") }
            try InvoiceLifecycle.check(transition.action, from: invoice.status)
            try db.execute("UPDATE invoices SET status = ?, \(column) = ? WHERE id = ?", to.rawValue, now, id)
            if transition == .issue {
                try Self.recordParties(db, tenantID: tenantID, invoice: invoice)
            }
            if to == .cancelled {
                try db.execute("UPDATE links SET revoked_at = ? WHERE invoice_id = ? AND revoked_at IS NULL", now, id)
            } else {
                try enqueueRender(db, tenantID: tenantID, invoiceID: id)
            }
            guard let updated = try Self.invoice(db, tenantID: tenantID, id: id) else { throw BillingError.notFound("invoice") }
            try recordEvent(db, tenantID: tenantID, customerID: updated.customerID, type: to == .cancelled ? .invoiceCancelled : .invoiceIssued, data: InvoiceRepresentation(updated))
            return updated
        }
    }

    public func createCreditNote(tenantID: Int64, invoiceID: Int64, draft: @escaping @Sendable (Invoice) throws -> CreditNoteDraft) async throws -> CreditNote {
        let now = clock.now()
        let publicID = "cn_" + SecureRandom.base64URL(byteCount: 12)
        let id = try await database.write { [self] db -> Int64 in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
            try InvoiceLifecycle.check(.credit, from: invoice.status)
            let note = try draft(invoice)
            let creditable = MoneyArithmetic.remainder(of: invoice.totals.total, less: invoice.amountCredited)
            guard note.totals.total <= creditable else {
                throw BillingError.invalid(FieldError("amount", "must be at most \(creditable), what is left of the invoice total (the lines add up to \(note.totals.total))"))
            }
            guard try db.queryOne("SELECT 1 FROM credit_notes WHERE tenant_id = ? AND number = ?", tenantID, note.number, map: { _ in true }) == nil else {
                throw BillingError.conflict(code: "duplicate_number", message: "credit note number \(note.number) is already used")
            }
            let id = try db.insert("""
                INSERT INTO credit_notes (tenant_id, invoice_id, customer_id, public_id, number, issue_date, amount, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tenantID, invoiceID, invoice.customerID, publicID, note.number, note.issueDate.description, note.totals.total, note.reason, now)
            try Self.insertLines(db, into: .creditNote, ownerID: id, note.lines)
            try db.execute("UPDATE invoices SET amount_credited = amount_credited + ? WHERE id = ?", note.totals.total, invoiceID)
            try enqueueRender(db, tenantID: tenantID, invoiceID: invoiceID)
            return id
        }
        guard let created = try await creditNote(tenantID: tenantID, id: id) else { throw BillingError.notFound("credit note") }
        return created.note
    }

    public func creditNotes(tenantID: Int64, invoiceID: Int64) async throws -> [CreditNote] {
        try await database.read { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
            let ids = try db.query("SELECT id FROM credit_notes WHERE invoice_id = ? ORDER BY id", invoiceID) { $0.int64(0) }
            return try ids.compactMap { try Self.creditNote(db, id: $0, invoice: invoice) }
        }
    }

    public func creditNote(tenantID: Int64, id: Int64) async throws -> (note: CreditNote, invoice: Invoice)? {
        try await database.read { db in
            guard let invoiceID = try db.queryOne("SELECT invoice_id FROM credit_notes WHERE tenant_id = ? AND id = ?", tenantID, id, map: { $0.int64(0) }),
                  let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID),
                  let note = try Self.creditNote(db, id: id, invoice: invoice) else { return nil }
            return (note, invoice)
        }
    }

    /// Credit note `id` of `invoice` (its tenant already checked), with its lines and totals.
    static func creditNote(_ db: any SQLConnection, id: Int64, invoice: Invoice) throws -> CreditNote? {
        guard let head = try db.queryOne("""
            SELECT public_id, number, issue_date, amount, reason, created_at FROM credit_notes WHERE id = ? AND invoice_id = ?
            """, id, invoice.id, map: { row in
                (publicID: row.string(0), number: row.string(1), issueDate: row.optionalString(2).flatMap(CalendarDate.init(parsing:)),
                 amount: row.int64(3), reason: row.optionalString(4), createdAt: row.date(5))
            }) else { return nil }
        let lines = try lines(db, from: .creditNote, ownerID: id)
        let step = invoice.currency.amountStep
        let totals: InvoiceTotals? = lines.isEmpty ? nil : {
            let taxes = InvoiceMath.taxes(for: lines, step: step)
            // Summed wide: stored amounts were capped when computed, but a sum must never trap.
            let subtotal = lines.reduce(Int128(0)) { $0 + Int128($1.net) }
            let taxTotal = taxes.reduce(Int128(0)) { $0 + Int128($1.amount) }
            return InvoiceTotals(subtotal: Int64(clamping: subtotal), taxes: taxes, taxTotal: Int64(clamping: taxTotal), total: head.amount)
        }()
        return CreditNote(id: id, publicID: head.publicID, invoiceID: invoice.id, number: head.number,
                          issueDate: head.issueDate ?? invoice.issueDate, amount: head.amount, currency: invoice.currency, reason: head.reason,
                          lines: lines, totals: totals, createdAt: head.createdAt)
    }

    public func setDeliveryStatus(tenantID: Int64, invoiceID: Int64, status: DeliveryStatus) async throws -> Invoice {
        try await database.write { db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
            try InvoiceLifecycle.check(.recordDelivery, from: invoice.status)
            try db.execute("UPDATE invoices SET delivery_status = ? WHERE id = ?", status.rawValue, invoiceID)
            guard let updated = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
            return updated
        }
    }

    public func isBuyerVisible(tenantID: Int64, invoiceID: Int64) async throws -> Bool {
        try await database.readStatement { db in
            try db.queryOne("SELECT 1 FROM invoices i WHERE i.tenant_id = ? AND i.id = ? AND \(BuyerVisibility.condition("i"))",
                            tenantID, invoiceID) { _ in true } ?? false
        }
    }

    /// The draft's lines, allowances and charges, supply time and payment terms (the rest of the
    /// row is written by the caller).
    private static func writeLegalContent(_ db: any SQLConnection, invoiceID: Int64, _ draft: InvoiceDraft) throws {
        try insertLines(db, ownerID: invoiceID, draft.lines)
        try insertAllowanceCharges(db, invoiceID: invoiceID, draft.allowanceCharges)
        let (supplyDate, start, end): (String?, String?, String?) = switch draft.supply {
        case .date(let day): (day.description, nil, nil)
        case .period(let from, let to): (nil, from.description, to.description)
        case nil: (nil, nil, nil)
        }
        try db.execute("""
            UPDATE invoices SET supply_date = ?, service_start = ?, service_end = ?, payment_terms = ?, allowance_total = ?, charge_total = ?
            WHERE id = ?
            """, supplyDate, start, end, draft.paymentTerms, draft.totals.allowanceTotal, draft.totals.chargeTotal, invoiceID)
    }

    /// The customer must be the tenant's, and seller and buyer must have what the draft's VAT
    /// categories need (`InvoiceLineRules.partiesProblem`).
    private static func checkParties(_ db: any SQLConnection, tenantID: Int64, _ draft: InvoiceDraft) throws {
        guard let customer = try customer(db, tenantID: tenantID, id: draft.customerID) else {
            throw BillingError.invalid(FieldError("customerId", "is not one of your customers"))
        }
        let categories = draft.vatCategories
        guard !categories.isDisjoint(with: [.reverseCharge, .intraCommunity, .export]) else { return }
        if let problem = InvoiceLineRules.partiesProblem(categories: categories, seller: try SQLTenantStore.companyProfile(db, tenantID: tenantID),
                                                         buyer: customer.details) {
            throw BillingError.invalid(problem)
        }
    }

    /// Fixes seller and buyer on the invoice as they are now: the company profile, the customer.
    private static func recordParties(_ db: any SQLConnection, tenantID: Int64, invoice: Invoice) throws {
        guard let customer = try customer(db, tenantID: tenantID, id: invoice.customerID),
              let tenantName = try db.queryOne("SELECT name FROM tenants WHERE id = ?", tenantID, map: { $0.string(0) }) else { return }
        let parties = InvoiceParties(company: try SQLTenantStore.companyProfile(db, tenantID: tenantID), tenantName: tenantName, customer: customer)
        let json = String(decoding: try JSONEncoder().encode(parties), as: UTF8.self)
        try db.execute("UPDATE invoices SET parties = ? WHERE id = ?", json, invoice.id)
    }
}
