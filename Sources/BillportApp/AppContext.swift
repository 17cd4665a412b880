import BillportCore
import Foundation
import Queue
import Scheduler
import SQLite
import Worker

/// What every command shares: the validated configuration, the logger, and how to open the
/// database with every module's migrations applied.
struct AppContext {
    let configuration: BillportConfiguration
    let logger: Logger
    let clock: any WallClock = SystemClock()

    /// Every module's migrations, in the order they apply.
    static let migrations = QueueSchema.migrations + SchedulerSchema.migrations

    /// Opens the database file, creating the data directory (mode 0700: it will hold secrets).
    func openDatabase() throws -> Database {
        let directory = (configuration.databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StartupError("cannot create the data directory \(directory): \(error.localizedDescription)")
            }
        }
        let database: Database
        do {
            database = try Database(path: configuration.databasePath, configuration: configuration.database)
        } catch {
            throw StartupError("cannot open the database \(configuration.databasePath): \(error)")
        }
        do {
            let applied = try Migrator.migrate(database, migrations: Self.migrations, now: clock.now())
            if !applied.isEmpty { logger.info("database migrated", ["applied": applied.joined(separator: ",")]) }
        } catch {
            throw StartupError("cannot migrate the database \(configuration.databasePath): \(error)")
        }
        return database
    }

    func jobStore(_ database: Database) -> SQLiteJobStore {
        SQLiteJobStore(database: database, configuration: configuration.queue, clock: clock)
    }

    /// Handlers this build knows. Later modules (pdf, email, payments) register theirs here.
    func handlers(store: SQLiteJobStore) -> JobHandlers {
        var handlers = JobHandlers()
        handlers.registerBuiltins(store: store, configuration: configuration.queue)
        return handlers
    }

    func workerPool(store: SQLiteJobStore) -> WorkerPool {
        WorkerPool(store: store, handlers: handlers(store: store), configuration: configuration.worker,
                   retryPolicy: configuration.queue.retry, clock: clock, logger: logger)
    }

    func scheduler(store: SQLiteJobStore) -> SchedulerService {
        SchedulerService(store: SQLiteScheduleStore(jobs: store), configuration: configuration.scheduler, clock: clock, logger: logger)
    }
}

/// A failure before any work starts (database, data directory): one line, exit status 1.
struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
