import Billing
import BillportCore
import Foundation
import Queue
import SQLite

/// What every SQLite billing store shares: one database, one clock, and the queue that the
/// stores' writes enqueue their follow-up jobs into, in the same transaction.
public struct SQLiteStoreContext: Sendable {
    public let database: Database
    public let clock: any WallClock
    public let jobs: SQLiteJobStore

    public init(database: Database, clock: any WallClock, jobs: SQLiteJobStore) {
        self.database = database
        self.clock = clock
        self.jobs = jobs
    }
}

/// A billing store on SQLite: the shared context, and the row readers and follow-up jobs that
/// several aggregates need inside their own transactions.
protocol SQLiteStore {
    var context: SQLiteStoreContext { get }
}

extension SQLiteStore {
    var database: Database { context.database }
    var clock: any WallClock { context.clock }
    var jobs: SQLiteJobStore { context.jobs }

    /// The provider whose payments the ledger records.
    static var provider: String { "stripe" }

    /// Enqueues a (re)render of the invoice's PDF in the caller's transaction, so the cache is
    /// warm when a buyer opens the link. One pending render per invoice; `after` delays it, so
    /// that a burst of changes (payment events) renders once.
    func enqueueRender(_ db: Connection, tenantID: Int64, invoiceID: Int64, after delay: TimeInterval = 0) throws {
        _ = try jobs.enqueue([NewJob(BillingJob.renderPDF, RenderPDF(tenantId: tenantID, invoiceId: invoiceID),
                                     runAt: delay > 0 ? clock.now().addingTimeInterval(delay) : nil,
                                     uniqueKey: "\(BillingJob.renderPDF.name):\(invoiceID)")], in: db)
    }
}
