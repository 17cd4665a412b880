import Billing
import BillportCore
import Foundation
import Queue
import Relational
import SQLite

/// `EmailStore` on SQLite.
public final class SQLEmailStore: EmailStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    public func enqueueCustomerEmail(tenantID: Int64, customerID: Int64, category: EmailCategory, subject: String?,
                                     message: String?, revokeExisting: Bool) async throws -> Int64 {
        try EmailRequestRule.checkCustomerMessage(category: category, subject: subject, message: message)
        return try await database.write { [jobs] db in
            guard let customer = try Self.customer(db, tenantID: tenantID, id: customerID) else { throw BillingError.notFound("customer") }
            try Self.refuseErased(customer)
            let payload = SendEmail(tenantId: tenantID, customerId: customerID, invoiceId: nil, category: category, message: message,
                                    subject: category == .marketing ? subject : nil, revokeExisting: category == .portal ? revokeExisting : nil)
            guard let id = try jobs.enqueue([NewJob(BillingJob.sendEmail, payload)], in: db).first?.id else {
                throw BillingError.conflict(code: "not_enqueued", message: "the email could not be queued")
            }
            return id
        }
    }

    public func enqueueInvoiceEmail(tenantID: Int64, invoiceID: Int64, recipients: [String]?, message: String?) async throws -> Int64 {
        try EmailRequestRule.checkInvoiceMessage(recipients: recipients, message: message)
        return try await database.write { [jobs] db in
            guard let invoice = try Self.invoice(db, tenantID: tenantID, id: invoiceID) else { throw BillingError.notFound("invoice") }
            if let refusal = BuyerVisibility.refusal(invoice, verb: "sent") { throw refusal }
            guard invoice.status != .cancelled else {
                throw InvoiceLifecycle.refusal(.cancelled, "sent")
            }
            if let customer = try Self.customer(db, tenantID: tenantID, id: invoice.customerID) { try Self.refuseErased(customer) }
            let payload = SendEmail(tenantId: tenantID, customerId: invoice.customerID, invoiceId: invoiceID, category: .document,
                                    recipients: recipients, message: message)
            guard let id = try jobs.enqueue([NewJob(BillingJob.sendEmail, payload)], in: db).first?.id else {
                throw BillingError.conflict(code: "not_enqueued", message: "the email could not be queued")
            }
            return id
        }
    }

    /// No email is queued for a customer whose personal data was erased (and the job suppresses
    /// one queued before).
    private static func refuseErased(_ customer: Customer) throws {
        guard customer.erasedAt != nil else { return }
        throw BillingError.conflict(code: "customer_erased", message: "this customer's personal data was erased; no email can be sent to them")
    }

    // MARK: The email log

    public func beginEmail(key: String, tenantID: Int64, invoiceID: Int64?, customerID: Int64, category: EmailCategory,
                           recipient: String) async throws -> EmailLogEntry {
        let now = clock.now()
        return try await database.write { db in
            try db.execute("""
                INSERT INTO email_log (tenant_id, invoice_id, customer_id, category, recipient, send_key, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?) ON CONFLICT (send_key) DO NOTHING
                """, tenantID, invoiceID, customerID, category.rawValue, recipient, key, now, now)
            guard let entry = try Self.emailLog(db, where: "send_key = ?", key).first else { throw BillingError.notFound("email log") }
            return entry
        }
    }

    public func finishEmail(id: Int64, status: EmailStatus, detail: String?, messageID: String?) async throws {
        let now = clock.now()
        try await database.write { [self] db in
            try db.execute("""
                UPDATE email_log SET status = ?, detail = ?, message_id = coalesce(?, message_id), updated_at = ? WHERE id = ? AND status = 'sending'
                """, status.rawValue, detail.map { String($0.prefix(1000)) }, messageID, now, id)
            // A line already finished stays as it was: no second event for one message.
            guard db.changes > 0 else { return }
            if let entry = try Self.emailLog(db, where: "id = ?", id).first, let type = Self.eventType(status) {
                try recordEvent(db, tenantID: try Self.emailTenant(db, id: id), customerID: entry.customerID, type: type, data: EmailLogRepresentation(entry))
            }
            if status == .sent {
                try db.execute("""
                    UPDATE invoices SET delivery_status = 'sent'
                    WHERE id = (SELECT invoice_id FROM email_log WHERE id = ? AND category = 'document') AND delivery_status != 'sent'
                    """, id)
            }
        }
    }

    /// The event a finished message is, if any (`sending` is not finished).
    private static func eventType(_ status: EmailStatus) -> WebhookEventType? {
        switch status {
        case .sent: .emailSent
        case .suppressed: .emailSuppressed
        case .failed: .emailFailed
        case .sending: nil
        }
    }

    private static func emailTenant(_ db: any SQLConnection, id: Int64) throws -> Int64 {
        guard let tenantID = try db.queryOne("SELECT tenant_id FROM email_log WHERE id = ?", id, map: { $0.int64(0) }) else {
            throw BillingError.notFound("email log")
        }
        return tenantID
    }

    public func emailLog(tenantID: Int64, invoiceID: Int64) async throws -> [EmailLogEntry] {
        try await database.read { db in try Self.emailLog(db, where: "tenant_id = ? AND invoice_id = ?", tenantID, invoiceID) }
    }

    public func emailLog(tenantID: Int64, customerID: Int64) async throws -> [EmailLogEntry] {
        try await database.read { db in try Self.emailLog(db, where: "tenant_id = ? AND customer_id = ?", tenantID, customerID) }
    }

    private static func emailLog(_ db: any SQLConnection, where condition: String, _ values: any SQLValueConvertible...) throws -> [EmailLogEntry] {
        try db.query("""
            SELECT id, invoice_id, customer_id, category, recipient, status, detail, message_id, created_at, updated_at
            FROM email_log WHERE \(condition) ORDER BY id DESC LIMIT 200
            """, arguments: values) { row in
            EmailLogEntry(id: row.int64(0), invoiceID: row.optionalInt64(1), customerID: row.int64(2),
                          category: EmailCategory(rawValue: row.string(3)) ?? .document, recipient: row.string(4),
                          status: EmailStatus(rawValue: row.string(5)) ?? .failed, detail: row.optionalString(6),
                          messageID: row.optionalString(7), createdAt: row.date(8), updatedAt: row.date(9))
        }
    }

    // MARK: Reminders

    public func enqueueOverdueReminders(offsets: [Int]) async throws -> Int {
        guard let smallest = offsets.min() else { return 0 }
        let now = clock.now()
        let today = CalendarDate(utc: now)
        let latestDue = today.adding(days: -smallest).description
        return try await database.write { [jobs] db in
            let candidates = try db.query("""
                SELECT i.id, i.tenant_id, i.customer_id, i.due_date FROM invoices i
                WHERE i.status = 'issued' AND i.type = 'AR' AND i.total - i.amount_paid - i.amount_credited > 0 AND i.due_date <= ?
                """, latestDue) { ($0.int64(0), $0.int64(1), $0.int64(2), $0.string(3)) }
            var enqueued = 0
            for (invoiceID, tenantID, customerID, dueText) in candidates {
                guard let due = CalendarDate(parsing: dueText) else { continue }
                let sent = Set(try db.query("SELECT offset_days FROM reminders_sent WHERE invoice_id = ?", invoiceID) { $0.int(0) })
                guard let offset = ReminderRule.offsetDue(dueDate: due, today: today, offsets: offsets, sent: sent) else { continue }
                try db.execute("INSERT INTO reminders_sent (invoice_id, offset_days, created_at) VALUES (?, ?, ?)", invoiceID, offset, now)
                let payload = SendEmail(tenantId: tenantID, customerId: customerID, invoiceId: invoiceID, category: .reminder, reminderOffset: offset)
                _ = try jobs.enqueue([NewJob(BillingJob.sendEmail, payload, uniqueKey: "reminder:\(invoiceID):\(offset)")], in: db)
                enqueued += 1
            }
            return enqueued
        }
    }
}
