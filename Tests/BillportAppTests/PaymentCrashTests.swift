import BillportCore
import Foundation
import Billing
import BillingFixtures
import BillingStore
import Queue
import Scheduler
import Relational
import SQLite
import TestSupport
import Testing

/// A real `billport worker` killed while it applies a payment event: the next worker applies
/// it, and the payment counts exactly once.
@Suite(.serialized) struct PaymentCrashTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func aWorkerKilledMidApplyLeavesNothingAndTheRetryCountsThePaymentOnce() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("billport.sqlite")
        let database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let jobs = SQLiteJobStore(database: database)
        let stores = BillingStores.sqlite(jobs: jobs, clock: SystemClock())
        let fixture = try await BillingFixture(stores: stores)
        let invoice = try await stores.invoices.issue(tenantID: fixture.tenant.id, id: fixture.invoice.id)
        try await stores.payments.recordCheckoutSession(tenantID: fixture.tenant.id, invoiceID: invoice.id, sessionID: "cs_test_crash",
                                              amount: invoice.totals.total, currency: "EUR", expiresAt: Date().addingTimeInterval(86_400))
        let payload = Array(StripeEvents.checkoutCompleted(id: "evt_crash_1", session: "cs_test_crash", tenant: "acme", invoice: invoice.publicID, amount: invoice.totals.total).utf8)
        #expect(try await stores.payments.receiveProviderEvent(tenantID: fixture.tenant.id, eventID: "evt_crash_1", type: "checkout.session.completed",
                                                     payload: payload))

        let environment = ["BILLPORT_DATABASE_PATH": path, "BILLPORT_LOG_LEVEL": "info", "BILLPORT_QUEUE_LEASE": "2s",
                           "BILLPORT_WORKER_QUEUES": "default=2"]
        let paused = try ChildProcess(billport, ["worker"], directory: dir.path,
                                      environment: environment.merging(["BILLPORT_DIAG_PAYMENT_APPLY_PAUSE": "60s"]) { $1 }, name: "paused")
        // Inside the transaction: the job is running and the worker holds the write lock.
        let probe = try Database(path: path, configuration: .init(busyTimeout: .milliseconds(50)))
        try await eventually(timeout: .seconds(20), "the worker to be inside the payment transaction") {
            let running = try await database.read { db in
                try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'payment.event' AND state = 'running'") { $0.int(0) } ?? 0
            }
            guard running == 1 else { return false }
            do {
                try await probe.write { db in try db.execute("UPDATE tenants SET name = name WHERE id = -1") }
                return false
            } catch {
                return true
            }
        }
        paused.send(SIGKILL)
        _ = try await paused.waitForExit(timeout: .seconds(10))

        func count(_ sql: String) async throws -> Int { try await database.read { db in try db.queryOne(sql) { $0.int(0) } ?? -1 } }
        #expect(try await count("SELECT count(*) FROM payments") == 0, "the killed transaction left nothing")
        #expect(try await count("SELECT count(*) FROM provider_events WHERE applied_at IS NULL") == 1)

        let survivor = try ChildProcess(billport, ["worker"], directory: dir.path, environment: environment, name: "survivor")
        try await eventually(timeout: .seconds(30), "the event to be applied after the lease ran out") {
            try await count("SELECT count(*) FROM provider_events WHERE applied_at IS NOT NULL") == 1
        }
        let settled = try #require(try await stores.invoices.invoice(tenantID: fixture.tenant.id, id: invoice.id))
        #expect(settled.status == .paid)
        #expect(settled.amountPaid == invoice.totals.total)
        #expect(try await count("SELECT count(*) FROM payments") == 1)
        #expect(try await count("SELECT count(*) FROM payment_audit WHERE action = 'payment_succeeded'") == 1)
        #expect(try await count("SELECT attempts FROM jobs WHERE kind = 'payment.event'") == 2)
        survivor.send(SIGTERM)
        #expect(try await survivor.waitForExit(timeout: .seconds(30)) == 0)
    }
}
