import Foundation

/// One versioned schema change. Ids are `module.NNN_name` (`queue.001_jobs`) so that each module
/// owns its own sequence; once released, a migration is never edited, only followed by another.
public struct Migration: Sendable, Hashable {
    /// Unique, stable id.
    public let id: String
    /// The SQL, possibly several statements.
    public let sql: String

    /// A migration with `id` running `sql`.
    public init(id: String, sql: String) {
        self.id = id
        self.sql = sql
    }
}

/// Applies migrations in order, each in its own write transaction together with its record in
/// `schema_migrations`, so that two processes starting at once apply each exactly once: the second
/// waits (SQLite's write lock; on PostgreSQL a transaction-scoped advisory lock, since a
/// SERIALIZABLE transaction alone would let both run the DDL), then sees the record and skips.
public enum Migrator {
    /// Why migration stopped.
    public enum Failure: Error, CustomStringConvertible {
        /// The file has migrations this binary does not know: it was written by a newer Billport.
        case unknownMigrations([String])
        /// One migration failed; nothing of it was kept.
        case failed(id: String, underlying: any Error)

        public var description: String {
            switch self {
            case .unknownMigrations(let ids):
                return "the database was migrated by a newer billport (unknown migrations: \(ids.joined(separator: ", "))); refusing to run an older binary on it"
            case .failed(let id, let underlying):
                return "migration \(id) failed and was rolled back: \(underlying)"
            }
        }
    }

    /// Applies every migration of `migrations` not yet applied; returns the ids it applied.
    @discardableResult
    public static func migrate(_ database: any SQLDatabase, migrations: [Migration], now: Date = Date()) throws -> [String] {
        try database.writeBlocking { db in
            try lock(db)
            try db.execute(database.dialect == .sqlite ? """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id TEXT PRIMARY KEY,
                    applied_at INTEGER NOT NULL
                ) STRICT
                """ : """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id TEXT PRIMARY KEY,
                    applied_at BIGINT NOT NULL
                )
                """)
        }
        let known = Set(migrations.map(\.id))
        let applied = try database.readBlocking { db in try db.query("SELECT id FROM schema_migrations") { $0.string(0) } }
        let unknown = applied.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else { throw Failure.unknownMigrations(unknown) }

        var newlyApplied: [String] = []
        for migration in migrations where !applied.contains(migration.id) {
            do {
                let didApply = try database.writeBlocking { db -> Bool in
                    try lock(db)
                    // The record first: on PostgreSQL a record committed by another migrator
                    // after this transaction's snapshot makes it fail as unserialisable, and
                    // the transaction runs again and sees it.
                    try db.execute("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", migration.id, now)
                    guard db.changes == 1 else { return false }
                    try db.executeScript(migration.sql)
                    return true
                }
                if didApply { newlyApplied.append(migration.id) }
            } catch {
                throw Failure.failed(id: migration.id, underlying: error)
            }
        }
        return newlyApplied
    }

    /// Billport's migration lock on PostgreSQL (an arbitrary constant: "billport" in ASCII).
    static let advisoryLockKey: Int64 = 0x62696C6C706F7274

    /// Serialises migrators across processes on PostgreSQL until the transaction ends.
    private static func lock(_ db: any SQLConnection) throws {
        guard db.dialect == .postgres else { return }
        _ = try db.queryOne("SELECT pg_advisory_xact_lock(?)", advisoryLockKey) { _ in true }
    }
}
