import BillportCore
import Foundation
import SQLite

/// `backup`: a consistent, verified copy of the live database.
enum BackupCommands {
    static let all: [Command] = [
        Command(words: ["backup"], summary: "write a verified snapshot of the live database to a file",
                spec: CommandSpec(command: "billport backup", positionals: ["PATH"]), help: """
            Usage: billport backup PATH [--config PATH]

            Writes a consistent snapshot of the database to PATH while serve, workers and the
            scheduler keep writing (SQLite's VACUUM INTO in one read transaction: the copy is the
            database as of one commit). The file is created mode 0600 (it holds what the database
            holds), fsynced, checked with PRAGMA integrity_check and only then moved to PATH; an
            existing PATH is refused. Prints the size and the time taken.
            """) { arguments, context, console in
            let path = arguments.positionals[0]
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
        },
    ]
}
