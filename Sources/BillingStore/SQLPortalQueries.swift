import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// The customer portal's reads: each one walks an index or a table scoped to the customer
/// (`portal.012_portal_indexes`) and reads the page, or one row per currency and due date, so a
/// customer with years of invoices costs what a new one costs.
extension SQLInvoiceStore {
    public func portalInvoicePage(tenantID: Int64, customerID: Int64, limit: Int, offset: Int, before: String?) async throws -> InvoicePage? {
        try await database.read { db in
            var below = Int64.max
            if let before {
                guard let id = try db.queryOne("""
                    SELECT i.id FROM invoices i WHERE i.public_id = ? AND i.tenant_id = ? AND i.customer_id = ? AND \(BuyerVisibility.condition("i"))
                    """, before, tenantID, customerID, map: { $0.int64(0) }) else { return nil }
                below = id
            }
            // One row beyond the page tells whether another page follows.
            let rows = try db.query("""
                SELECT i.public_id, i.number, i.status, i.currency, i.issue_date, i.due_date, i.total, i.amount_paid, i.amount_credited
                FROM invoices i WHERE i.tenant_id = ? AND i.customer_id = ? AND \(BuyerVisibility.condition("i")) AND i.id < ?
                ORDER BY i.id DESC LIMIT ? OFFSET ?
                """, tenantID, customerID, below, limit + 1, offset, map: Self.summary)
            return InvoicePage(invoices: Array(rows.prefix(limit)), hasMore: rows.count > limit)
        }
    }

    public func customerBalances(tenantID: Int64, customerID: Int64, today: CalendarDate) async throws -> [CustomerBalance] {
        let edges = CustomerBalance.AgingBoundaries(today: today)
        return try await database.read { db in
            do {
                let rows = try db.query(Self.balanceSQL(db.dialect), tenantID, customerID, edges.current.description, edges.late30.description,
                                        edges.late60.description, edges.late90.description) { row in
                    var balance = CustomerBalance(currency: row.string(0))
                    (balance.outstanding, balance.overdue, balance.current) = (row.int64(1), row.int64(2), row.int64(3))
                    (balance.days1to30, balance.days31to60, balance.days61to90, balance.over90) = (row.int64(4), row.int64(5), row.int64(6), row.int64(7))
                    return (balance: balance, beyondInt64: row.bool(8))
                }
                if !rows.contains(where: \.beyondInt64) { return rows.map(\.balance) }
            } catch let error as SQLiteError where error.message.contains("integer overflow") {}
            // A sum went beyond Int64: the reference rule over the open invoices themselves names
            // the currency (or, once payments brought it back, gives the balances).
            let items = try db.query(Self.openInvoicesSQL, tenantID, customerID) { row in
                CustomerBalance.OpenItem(currency: row.string(0), dueDate: CalendarDate(parsing: row.string(1)) ?? today,
                                         amountDue: Invoice.amountDue(total: row.int64(2), paid: row.int64(3), credited: row.int64(4),
                                                                      status: .issued))
            }
            return try CustomerBalance.of(openItems: items, today: today)
        }
    }

    public func portalCreditNotes(tenantID: Int64, customerID: Int64, limit: Int) async throws -> [PortalCreditNote] {
        try await database.read { db in
            try db.query("""
                SELECT c.public_id, c.number, c.issue_date, i.number, c.amount, i.currency,
                    EXISTS (SELECT 1 FROM credit_note_lines l WHERE l.credit_note_id = c.id)
                FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id
                WHERE c.tenant_id = ? AND c.customer_id = ? AND \(BuyerVisibility.condition("i"))
                ORDER BY c.id DESC LIMIT ?
                """, tenantID, customerID, limit) {
                PortalCreditNote(publicID: $0.string(0), number: $0.string(1),
                                 issueDate: CalendarDate(parsing: $0.string(2)) ?? CalendarDate(year: 1970, month: 1, day: 1),
                                 invoiceNumber: $0.string(3), amount: $0.int64(4), currency: $0.string(5), hasDocument: $0.bool(6))
            }
        }
    }

    public func portalCreditNote(tenantID: Int64, customerID: Int64, publicID: String) async throws -> (note: CreditNote, invoice: Invoice)? {
        try await database.read { db in
            guard let ids = try db.queryOne("""
                SELECT c.id, c.invoice_id FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id
                WHERE c.public_id = ? AND c.tenant_id = ? AND c.customer_id = ? AND \(BuyerVisibility.condition("i"))
                """, publicID, tenantID, customerID, map: { ($0.int64(0), $0.int64(1)) }),
                  let invoice = try Self.invoice(db, tenantID: tenantID, id: ids.1),
                  let note = try Self.creditNote(db, id: ids.0, invoice: invoice) else { return nil }
            return (note, invoice)
        }
    }

    /// The customer's open invoices: issued, buyer-visible, something due (`CustomerBalance.OpenItem`).
    private static let openInvoicesSQL = """
        SELECT i.currency, i.due_date, i.total, i.amount_paid, i.amount_credited
        FROM invoices i WHERE i.tenant_id = ? AND i.customer_id = ? AND \(BuyerVisibility.condition("i")) AND i.status = 'issued'
            AND i.total - i.amount_paid - i.amount_credited > 0
        """

    /// `CustomerBalance.of` over `customer_open_items` (one row per currency and due date): per
    /// currency, the amount due summed whole, past `?3` (today) and into the aging buckets
    /// bounded by `CustomerBalance.AgingBoundaries` (`?3`…`?6`); and whether a sum had gone
    /// beyond Int64 (SQLite: a stored REAL, or SUM's overflow error; PostgreSQL, whose NUMERIC
    /// sums never overflow: a sum outside BIGINT, read clamped and then recomputed).
    private static func balanceSQL(_ dialect: SQLDialect) -> String {
        let amounts = ["amount_due", "CASE WHEN due_date < ?3 THEN amount_due ELSE 0 END", "CASE WHEN due_date >= ?3 THEN amount_due ELSE 0 END",
                       "CASE WHEN due_date < ?3 AND due_date >= ?4 THEN amount_due ELSE 0 END",
                       "CASE WHEN due_date < ?4 AND due_date >= ?5 THEN amount_due ELSE 0 END",
                       "CASE WHEN due_date < ?5 AND due_date >= ?6 THEN amount_due ELSE 0 END", "CASE WHEN due_date < ?6 THEN amount_due ELSE 0 END"]
        let scope = "FROM customer_open_items WHERE tenant_id = ?1 AND customer_id = ?2 GROUP BY currency"
        switch dialect {
        case .sqlite:
            return "SELECT currency, \(amounts.map { "SUM(\($0))" }.joined(separator: ", ")), MAX(typeof(amount_due) != 'integer') \(scope) ORDER BY currency"
        case .postgres:
            let sums = amounts.indices.map { "s\($0)" }
            return """
                SELECT currency, \(sums.map { "LEAST(GREATEST(\($0), \(Int64.min)), \(Int64.max))::bigint" }.joined(separator: ", ")),
                    \(sums.map { "\($0) NOT BETWEEN \(Int64.min) AND \(Int64.max)" }.joined(separator: " OR "))
                FROM (SELECT currency, \(amounts.enumerated().map { "SUM(\($1)) AS s\($0)" }.joined(separator: ", ")) \(scope)) sums
                ORDER BY currency
                """
        }
    }

    private static func summary(_ row: any SQLRow) throws -> InvoiceSummary {
        guard let currency = Currency(code: row.string(3)), let issueDate = CalendarDate(parsing: row.string(4)),
              let dueDate = CalendarDate(parsing: row.string(5)) else {
            throw UnreadableRow("invoice \(row.string(0)) holds an unreadable currency or date")
        }
        return InvoiceSummary(publicID: row.string(0), number: row.string(1), status: InvoiceStatus(rawValue: row.string(2)) ?? .draft,
                              currency: currency, issueDate: issueDate, dueDate: dueDate, total: row.int64(6), amountPaid: row.int64(7),
                              amountCredited: row.int64(8))
    }
}
