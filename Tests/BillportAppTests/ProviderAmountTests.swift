import BillportCore
import Foundation
import Portal
import Queue
import Scheduler
import SQLite
import TestSupport
import Testing

/// A tenant signs its own webhook events, so an event may carry any amount: a real
/// `billport worker` ignores amounts no invoice can hold and keeps applying the next events.
@Suite struct ProviderAmountTests {
    let billport = ChildProcess.builtProduct("billport")

    static func completedEvent(id: String, session: String, invoice: String, amount: String) -> [UInt8] {
        Array("""
            {"id": "\(id)", "object": "event", "type": "checkout.session.completed", "created": 1764000000, "livemode": false,
             "data": {"object": {"id": "\(session)", "object": "checkout.session", "payment_status": "paid", "status": "complete",
              "amount_total": \(amount), "currency": "eur", "metadata": {"tenant": "acme", "invoice": "\(invoice)"},
              "payment_intent": "pi_\(session)", "created": 1764000000, "expires_at": 1764086400, "livemode": false, "url": null}}}
            """.utf8)
    }

    @Test func aWorkerIgnoresPaymentsOfAmountsNoInvoiceCanHoldAndAppliesTheNextEvent() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("billport.sqlite")
        let database = try Database(path: path)
        try Migrator.migrate(database, migrations: QueueSchema.migrations + SchedulerSchema.migrations + PortalSchema.migrations)
        let store = SQLitePortalStore(database: database, jobs: SQLiteJobStore(database: database))
        let fixture = try await PortalFixture(store: store)
        let invoice = try await store.issue(tenantID: fixture.tenant.id, id: fixture.invoice.id)
        // Two checkouts of Int64.max each would overflow the invoice's sum of payments.
        let events = [
            ("evt_huge_1", Self.completedEvent(id: "evt_huge_1", session: "cs_huge_1", invoice: invoice.publicID, amount: String(Int64.max))),
            ("evt_huge_2", Self.completedEvent(id: "evt_huge_2", session: "cs_huge_2", invoice: invoice.publicID, amount: String(Int64.max))),
            ("evt_negative", Self.completedEvent(id: "evt_negative", session: "cs_negative", invoice: invoice.publicID, amount: "-5000")),
            ("evt_real", Self.completedEvent(id: "evt_real", session: "cs_real", invoice: invoice.publicID, amount: String(invoice.totals.total))),
        ]
        for (id, payload) in events {
            #expect(try await store.receiveProviderEvent(tenantID: fixture.tenant.id, eventID: id, type: "checkout.session.completed",
                                                         payload: payload))
        }

        let worker = try ChildProcess(billport, ["worker"], directory: dir.path,
                                      environment: ["BILLPORT_DATABASE_PATH": path, "BILLPORT_LOG_LEVEL": "info"], name: "worker")
        func count(_ sql: String) async throws -> Int { try await database.read { db in try db.queryOne(sql) { $0.int(0) } ?? -1 } }
        try await eventually(timeout: .seconds(30), "every event settled by a live worker") {
            #expect(worker.isRunning, "the worker died: \(worker.stderr.suffix(500))")
            return try await count("SELECT count(*) FROM provider_events WHERE applied_at IS NOT NULL") == events.count || !worker.isRunning
        }
        #expect(try await count("SELECT count(*) FROM provider_events WHERE outcome LIKE '%amount out of range%'") == 3)
        let settled = try #require(try await store.invoice(tenantID: fixture.tenant.id, id: invoice.id))
        #expect(settled.status == .paid)
        #expect(settled.amountPaid == invoice.totals.total)
        #expect(try await count("SELECT count(*) FROM payments") == 1)
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit(timeout: .seconds(30)) == 0)
    }
}
