import BillportCore
import Foundation
import Billing
import BillingFixtures
import BillingStore
import Queue
import Relational
import SQLite
import TestSupport
import Testing

/// `portal.010_payments_tenant_scoped_keys` on a database that already holds payments: every
/// row survives, and the same provider id may now exist once per tenant.
@Suite struct PaymentKeysMigrationTests {
    @Test func existingPaymentRowsSurviveAndKeysBecomePerTenant() async throws {
        let released = BillingSchema.migrations.filter { $0.id != "portal.010_payments_tenant_scoped_keys" }
        #expect(released.count == BillingSchema.migrations.count - 1)
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + released)
        let stores = BillingStores.sqlite(database: temp.database)
        let acme = try await BillingFixture(stores: stores)
        let (tenant, invoice) = (acme.tenant.id, acme.invoice.id)
        try await temp.database.write { db in
            try db.execute("INSERT INTO tenants (slug, name, created_at) VALUES ('globex', 'Globex', 0)")
            try db.execute("""
                INSERT INTO checkout_sessions (tenant_id, invoice_id, session_id, amount, currency, created_at, expires_at)
                VALUES (?, ?, 'cs_1', 100, 'EUR', 0, 0)
                """, tenant, invoice)
            try db.execute("""
                INSERT INTO provider_events (tenant_id, provider, event_id, type, payload, received_at, applied_at, outcome)
                VALUES (?, 'stripe', 'evt_1', 'checkout.session.completed', x'7b7d', 0, 1, 'done')
                """, tenant)
            try db.execute("""
                INSERT INTO payments (tenant_id, invoice_id, provider, session_id, payment_intent, amount, currency, state, excess, created_at, updated_at)
                VALUES (?, ?, 'stripe', 'cs_1', 'pi_1', 100, 'EUR', 'succeeded', 0, 0, 0)
                """, tenant, invoice)
            try db.execute("""
                INSERT INTO charge_refunds (provider, charge_id, tenant_id, payment_intent, refunded_total, updated_at)
                VALUES ('stripe', 'ch_1', ?, 'pi_1', 40, 0)
                """, tenant)
        }
        _ = try Migrator.migrate(temp.database, migrations: QueueSchema.migrations + BillingSchema.migrations)

        let payments = try await stores.payments.payments(tenantID: tenant, invoiceID: invoice)
        #expect(payments.map(\.sessionID) == ["cs_1"])
        #expect(payments.first?.refunded == 40)
        #expect(try await stores.payments.checkoutSession("cs_1")?.amount == 100)
        let globex = try #require(try await stores.tenants.tenant(slug: "globex")).id
        try await temp.database.write { db in
            try db.execute("""
                INSERT INTO provider_events (tenant_id, provider, event_id, type, payload, received_at) VALUES (?, 'stripe', 'evt_1', 't', x'7b7d', 0)
                """, globex)
            try db.execute("""
                INSERT INTO charge_refunds (provider, charge_id, tenant_id, payment_intent, refunded_total, updated_at)
                VALUES ('stripe', 'ch_1', ?, 'pi_1', 1, 0)
                """, globex)
        }
        #expect(try await stores.payments.payments(tenantID: tenant, invoiceID: invoice).first?.refunded == 40, "another tenant's charge never counts")
        await #expect(throws: (any Error).self) {
            try await temp.database.write { db in
                try db.execute("""
                    INSERT INTO provider_events (tenant_id, provider, event_id, type, payload, received_at) VALUES (?, 'stripe', 'evt_1', 't', x'7b7d', 0)
                    """, tenant)
            }
        }
        let status = try await temp.database.read { db in
            try db.queryOne("SELECT status FROM checkout_sessions WHERE session_id = 'cs_1'") { $0.string(0) }
        }
        #expect(status == "open")
    }
}
