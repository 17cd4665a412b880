import Billing
import BillportCore
import Foundation
import Queue
import Relational
import SQLite

/// `PaymentStore` on SQLite.
public final class SQLPaymentStore: PaymentStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    // MARK: Settings

    public func paymentSettings(tenantID: Int64) async throws -> PaymentSettings {
        try await database.read { db in try Self.paymentSettings(db, tenantID: tenantID) }
    }

    public func paymentSettings(tenantSlug: String) async throws -> (tenantID: Int64, settings: PaymentSettings)? {
        try await database.read { db in
            guard let id = try db.queryOne("SELECT id FROM tenants WHERE slug = ?", tenantSlug, map: { $0.int64(0) }) else { return nil }
            return (id, try Self.paymentSettings(db, tenantID: id))
        }
    }

    public func updatePaymentSettings(tenantID: Int64, _ settings: PaymentSettings) async throws -> PaymentSettings {
        let now = clock.now()
        let secrets = String(decoding: try JSONEncoder().encode(settings.webhookSecrets), as: UTF8.self)
        return try await database.write { db in
            try db.execute("UPDATE tenants SET plan = ? WHERE id = ?", settings.plan.rawValue, tenantID)
            guard db.changes == 1 else { throw BillingError.notFound("tenant") }
            try db.execute("""
                INSERT INTO tenant_payment_settings (tenant_id, secret_key, webhook_secrets, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET secret_key = excluded.secret_key, webhook_secrets = excluded.webhook_secrets,
                    updated_at = excluded.updated_at
                """, tenantID, settings.secretKey, secrets, now)
            return try Self.paymentSettings(db, tenantID: tenantID)
        }
    }

    // MARK: Checkout sessions

    public func recordCheckoutSession(tenantID: Int64, invoiceID: Int64, sessionID: String, amount: Int64, currency: String,
                                      expiresAt: Date) async throws {
        let now = clock.now()
        try await database.write { db in
            try db.execute("""
                INSERT INTO checkout_sessions (tenant_id, invoice_id, session_id, amount, currency, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, session_id) DO NOTHING
                """, tenantID, invoiceID, sessionID, amount, currency, now, expiresAt)
        }
    }

    public func checkoutSession(_ sessionID: String) async throws -> CheckoutRecord? {
        try await database.read { db in
            let matches = try db.query("""
                SELECT c.tenant_id, c.invoice_id, i.public_id, i.number, t.name, c.amount, c.currency, c.created_at,
                       (SELECT state FROM payments p WHERE p.tenant_id = c.tenant_id AND p.provider = ? AND p.session_id = c.session_id)
                FROM checkout_sessions c JOIN invoices i ON i.id = c.invoice_id AND i.tenant_id = c.tenant_id JOIN tenants t ON t.id = c.tenant_id
                WHERE c.session_id = ? LIMIT 2
                """, Self.provider, sessionID) { row in
                CheckoutRecord(tenantID: row.int64(0), invoiceID: row.int64(1), invoicePublicID: row.string(2), invoiceNumber: row.string(3),
                               vendorName: row.string(4), amount: row.int64(5), currency: row.string(6), createdAt: row.date(7),
                               paymentState: row.optionalString(8).flatMap(PaymentState.init(rawValue:)))
            }
            return matches.count == 1 ? matches[0] : nil
        }
    }

    public func openCheckoutSessions(tenantID: Int64, invoiceID: Int64, except: String) async throws -> [String] {
        try await database.read { db in
            try db.query("""
                SELECT session_id FROM checkout_sessions WHERE tenant_id = ? AND invoice_id = ? AND status = 'open' AND session_id != ? ORDER BY id
                """, tenantID, invoiceID, except) { $0.string(0) }
        }
    }

    public func closeCheckoutSession(tenantID: Int64, sessionID: String, completed: Bool) async throws {
        try await database.write { db in
            try db.execute("UPDATE checkout_sessions SET status = ? WHERE tenant_id = ? AND session_id = ? AND status = 'open'",
                           completed ? "complete" : "expired", tenantID, sessionID)
        }
    }

    // MARK: Provider events

    public func receiveProviderEvent(tenantID: Int64, eventID: String, type: String, payload: [UInt8]) async throws -> Bool {
        let now = clock.now()
        return try await database.write { [self] db in
            guard let row = try db.queryOne("""
                INSERT INTO provider_events (tenant_id, provider, event_id, type, payload, received_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, provider, event_id) DO NOTHING
                RETURNING id
                """, tenantID, Self.provider, eventID, type, payload, now, map: { $0.int64(0) }) else { return false }
            _ = try jobs.enqueue([NewJob(BillingJob.applyPaymentEvent, ApplyPaymentEvent(eventRowId: row))], in: db)
            return true
        }
    }

    public func providerEvent(rowID: Int64) async throws -> StoredProviderEvent? {
        try await database.read { db in
            try db.queryOne("""
                SELECT e.id, e.tenant_id, t.slug, e.provider, e.event_id, e.type, e.payload, e.applied_at IS NOT NULL
                FROM provider_events e JOIN tenants t ON t.id = e.tenant_id WHERE e.id = ?
                """, rowID) { row in
                StoredProviderEvent(rowID: row.int64(0), tenantID: row.int64(1), tenantSlug: row.string(2), provider: row.string(3),
                                    eventID: row.string(4), type: row.string(5), payload: row.blob(6), applied: row.bool(7))
            }
        }
    }

    public func settleProviderEvent(rowID: Int64, outcome: String) async throws {
        let now = clock.now()
        try await database.write { db in
            try db.execute("UPDATE provider_events SET applied_at = ?, outcome = ? WHERE id = ? AND applied_at IS NULL", now, outcome, rowID)
        }
    }

    public func applyLedgerChange(eventRowID: Int64, invoicePublicID: String, _ change: LedgerChange,
                                  beforeCommit: (@Sendable () -> Void)?) async throws -> EventOutcome {
        let now = clock.now()
        return try await database.write { [self] db in
            guard let event = try db.queryOne("SELECT tenant_id, event_id, applied_at FROM provider_events WHERE id = ?", eventRowID, map: {
                (tenantID: $0.int64(0), eventID: $0.string(1), applied: !$0.isNull(2))
            }) else { throw BillingError.notFound("provider event") }
            if event.applied { return .alreadyApplied }
            var ledger = Ledger(db: db, tenantID: event.tenantID, eventID: event.eventID, now: now)
            let outcome = try ledger.apply(change, invoicePublicID: invoicePublicID)
            if case .applied = outcome, let invoiceID = ledger.invoiceID {
                try enqueueRender(db, tenantID: event.tenantID, invoiceID: invoiceID, after: 5)
                for type in ledger.events {
                    try recordInvoiceEvent(db, tenantID: event.tenantID, invoiceID: invoiceID, type: type, withPayments: true)
                }
            }
            try db.execute("UPDATE provider_events SET applied_at = ?, outcome = ? WHERE id = ?", now, outcome.storedText, eventRowID)
            beforeCommit?()
            return outcome
        }
    }

    // MARK: Reading the ledger

    public func payments(tenantID: Int64, invoiceID: Int64) async throws -> [PaymentRecord] {
        try await database.read { db in try Self.payments(db, tenantID: tenantID, invoiceID: invoiceID) }
    }

    public func pendingPayments(tenantID: Int64, invoiceID: Int64) async throws -> Int64 {
        let amounts = try await database.read { db in
            try db.query("SELECT amount FROM payments WHERE tenant_id = ? AND invoice_id = ? AND state = 'pending'", tenantID, invoiceID) {
                $0.int64(0)
            }
        }
        return try MoneyArithmetic.sum(amounts, "money being processed")
    }

    public func paymentAudit(tenantID: Int64, invoiceID: Int64) async throws -> [PaymentAuditEntry] {
        try await database.read { db in
            try db.query("""
                SELECT at, event_id, action, amount, detail FROM payment_audit WHERE tenant_id = ? AND invoice_id = ? ORDER BY id
                """, tenantID, invoiceID) { row in
                PaymentAuditEntry(at: row.date(0), eventID: row.string(1), action: row.string(2), amount: row.optionalInt64(3),
                                  detail: row.optionalString(4))
            }
        }
    }
}
