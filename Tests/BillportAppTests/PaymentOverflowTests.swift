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

/// Events a tenant signs itself with amounts near Int64's limit, applied by a real
/// `billport worker`: refused with a reason, and the worker keeps serving every tenant.
@Suite(.serialized) struct PaymentOverflowTests {
    let billport = ChildProcess.builtProduct("billport")

    @Test func twoHugeEventsAreRefusedAndTheWorkerKeepsServingOtherTenants() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("billport.sqlite")
        let database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + BillingSchema.migrations)
        let stores = BillingStores.sqlite(database: database)
        let acme = try await BillingFixture(stores: stores)
        let attacked = try await stores.invoices.issue(tenantID: acme.tenant.id, id: acme.invoice.id)
        let expires = Date().addingTimeInterval(86_400)
        // Both sessions were opened by Billport, each for 5·10¹⁸: the sum is beyond Int64.
        for index in 1...2 {
            try await stores.payments.recordCheckoutSession(tenantID: acme.tenant.id, invoiceID: attacked.id, sessionID: "cs_test_huge\(index)",
                                                  amount: 5_000_000_000_000_000_000, currency: "EUR", expiresAt: expires)
            let payload = Array(StripeEvents.checkoutCompleted(id: "evt_huge_\(index)", session: "cs_test_huge\(index)", tenant: "acme",
                                                               invoice: attacked.publicID, amount: 5_000_000_000_000_000_000).utf8)
            #expect(try await stores.payments.receiveProviderEvent(tenantID: acme.tenant.id, eventID: "evt_huge_\(index)",
                                                         type: "checkout.session.completed", payload: payload))
        }
        // Another tenant's genuine payment, queued behind them.
        let globex = try await stores.tenants.createTenant(slug: "globex", name: "Globex")
        let buyer = try await stores.customers.createCustomer(tenantID: globex.id, name: "Hank", email: "hank@example.com", preferences: .init())
        let draft = try InvoiceDraft.validate(try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data("""
            {"customerId": \(buyer.id), "number": "G-1", "currency": "EUR", "issueDate": "2026-11-01", "dueDate": "2026-12-01",
             "lines": [{"description": "x", "quantity": 1, "unitPrice": 5000}]}
            """.utf8)))
        let created = try await stores.invoices.createInvoice(tenantID: globex.id, draft: draft)
        let genuine = try await stores.invoices.issue(tenantID: globex.id, id: created.id)
        try await stores.payments.recordCheckoutSession(tenantID: globex.id, invoiceID: genuine.id, sessionID: "cs_test_globex", amount: 5000,
                                              currency: "EUR", expiresAt: expires)
        #expect(try await stores.payments.receiveProviderEvent(tenantID: globex.id, eventID: "evt_globex", type: "checkout.session.completed",
                                                     payload: Array(StripeEvents.checkoutCompleted(id: "evt_globex", session: "cs_test_globex",
                                                                                                    tenant: "globex", invoice: genuine.publicID,
                                                                                                    amount: 5000).utf8)))

        let environment = ["BILLPORT_DATABASE_PATH": path, "BILLPORT_LOG_LEVEL": "info", "BILLPORT_QUEUE_LEASE": "2s",
                           "BILLPORT_WORKER_QUEUES": "default=1"]
        let worker = try ChildProcess(billport, ["worker"], directory: dir.path, environment: environment, name: "worker")
        func outcome(_ eventID: String) async throws -> String? {
            try await database.read { db in try db.queryOne("SELECT outcome FROM provider_events WHERE event_id = ?", eventID) { $0.optionalString(0) } ?? nil }
        }
        // Done, not dead: each job finished with its event settled (a crash would retry it).
        try await eventually(timeout: .seconds(30), "every payment job to be done") {
            guard worker.isRunning else { throw WorkerDied(stderr: worker.stderr) }
            return try await database.read { db in
                try db.queryOne("SELECT count(*) FROM jobs WHERE kind = 'payment.event' AND state = 'done'") { $0.int(0) } ?? 0
            } == 3
        }
        #expect(worker.isRunning)
        for index in 1...2 {
            #expect(try await outcome("evt_huge_\(index)")
                    == "ignored: checkout cs_test_huge\(index): amount 5000000000000000000 is outside 0…1000000000000000")
        }
        let untouched = try #require(try await stores.invoices.invoice(tenantID: acme.tenant.id, id: attacked.id))
        #expect(untouched.status == .issued)
        #expect(untouched.amountPaid == 0)
        let paid = try #require(try await stores.invoices.invoice(tenantID: globex.id, id: genuine.id))
        #expect(paid.status == .paid)
        #expect(try await outcome("evt_globex")?.contains("status paid") == true)
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit(timeout: .seconds(30)) == 0)
    }
}

private struct WorkerDied: Error, CustomStringConvertible {
    let stderr: String
    var description: String { "the worker died: \(stderr)" }
}
