import BillportCore
import Foundation
import Relational
import SQLite

/// `backup` and `restore`: a consistent, verified copy of the live database, and putting one back.
enum BackupCommands {
    static var all: [Command] { [backup, restore] }

    /// What to do instead of `backup`/`restore` on PostgreSQL.
    static let postgresAdvice = "use pg_dump / pg_restore or your provider's backups and point-in-time recovery"

    static let backup = Command(words: ["backup"], summary: "write a verified snapshot of the live database to a file",
                spec: CommandSpec(command: "billport backup", positionals: ["PATH"]), help: """
            Usage: billport backup PATH [--config PATH]

            Writes a consistent snapshot of the database to PATH while serve, workers and the
            scheduler keep writing (SQLite's VACUUM INTO in one read transaction: the copy is the
            database as of one commit). The file is created mode 0600 (it holds what the database
            holds), fsynced, checked with PRAGMA integrity_check and only then moved to PATH; an
            existing PATH is refused. Prints the size and the time taken. For SQLite only: on
            PostgreSQL use pg_dump or your provider's backups.
            """) { arguments, context, console in
            let path = arguments.positionals[0]
            try context.requireSQLite("backup", onPostgres: BackupCommands.postgresAdvice)
            let database = try context.openDatabase()
            let started = ContinuousClock.now
            let result: BackupResult
            do {
                result = try await database.backup(to: path)
            } catch let error as SQLiteError {
                throw StartupError(error.message)
            }
            let elapsed = ContinuousClock.now - started
            console.out("backup \(result.path): \(result.bytes) bytes in \(elapsed.milliseconds) ms, integrity ok")
            return 0
        }
}

extension BackupCommands {
    /// `restore PATH`: puts a backup in place of the database when no Billport process runs on it.
    static let restore = Command(
        words: ["restore"], summary: "replace the database with a backup (refused while Billport runs on it)",
        spec: CommandSpec(command: "billport restore", positionals: ["PATH"]), help: """
            Usage: billport restore PATH [--config PATH]

            Replaces the database with the backup at PATH. Refused while a serve, api, worker or
            scheduler process runs on the database (they hold <database>.lock) and when the backup
            fails PRAGMA integrity_check. The database it replaces is kept beside it as
            <database>.before-restore-<time> (with its -wal file, if any), so a restore can be
            undone. The copy is written 0600 and fsynced before it is moved into place. For SQLite
            only: on PostgreSQL use pg_restore or your provider's point-in-time recovery.
            """) { arguments, context, console in
            let source = arguments.positionals[0]
            try context.requireSQLite("restore", onPostgres: BackupCommands.postgresAdvice)
            let target = context.configuration.databasePath
            guard FileManager.default.fileExists(atPath: source) else { throw StartupError("\(source) does not exist") }
            do {
                let verdict = try Database.integrityCheck(path: source)
                guard verdict == ["ok"] else { throw StartupError("\(source) fails its integrity check: \(verdict.prefix(3).joined(separator: "; "))") }
            } catch let error as SQLiteError {
                throw StartupError("\(source) is not a readable database: \(error.message)")
            }
            try context.createDatabaseDirectory()
            guard let lock = try DatabaseLock(databasePath: target, .exclusive) else {
                throw StartupError("a Billport process (serve, api, worker or scheduler) is running on \(target); stop it first")
            }
            let kept = try withExtendedLifetime(lock) { try Database.replace(target, with: source) }
            console.out("restored \(target) from \(source)" + (kept.map { "; the previous database is kept as \($0)" } ?? ""))
            return 0
        }
}
