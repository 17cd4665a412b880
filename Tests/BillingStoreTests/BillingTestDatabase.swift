import Billing
import BillingStore
import BillportCore
import Queue
import Relational
import TestSupport

/// A fresh database for one store test on the backend the run selected (`TestBackend`), with
/// the queue's and the billing schema and every billing store on it. The stores enqueue through
/// `SQLiteJobStore` on SQLite and through `TestJobStore` on PostgreSQL.
struct BillingTestDatabase {
    let test: TestDatabase
    let jobs: any TransactionalJobStore
    let stores: BillingStores

    /// The queue's and the billing migrations in both dialects.
    static let migrations = TestMigrations(sqlite: QueueSchema.migrations + BillingSchema.migrations,
                                           postgres: TestJobStore.postgresMigrations + BillingSchema.postgresMigrations)

    var database: any SQLDatabase { test.database }

    init(clock: any WallClock = SystemClock(), backend: TestBackend = .selected) throws {
        test = try TestDatabase(migrations: Self.migrations, backend: backend)
        if let sqlite = test.sqlite {
            jobs = SQLiteJobStore(database: sqlite, clock: clock)
        } else {
            jobs = TestJobStore(database: test.database, clock: clock)
        }
        stores = BillingStores.sql(BillingStoreContext(database: test.database, clock: clock, jobs: jobs))
    }
}
