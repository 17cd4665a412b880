import Billing
import Foundation
import Relational
import SQLite

/// Applies one event's `LedgerChange` inside the caller's transaction: records the payment or
/// refund once (unique by the provider's ids), derives the invoice's amount paid and status
/// again from every row (`PaymentLedger.balance`), and writes an audit line for each change.
struct Ledger {
    let db: any SQLConnection
    let tenantID: Int64
    let eventID: String
    let now: Date
    /// The invoice the change touched, once found.
    private(set) var invoiceID: Int64?
    /// What the applied change means to the tenant's systems, in order.
    private(set) var events: [WebhookEventType] = []

    init(db: any SQLConnection, tenantID: Int64, eventID: String, now: Date) {
        self.db = db
        self.tenantID = tenantID
        self.eventID = eventID
        self.now = now
    }

    private struct InvoiceRow {
        let id: Int64, currency: String, total: Int64, credited: Int64, status: InvoiceStatus, paid: Int64
    }

    mutating func apply(_ change: LedgerChange, invoicePublicID: String) throws -> EventOutcome {
        guard let invoice = try invoiceRow(publicID: invoicePublicID) else {
            return .ignored("no invoice \(invoicePublicID) for this tenant")
        }
        invoiceID = invoice.id
        guard change.currency.uppercased() == invoice.currency else {
            return .ignored("currency \(change.currency.uppercased()) does not match the invoice's \(invoice.currency)")
        }
        let recorded: Bool
        switch change {
        case let .payment(sessionID, paymentIntent, amount, _, state):
            // Only a checkout Billport opened for this tenant and invoice counts, and only for
            // the amount Billport asked for: an event the tenant signed itself cannot claim
            // another session, another invoice or another sum.
            guard let opened = try openedCheckout(sessionID) else {
                return .ignored("checkout \(sessionID) was not opened by Billport for this tenant")
            }
            guard opened.invoiceID == invoice.id else { return .ignored("checkout \(sessionID) was opened for another invoice") }
            guard opened.amount == amount, opened.currency.uppercased() == invoice.currency else {
                return .ignored("checkout \(sessionID) reports \(amount) \(change.currency.uppercased()); Billport opened it for \(opened.amount) \(opened.currency.uppercased())")
            }
            recorded = try recordPayment(invoice: invoice.id, sessionID: sessionID, paymentIntent: paymentIntent, amount: opened.amount,
                                         currency: invoice.currency, state: state)
            if recorded, state == .failed { events.append(.invoicePaymentFailed) }
        case let .refund(chargeID, paymentIntent, refundedTotal, _):
            // A refund may arrive before its payment (events come in any order): it is kept under
            // this tenant's keys and only ever counts against this tenant's payment of that intent.
            recorded = try recordRefund(invoice: invoice.id, chargeID: chargeID, paymentIntent: paymentIntent, total: refundedTotal)
            if recorded { events.append(.invoiceRefunded) }
        }
        guard recorded else { return .unchanged("nothing new") }
        return .applied(try settle(invoice))
    }

    /// The checkout session `sessionID` as Billport opened it for this tenant, nil for any other.
    private func openedCheckout(_ sessionID: String) throws -> (invoiceID: Int64, amount: Int64, currency: String)? {
        try db.queryOne("SELECT invoice_id, amount, currency FROM checkout_sessions WHERE tenant_id = ? AND session_id = ?",
                        tenantID, sessionID) { (invoiceID: $0.int64(0), amount: $0.int64(1), currency: $0.string(2)) }
    }

    private func invoiceRow(publicID: String) throws -> InvoiceRow? {
        try db.queryOne("""
            SELECT id, currency, total, amount_credited, status, amount_paid FROM invoices WHERE tenant_id = ? AND public_id = ?
            """, tenantID, publicID) { row in
            InvoiceRow(id: row.int64(0), currency: row.string(1), total: row.int64(2), credited: row.int64(3),
                       status: InvoiceStatus(rawValue: row.string(4)) ?? .draft, paid: row.int64(5))
        }
    }

    /// Inserts the payment or moves it to a later state; false when it already was there.
    private func recordPayment(invoice: Int64, sessionID: String, paymentIntent: String?, amount: Int64, currency: String,
                               state: PaymentState) throws -> Bool {
        let existing = try db.queryOne("SELECT id, state FROM payments WHERE tenant_id = ? AND provider = ? AND session_id = ?",
                                       tenantID, SQLPaymentStore.provider, sessionID) { (id: $0.int64(0), state: PaymentState(rawValue: $0.string(1))) }
        if let existing {
            let merged = PaymentLedger.merge(existing.state, state)
            guard merged != existing.state else { return false }
            try db.execute("UPDATE payments SET state = ?, payment_intent = COALESCE(payment_intent, ?), updated_at = ? WHERE id = ?",
                           merged.rawValue, paymentIntent, now, existing.id)
        } else {
            try db.execute("""
                INSERT INTO payments (tenant_id, invoice_id, provider, session_id, payment_intent, amount, currency, state, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tenantID, invoice, SQLPaymentStore.provider, sessionID, paymentIntent, amount, currency, state.rawValue, now, now)
        }
        // Paid or being paid: no longer a checkout a new one has to expire.
        try db.execute("UPDATE checkout_sessions SET status = 'complete' WHERE tenant_id = ? AND session_id = ?", tenantID, sessionID)
        try audit(invoice, "payment_\(state.rawValue)", amount, "checkout \(sessionID)")
        return true
    }

    /// Raises the charge's refunded total to `total`; false when it was that high already.
    private func recordRefund(invoice: Int64, chargeID: String, paymentIntent: String, total: Int64) throws -> Bool {
        let before = try db.queryOne("SELECT refunded_total FROM charge_refunds WHERE tenant_id = ? AND provider = ? AND charge_id = ?",
                                     tenantID, SQLPaymentStore.provider, chargeID) { $0.int64(0) } ?? 0
        guard total > before else { return false }
        try db.execute("""
            INSERT INTO charge_refunds (provider, charge_id, tenant_id, payment_intent, refunded_total, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, provider, charge_id) DO UPDATE SET refunded_total = excluded.refunded_total, updated_at = excluded.updated_at
            """, SQLPaymentStore.provider, chargeID, tenantID, paymentIntent, total, now)
        try audit(invoice, "refund", total - before, "charge \(chargeID), \(total) refunded in all")
        return true
    }

    /// Derives the invoice's balance from its rows and writes it; a description of the result.
    private mutating func settle(_ invoice: InvoiceRow) throws -> String {
        let payments = try SQLPaymentStore.payments(db, tenantID: tenantID, invoiceID: invoice.id)
        let nets = payments.map { PaymentLedger.net(amount: $0.amount, state: $0.state, refunded: $0.refunded) }
        let balance = try PaymentLedger.balance(total: invoice.total, credited: invoice.credited, status: invoice.status, netPayments: nets)
        try db.execute("UPDATE invoices SET amount_paid = ?, status = ? WHERE id = ?", balance.amountPaid, balance.status.rawValue, invoice.id)
        for (payment, share) in zip(payments, PaymentLedger.allocateExcess(balance.excess, over: nets)) where share != payment.excess {
            try db.execute("UPDATE payments SET excess = ? WHERE id = ?", share, payment.id)
        }
        let previousExcess = try MoneyArithmetic.sum(payments.map(\.excess), "excess")
        if balance.excess > previousExcess {
            let why = invoice.status == .cancelled ? "payment to a cancelled invoice; refund it" : "paid more than was due; refund the excess"
            try audit(invoice.id, "excess", balance.excess - previousExcess, why)
        }
        if balance.status == .paid, invoice.status != .paid { events.append(.invoicePaid) }
        if balance.status != invoice.status {
            try audit(invoice.id, "status", nil, "\(invoice.status.rawValue) → \(balance.status.rawValue)")
        }
        return "amount paid \(invoice.paid) → \(balance.amountPaid), status \(balance.status.rawValue)"
    }

    private func audit(_ invoice: Int64, _ action: String, _ amount: Int64?, _ detail: String) throws {
        try db.execute("INSERT INTO payment_audit (tenant_id, invoice_id, at, event_id, action, amount, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       tenantID, invoice, now, eventID, action, amount, detail)
    }
}
