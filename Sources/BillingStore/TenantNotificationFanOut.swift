import Billing
import Foundation
import Queue
import Relational
import SQLite

extension SQLStore {
    /// Queues the notification email the tenant opted in to for `event`, if any: at most one per
    /// invoice (or customer) and event type in the tenant's window, in the event's transaction.
    func queueTenantNotifications(_ db: any SQLConnection, for event: RecordedEvent) throws {
        let settings = try Self.notificationSettings(db, tenantID: event.tenantID)
        guard settings.wants(event.type) else { return }
        guard let body = try db.queryOne("SELECT body FROM webhook_events WHERE id = ?", event.rowID, map: { $0.string(0) }),
              let data = try? JSONDecoder().decode(EventFacts.self, from: Data(body.utf8)).data else { return }
        let invoiceID = data.invoiceId ?? (data.number != nil ? data.id : nil)
        let subject = invoiceID.map { "invoice:\($0)" } ?? data.customerId.map { "customer:\($0)" } ?? "event:\(event.rowID)"
        let now = event.createdAt
        let windowStart = now.addingTimeInterval(-Double(settings.windowMinutes) * 60)
        try db.execute("""
            INSERT INTO tenant_notifications_sent (tenant_id, event_type, subject, sent_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (tenant_id, event_type, subject) DO UPDATE SET sent_at = excluded.sent_at WHERE tenant_notifications_sent.sent_at <= ?
            """, event.tenantID, event.type.rawValue, subject, now, windowStart)
        guard db.changes > 0 else { return } // told within the window already
        var facts = TenantNotification.Facts(invoiceNumber: data.number ?? data.invoiceNumber, customerName: data.customerName,
                                             recipient: data.recipient, message: data.message)
        if let invoiceID {
            let invoice = try db.queryOne("""
                SELECT i.number, c.name, i.currency, i.amount_paid FROM invoices i JOIN customers c ON c.id = i.customer_id
                WHERE i.id = ? AND i.tenant_id = ?
                """, invoiceID, event.tenantID) { (number: $0.string(0), customer: $0.string(1), currency: Currency(code: $0.string(2)), paid: $0.int64(3)) }
            facts.invoiceNumber = invoice?.number ?? facts.invoiceNumber
            facts.customerName = facts.customerName ?? invoice?.customer
            if event.type == .invoicePaid, let invoice, let currency = invoice.currency { facts.amount = Money(minorUnits: invoice.paid, currency: currency) }
        }
        guard let notification = TenantNotification.compose(event.type, facts) else { return }
        _ = try jobs.enqueue([NewJob(BillingJob.notifyTenant, NotifyTenant(tenantId: event.tenantID, recipients: settings.recipients,
                                                                            subject: notification.subject, text: notification.text))], in: db)
    }
}

/// The few fields of an event's `data` a notification names (invoice, view, message and email
/// representations share these names).
private struct EventFacts: Decodable {
    struct Data: Decodable {
        var id: Int64?
        var number: String?
        var invoiceId: Int64?
        var invoiceNumber: String?
        var customerId: Int64?
        var customerName: String?
        var recipient: String?
        var message: String?
    }
    let data: Data
}
