import BillportCore
import Documents
import Foundation
import Billing
import BillingJobs
import BillingFixtures
import BillingStore
import Queue
import Relational
import SQLite
import Synchronization
import TestSupport
import Testing
import Worker

final class CountingRenderer: InvoiceRenderer {
    let count = Mutex(0)
    func render(_ sheet: InvoiceSheet) throws -> [UInt8] {
        count.withLock { $0 += 1 }
        return Array("%PDF-test \(sheet.invoice.number)".utf8)
    }
}

@Suite struct DocumentHandlerTests {
    @Test func issuingAnInvoiceRendersItsPDFThroughTheQueue() async throws {
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + BillingSchema.migrations)
        let jobs = SQLiteJobStore(database: temp.database)
        let stores = BillingStores.sqlite(jobs: jobs, clock: SystemClock())
        var handlers = JobHandlers()
        handlers.registerDocuments(pdfs: InvoicePDFService(store: stores.documents, renderer: CountingRenderer()))
        let pool = WorkerPool(store: jobs, handlers: handlers, configuration: .init(queues: ["default": 2]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let running = Task { try await pool.run(until: shutdown) }

        let fixture = try await BillingFixture(stores: stores)
        let (tenant, draft) = (fixture.tenant, fixture.invoice)
        #expect(try await jobs.stats().total(.ready) == 0) // drafts render nothing
        _ = try await stores.invoices.issue(tenantID: tenant.id, id: draft.id)
        try await eventually("the render job to finish") { try await jobs.stats().total(.done) == 1 }
        let cached = try await temp.database.read { db in try db.queryOne("SELECT pdf FROM pdf_cache WHERE invoice_id = ?", draft.id) { $0.blob(0) } }
        #expect(cached.map { String(decoding: $0, as: UTF8.self) } == "%PDF-test A-1")
        shutdown.trigger()
        try await running.value
    }

    @Test func aRenderForAMissingInvoiceIsDeadWithItsReason() async throws {
        let temp = try TemporaryDatabase(migrations: QueueSchema.migrations + BillingSchema.migrations)
        let jobs = SQLiteJobStore(database: temp.database)
        var handlers = JobHandlers()
        handlers.registerDocuments(pdfs: InvoicePDFService(store: BillingStores.sqlite(database: temp.database).documents, renderer: CountingRenderer()))
        let pool = WorkerPool(store: jobs, handlers: handlers, configuration: .init(queues: ["default": 2]), logger: .disabled)
        let shutdown = ShutdownSignal()
        let running = Task { try await pool.run(until: shutdown) }
        let id = try await jobs.enqueue(NewJob(kind: "pdf.render", payloadJSON: #"{"tenantId": 9, "invoiceId": 99}"#)).id
        try await eventually("the job to die") { try await jobs.job(id: id)?.state == .dead }
        #expect(try await jobs.job(id: id)?.lastError == "invoice 99 of tenant 9 does not exist")
        shutdown.trigger()
        try await running.value
    }
}
