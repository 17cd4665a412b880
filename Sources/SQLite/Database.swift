import BillportCore
import Foundation
import Relational
import Synchronization

/// How Billport opens its SQLite file.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// `PRAGMA synchronous` in WAL mode: NORMAL survives a process crash (a commit is in the WAL
    /// before COMMIT returns); FULL also survives power loss, at an fsync per commit.
    public enum Synchronous: String, Sendable, CaseIterable {
        case normal = "NORMAL"
        case full = "FULL"
    }

    /// How long a transaction waits in all for another connection's lock before SQLITE_BUSY
    /// reaches the caller.
    public var busyTimeout: Duration
    /// Durability of each commit.
    public var synchronous: Synchronous
    /// Read-only connections: how many reads run at once (more wait their turn).
    public var readers: Int

    /// Defaults: 30 s busy timeout, synchronous NORMAL, 4 readers.
    public init(busyTimeout: Duration = .seconds(30), synchronous: Synchronous = .normal, readers: Int = 4) {
        self.busyTimeout = busyTimeout
        self.synchronous = synchronous
        self.readers = max(1, readers)
    }

    /// One wait inside SQLite's busy handler; the transaction is retried around it until
    /// `busyTimeout`, because SQLITE_BUSY can escape a single long busy wait.
    var statementBusyTimeout: Duration { min(busyTimeout, .seconds(2)) }
}

/// The SQLite file: one writer connection and a few reader connections, each on its own serial
/// dispatch queue, so blocking SQLite calls never run on Swift's cooperative threads, a
/// process's writes go through one connection and a slow read never holds up the others.
public final class Database: SQLDatabase {
    /// The file's path.
    public let path: String
    /// How the file was opened.
    public let configuration: DatabaseConfiguration
    private let writer: Confined
    private let readers: ReaderPool
    private let commits = Atomic<UInt64>(0)

    /// How many write transactions this process has committed through this object. Caches of
    /// what was read compare it to know that nothing changed here since (writes by other
    /// processes on the same file are not counted: such caches also bound their age).
    public var dialect: SQLDialect { .sqlite }

    public var commitCount: UInt64 { commits.load(ordering: .acquiring) }

    /// Opens (creating if needed) the database at `path` in WAL mode with foreign keys on.
    /// Throws one clear `SQLiteError` for a file that cannot be read, is locked or is not a database.
    public init(path: String, configuration: DatabaseConfiguration = .init()) throws {
        self.path = path
        self.configuration = configuration
        let writerConnection = try Connection(path: path, configuration: configuration, readOnly: false)
        writer = Confined(connection: writerConnection, label: "billport.sqlite.writer")
        readers = ReaderPool(try (0..<configuration.readers).map { n in
            Confined(connection: try Connection(path: path, configuration: configuration, readOnly: true), label: "billport.sqlite.reader\(n)")
        })
    }

    /// Runs `body` in a write transaction (BEGIN IMMEDIATE) on the writer's queue; commits when it
    /// returns, rolls back when it throws. SQLITE_BUSY at BEGIN is retried up to
    /// `busyTimeout`, so lock contention between processes does not reach the caller.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await writer.async { connection in
            try self.committing {
                try retryingWhileBusy(for: self.configuration.busyTimeout) {
                    try connection.transaction(.immediate, body)
                }
            }
        }
    }

    private func committing<T>(_ body: () throws -> T) rethrows -> T {
        let result = try body()
        commits.add(1, ordering: .releasing)
        return result
    }

    /// Runs `body` in a read transaction on a free reader connection (a consistent snapshot that
    /// never blocks or waits for writers), waiting for one when every reader is busy.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await readers.run { connection in
            try retryingWhileBusy(for: self.configuration.busyTimeout) {
                try connection.transaction(.deferred, body)
            }
        }
    }

    /// Runs `body`, which must run a single statement, on a reader connection without an
    /// explicit transaction: SQLite gives one statement a consistent snapshot by itself, and the
    /// BEGIN/COMMIT pair would double the work of a hot point lookup.
    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await readers.run { connection in
            try retryingWhileBusy(for: self.configuration.busyTimeout) { try body(connection) }
        }
    }

    /// `write` for callers that are not async (the CLI, start-up): blocks the calling thread.
    /// Never call it from a task on the cooperative pool.
    public func writeBlocking<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writer.sync { connection in
            try committing {
                try retryingWhileBusy(for: configuration.busyTimeout) {
                    try connection.transaction(.immediate, body)
                }
            }
        }
    }

    /// `read` for callers that are not async: blocks the calling thread.
    public func readBlocking<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try readers.runBlocking { connection in
            try retryingWhileBusy(for: configuration.busyTimeout) {
                try connection.transaction(.deferred, body)
            }
        }
    }

    /// The SQL text of every statement this object's connections have prepared (and cached):
    /// what the process actually ran, for checking query plans against real traffic.
    public func preparedStatements() throws -> Set<String> {
        try readers.all.reduce(writer.sync { $0.cachedSQL }) { sql, reader in try sql.union(reader.sync { $0.cachedSQL }) }
    }

    /// Runs `body` on the writer connection outside any transaction (PRAGMAs, VACUUM, checkpoints).
    public func withWriterConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try writer.sync(body)
    }
}

/// A connection reachable only on its own serial queue.
final class Confined: @unchecked Sendable {
    // Safety: `connection` is touched only inside bodies run on `queue`.
    private let connection: Connection
    private let queue: BlockingQueue

    init(connection: Connection, label: String) {
        self.connection = connection
        self.queue = BlockingQueue(label: label)
    }

    func sync<T>(_ body: (Connection) throws -> T) throws -> T {
        try queue.runBlocking { try body(connection) }
    }

    func async<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await queue.run { try body(self.connection) }
    }
}
