import Billing
import BillportCore
import Foundation
import Queue
import Relational

/// What every billing store shares: one database (SQLite or PostgreSQL), one clock, and the
/// queue on that same database that the stores' writes enqueue their follow-up jobs into, in
/// the same transaction.
public struct BillingStoreContext: Sendable {
    public let database: any SQLDatabase
    public let clock: any WallClock
    public let jobs: any TransactionalJobStore

    /// `jobs` must keep its jobs in `database`: enqueues join the stores' transactions.
    public init(database: any SQLDatabase, clock: any WallClock, jobs: any TransactionalJobStore) {
        self.database = database
        self.clock = clock
        self.jobs = jobs
    }
}

/// A billing store written once in the SQL both backends speak: the shared context, and the
/// row readers and follow-up jobs that several aggregates need inside their own transactions.
protocol SQLStore {
    var context: BillingStoreContext { get }
}

extension SQLStore {
    var database: any SQLDatabase { context.database }
    var clock: any WallClock { context.clock }
    var jobs: any TransactionalJobStore { context.jobs }

    /// The provider whose payments the ledger records.
    static var provider: String { "stripe" }

    /// Enqueues a (re)render of the invoice's PDF in the caller's transaction, so the cache is
    /// warm when a buyer opens the link. One pending render per invoice; `after` delays it, so
    /// that a burst of changes (payment events) renders once.
    func enqueueRender(_ db: any SQLConnection, tenantID: Int64, invoiceID: Int64, after delay: TimeInterval = 0) throws {
        _ = try jobs.enqueue([NewJob(BillingJob.renderPDF, RenderPDF(tenantId: tenantID, invoiceId: invoiceID),
                                     runAt: delay > 0 ? clock.now().addingTimeInterval(delay) : nil,
                                     uniqueKey: "\(BillingJob.renderPDF.name):\(invoiceID)")], in: db)
    }
}
