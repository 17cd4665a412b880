import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `Database.backup(to:)` wrote.
public struct BackupResult: Sendable, Equatable {
    public let path: String
    public let bytes: Int64
}

extension Database {
    /// Writes a consistent snapshot of the live database to `path` while others keep writing
    /// (`VACUUM INTO` on a reader: one read transaction, so the copy is the database as of one
    /// commit, never a torn mix), then makes it durable and proves it: the copy is written to a
    /// temporary file created 0600 (a backup holds what the database holds), fsynced, checked
    /// with `PRAGMA integrity_check`, renamed into place and its directory fsynced. An existing
    /// `path` is refused rather than overwritten.
    public func backup(to path: String) async throws -> BackupResult {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: 0, message: "\(path) exists; a backup never overwrites a file")
        }
        let temporary = path + ".partial-\(getpid())"
        let created = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard created >= 0 else { throw SQLiteError(code: 0, message: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        close(created)
        do {
            try await readStatement { connection in try connection.execute("VACUUM INTO ?", temporary) }
            try Self.fsync(path: temporary, flags: O_RDONLY)
            let check = try Connection(path: temporary, configuration: configuration, readOnly: true)
            let verdict = try check.query("PRAGMA integrity_check") { $0.string(0) }
            guard verdict == ["ok"] else {
                throw SQLiteError(code: 0, message: "the backup failed its integrity check: \(verdict.prefix(5).joined(separator: "; "))")
            }
            guard rename(temporary, path) == 0 else {
                throw SQLiteError(code: 0, message: "cannot move the backup to \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try Self.fsync(path: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                       flags: O_RDONLY | O_DIRECTORY)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupResult(path: path, bytes: size)
    }

    private static func fsync(path: String, flags: Int32) throws {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw SQLiteError(code: 0, message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw SQLiteError(code: 0, message: "cannot fsync \(path): \(String(cString: strerror(errno)))") }
    }
}
