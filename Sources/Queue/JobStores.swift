import BillportCore
import PostgreSQL
import Relational
import SQLite

/// Picks the job store for a database, so that wiring and tests need not know the backend.
public enum JobStores {
    /// A database that is neither SQLite's `Database` nor `PostgresDatabase`.
    public struct UnsupportedDatabase: Error, CustomStringConvertible {
        public let description: String
    }

    /// The job store on `database`: `SQLiteJobStore` or `PostgresJobStore`.
    public static func store(on database: any SQLDatabase, configuration: QueueConfiguration = .init(),
                             clock: any WallClock = SystemClock(), notifier: JobNotifier = JobNotifier()) throws -> any SQLJobStore {
        if let sqlite = database as? Database {
            return SQLiteJobStore(database: sqlite, configuration: configuration, clock: clock, notifier: notifier)
        }
        if let postgres = database as? PostgresDatabase {
            return PostgresJobStore(database: postgres, configuration: configuration, clock: clock, notifier: notifier)
        }
        throw UnsupportedDatabase(description: "no job store for \(type(of: database))")
    }

    /// The queue's migrations for `dialect`.
    public static func migrations(for dialect: SQLDialect) -> [Migration] {
        dialect == .sqlite ? QueueSchema.migrations : QueueSchema.postgresMigrations
    }
}
