import BillportCore
import Foundation
import Queue
import Relational
import SQLite

extension JobHandlers {
    /// `backup.snapshot`: a verified backup into `settings.directory` (created 0700) named by
    /// its UTC time, then deletes the oldest `billport-*.sqlite` there beyond `settings.keep`.
    /// Off until an operator adds a schedule for it.
    mutating func registerBackup(database: Database, settings: BackupSettings) {
        register("backup.snapshot") { context in
            let files = FileManager.default
            try files.createDirectory(atPath: settings.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let stamp = ISO8601.format(context.clock.now(), fractional: true).replacingOccurrences(of: ":", with: "-")
            let result = try await database.backup(to: settings.directory + "/" + BackupFiles.prefix + stamp + BackupFiles.suffix)
            let removed = try BackupFiles.prune(settings.directory, keep: settings.keep)
            context.logger.info("backup written", ["path": result.path, "bytes": "\(result.bytes)", "removed": "\(removed.count)"])
        }
    }
}

extension JobHandlers {
    /// `backup.snapshot` for the configured backend: SQLite's snapshot, or on PostgreSQL a job
    /// that is discarded at once saying what to use instead (a schedule left over from SQLite
    /// then shows up as one dead job with the reason, rather than failing on every firing).
    mutating func registerBackup(storage: AppStorage, settings: BackupSettings) {
        switch storage {
        case .sqlite(let database):
            registerBackup(database: database, settings: settings)
        case .postgres:
            register("backup.snapshot") { _ in
                throw JobError.discard("backup.snapshot is for SQLite; on PostgreSQL \(BackupCommands.postgresAdvice)")
            }
        }
    }
}

/// The scheduled backups in a directory: `billport-<UTC time>.sqlite`, oldest first by name.
enum BackupFiles {
    static let prefix = "billport-"
    static let suffix = ".sqlite"

    /// Deletes all but the newest `keep` backups; returns the names deleted.
    static func prune(_ directory: String, keep: Int) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted()
        let doomed = Array(names.dropLast(keep))
        for name in doomed { try FileManager.default.removeItem(atPath: directory + "/" + name) }
        return doomed
    }
}
