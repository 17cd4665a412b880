import Billing
import BillportCore
import Queue
import SQLite

extension BillingStores {
    /// Every billing store on the SQLite `database`, enqueueing into `jobs` (on the same file).
    public static func sqlite(_ context: SQLiteStoreContext) -> BillingStores {
        BillingStores(tenants: SQLiteTenantStore(context), customers: SQLiteCustomerStore(context), invoices: SQLiteInvoiceStore(context),
                      links: SQLiteLinkStore(context), documents: SQLiteDocumentStore(context), emails: SQLiteEmailStore(context),
                      payments: SQLitePaymentStore(context), salesOrders: SQLiteSalesOrderStore(context), views: SQLiteViewStore(context),
                      webhookEndpoints: SQLiteWebhookEndpointStore(context), idempotency: SQLiteIdempotencyStore(context),
                      database: SQLiteBillingDatabase(database: context.database))
    }

    /// Every billing store on `database`, enqueueing through a job store of its own with the
    /// default queue settings (tools, benchmarks and tests; a server passes its one job store).
    public static func sqlite(database: Database, clock: any WallClock = SystemClock()) -> BillingStores {
        sqlite(jobs: SQLiteJobStore(database: database, clock: clock), clock: clock)
    }

    /// Every billing store on `jobs`' database.
    public static func sqlite(jobs: SQLiteJobStore, clock: any WallClock) -> BillingStores {
        sqlite(SQLiteStoreContext(database: jobs.database, clock: clock, jobs: jobs))
    }
}

/// The SQLite file as a whole.
struct SQLiteBillingDatabase: BillingDatabase {
    let database: Database

    func ping() async throws {
        try await database.read { db in _ = try db.queryOne("SELECT 1") { $0.int(0) } }
    }

    var commitCount: UInt64 { database.commitCount }
}

extension BuyerVisibility {
    /// `BuyerVisibility` as an SQL condition on the `invoices` row named `alias`.
    static func condition(_ alias: String) -> String {
        "\(alias).type = 'AR' AND \(alias).issued_at IS NOT NULL"
    }
}
