import Billing
import BillportCore
import Queue
import Relational
import SQLite

extension BillingStores {
    /// Every billing store on the context's database, enqueueing into its job store.
    public static func sql(_ context: BillingStoreContext) -> BillingStores {
        BillingStores(tenants: SQLTenantStore(context), customers: SQLCustomerStore(context), invoices: SQLInvoiceStore(context),
                      links: SQLLinkStore(context), documents: SQLDocumentStore(context), emails: SQLEmailStore(context),
                      payments: SQLPaymentStore(context), salesOrders: SQLSalesOrderStore(context), views: SQLViewStore(context),
                      webhookEndpoints: SQLWebhookEndpointStore(context), idempotency: SQLIdempotencyStore(context),
                      database: SQLBillingDatabase(database: context.database))
    }


    /// Every billing store on `database`, enqueueing through a job store of its own with the
    /// default queue settings (tools, benchmarks and tests; a server passes its one job store).
    public static func sqlite(database: Database, clock: any WallClock = SystemClock()) -> BillingStores {
        sqlite(jobs: SQLiteJobStore(database: database, clock: clock), clock: clock)
    }

    /// Every billing store on `jobs`' database.
    public static func sqlite(jobs: SQLiteJobStore, clock: any WallClock) -> BillingStores {
        sql(BillingStoreContext(database: jobs.database, clock: clock, jobs: jobs))
    }
}

/// The database as a whole.
struct SQLBillingDatabase: BillingDatabase {
    let database: any SQLDatabase

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
