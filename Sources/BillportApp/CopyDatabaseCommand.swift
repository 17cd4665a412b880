import BillportCore
import Foundation
import Relational
import SQLite

/// `copy-database`: moves a SQLite installation onto PostgreSQL.
enum CopyDatabaseCommand {
    static let all: [Command] = [command]

    static let command = Command(
        words: ["copy-database"], summary: "copy the SQLite database into an empty PostgreSQL database and verify it",
        spec: CommandSpec(command: "billport copy-database", options: ["to", "from", "batch"]), help: """
            Usage: billport copy-database [--to postgres://…] [--from PATH] [--batch ROWS] [--config PATH]

            Copies a SQLite installation into an empty PostgreSQL database: migrates the target
            (--to, else the configured database.url), refuses it if any table has a row, then
            copies every table in foreign-key order in one transaction (multi-row INSERTs of
            --batch rows, default 500, at most 10000), sets every id sequence past the largest id,
            and verifies each table: row count and a SHA-256 over its rows in key order, computed
            the same way on both sides. Prints TABLE ROWS CHECKSUM OK and exits 1 on any mismatch.

            The source (--from, else database.path) is read in one read transaction, so a live
            database is copied as of one commit: writes made after that are not copied (stop
            serve, api, workers and scheduler first for a move). The keys generated into
            <dataDirectory>/secrets/ (jwt.key, unsubscribe.key) are first recorded in the
            SQLite file's secrets table and travel with the copy, so tokens and unsubscribe links
            stay valid on PostgreSQL. The URL's password is never printed; a password on the
            command line is visible to other local users (ps): prefer BILLPORT_DATABASE_URL.
            """) { arguments, context, console in
            let usage = "billport copy-database"
            let target = try targetOption(arguments.option("to"), context: context, usage: usage)
            let batch = try arguments.option("batch").map { text throws(UsageError) in
                guard let rows = Int(text), (1...10_000).contains(rows) else {
                    throw UsageError(command: usage, message: "--batch must be a whole number of rows from 1 to 10000 (got '\(text)')")
                }
                return rows
            } ?? 500
            let sourcePath = arguments.option("from") ?? context.configuration.databasePath
            guard FileManager.default.fileExists(atPath: sourcePath) else { throw StartupError("no SQLite database at \(sourcePath)") }
            let source: Database
            do {
                source = try Database(path: sourcePath, configuration: context.configuration.database)
                try Migrator.migrate(source, migrations: AppContext.migrations, now: context.clock.now())
                try recordGeneratedSecrets(in: source, dataDirectory: context.configuration.dataDirectory, now: context.clock.now())
            } catch let error as StartupError {
                throw error
            } catch {
                throw StartupError("cannot open the source \(sourcePath): \(error)")
            }
            let destination = try context.openPostgres(target)
            console.out("copying \(sourcePath) to \(target) (PostgreSQL)")
            let started = ContinuousClock.now
            let report: CopyReport
            do {
                report = try DatabaseCopy(source: source, target: destination, batchRows: batch).run()
            } catch let error as CopyFailure {
                throw StartupError("\(error)")
            }
            report.lines.forEach(console.out)
            let elapsed = ContinuousClock.now - started
            console.out("\(report.tables.count) tables, \(report.rows) rows in \(elapsed.milliseconds) ms, as of the snapshot taken at the start: writes to \(sourcePath) after it are not copied")
            guard report.ok else {
                console.err("billport: copy-database: verification failed for \(report.tables.filter { !$0.ok }.map(\.name).joined(separator: ", "))")
                return 1
            }
            console.out("verified: every table matches; point database.url at \(target) to run on it")
            return 0
        }

    /// The target: `--to` when given (checked like `database.url`), else the configured PostgreSQL.
    static func targetOption(_ text: String?, context: AppContext, usage: String) throws -> PostgresTarget {
        let maximum = context.configuration.databaseSelection.postgres?.maximumConnections ?? 10
        if let text {
            do {
                return try PostgresTarget(url: text, maximumConnections: maximum)
            } catch {
                throw UsageError(command: usage, message: "--to \(error.message)")
            }
        }
        guard let configured = context.configuration.databaseSelection.postgres else {
            throw UsageError(command: usage, message: "needs --to postgres://… (or database.url set to the PostgreSQL database)")
        }
        return configured
    }

    /// Writes the keys generated into the data directory into the source's `secrets` table (a
    /// key already there stays), so that the copy carries them and verifies them like any row.
    static func recordGeneratedSecrets(in source: Database, dataDirectory: String, now: Date) throws {
        let keys = try Secrets.generatedNames.compactMap { name in try Secrets.existing(name: name, in: dataDirectory).map { (name, $0) } }
        guard !keys.isEmpty else { return }
        try source.writeBlocking { db in
            for (name, value) in keys {
                try db.execute("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                               name, String(decoding: value, as: UTF8.self), now)
            }
        }
    }
}
