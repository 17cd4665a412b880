import Billing
import BillingStore
import BillportCore
import Foundation
import PostgreSQL
import Queue
import Relational
import Scheduler
import SQLite

/// The database the configuration selected, opened with every migration applied.
enum AppStorage {
    case sqlite(Database)
    case postgres(PostgresDatabase)

    /// The backend-neutral database the stores run on.
    var database: any SQLDatabase {
        switch self {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    /// The job store on this database, into which the billing stores enqueue in their own
    /// transactions.
    func jobStore(configuration: QueueConfiguration, clock: any WallClock) -> any SQLJobStore {
        switch self {
        case .sqlite(let database): SQLiteJobStore(database: database, configuration: configuration, clock: clock)
        case .postgres(let database): PostgresJobStore(database: database, configuration: configuration, clock: clock)
        }
    }

    /// The storage a job store's database is.
    init(_ database: any SQLDatabase) {
        if let postgres = database as? PostgresDatabase { self = .postgres(postgres) } else { self = .sqlite(database as! Database) }
    }

    /// Where generated keys live: per host on SQLite (the data directory, as before), shared by
    /// every host on PostgreSQL (the `secrets` table).
    func secrets(dataDirectory: String) -> Secrets.Store {
        switch self {
        case .sqlite: .directory(dataDirectory)
        case .postgres(let database): .database(database)
        }
    }
}

extension AppContext {
    /// Every module's PostgreSQL migrations, in the order they apply.
    static let postgresMigrations: [Migration] = QueueSchema.postgresMigrations + SchedulerSchema.postgresMigrations
        + BillingSchema.postgresMigrations + AppSchema.postgresMigrations

    /// Opens the configured database and applies pending migrations.
    func openStorage() throws -> AppStorage {
        switch configuration.databaseSelection {
        case .sqlite: .sqlite(try openDatabase())
        case .postgres(let target): .postgres(try openPostgres(target))
        }
    }

    /// Connects to `target` (once, to check it answers) and applies `migrations`. Errors name
    /// the target without user or password; libpq's messages are scrubbed of the password.
    func openPostgres(_ target: PostgresTarget, migrations: [Migration] = Self.postgresMigrations) throws -> PostgresDatabase {
        let database: PostgresDatabase
        do {
            database = try PostgresDatabase(target.connectionString, maximumConnections: target.maximumConnections)
        } catch {
            throw StartupError("cannot connect to \(target): \(error)")
        }
        do {
            let applied = try Migrator.migrate(database, migrations: migrations, now: clock.now())
            if !applied.isEmpty { logger.info("database migrated", ["database": "\(target)", "applied": applied.joined(separator: ",")]) }
        } catch {
            throw StartupError("cannot migrate \(target): \(error)")
        }
        return database
    }

    /// Where generated keys live, opening the database only when they live there.
    func openSecretsStore() throws -> Secrets.Store {
        switch configuration.databaseSelection {
        case .sqlite: .directory(configuration.dataDirectory)
        case .postgres: try openStorage().secrets(dataDirectory: configuration.dataDirectory)
        }
    }

    /// The configured database's job store, for a one-shot command or a process's services.
    func openJobStore() throws -> any SQLJobStore {
        try openStorage().jobStore(configuration: configuration.queue, clock: clock)
    }

    /// Stops a command that runs on SQLite alone when PostgreSQL is configured, saying why.
    func requireSQLite(_ command: String, onPostgres advice: String) throws {
        guard case .postgres(let target) = configuration.databaseSelection else { return }
        throw StartupError("billport \(command) is for SQLite; Billport is configured for PostgreSQL (\(target)): \(advice)")
    }
}
