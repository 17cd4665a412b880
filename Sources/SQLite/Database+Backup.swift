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
            let verdict = try Self.integrityCheck(path: temporary)
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

    /// `PRAGMA integrity_check` of the database file at `path`, opened read-only (the file is
    /// not changed): `["ok"]`, or the problems found.
    public static func integrityCheck(path: String) throws -> [String] {
        try Connection(path: path, configuration: DatabaseConfiguration(), readOnly: true).query("PRAGMA integrity_check") { $0.string(0) }
    }

    /// Puts a copy of the database file `source` at `target` and returns where the database it
    /// replaced was kept (`<target>.before-restore-<unix ms>`, with its `-wal`), or nil when there
    /// was none. The copy is written 0600 and fsynced before the swap; the caller makes sure no
    /// process has `target` open.
    public static func replace(_ target: String, with source: String) throws -> String? {
        let temporary = target + ".restore-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SQLiteError(code: 0, message: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        do {
            let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            guard let input = FileHandle(forReadingAtPath: source) else { throw SQLiteError(code: 0, message: "cannot read \(source)") }
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.synchronize()
        } catch {
            unlink(temporary)
            throw error
        }
        var kept: String?
        let files = FileManager.default
        if files.fileExists(atPath: target) {
            let keep = target + ".before-restore-\(Int64(Date().timeIntervalSince1970 * 1000))"
            guard rename(target, keep) == 0 else { throw SQLiteError(code: 0, message: "cannot move \(target) aside: \(String(cString: strerror(errno)))") }
            // The WAL may hold commits of a process that died: it goes with its database.
            if files.fileExists(atPath: target + "-wal") { _ = rename(target + "-wal", keep + "-wal") }
            unlink(target + "-shm")
            kept = keep
        }
        guard rename(temporary, target) == 0 else {
            throw SQLiteError(code: 0, message: "cannot move the copy to \(target): \(String(cString: strerror(errno)))")
        }
        let directory = (target as NSString).deletingLastPathComponent
        try fsync(path: directory.isEmpty ? "." : directory, flags: O_RDONLY | O_DIRECTORY)
        return kept
    }

    private static func fsync(path: String, flags: Int32) throws {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw SQLiteError(code: 0, message: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw SQLiteError(code: 0, message: "cannot fsync \(path): \(String(cString: strerror(errno)))") }
    }
}
