import BillportCore
import Dispatch
import Foundation
import Relational
import Synchronization

/// A PostgreSQL database as Billport's stores use it (`SQLDatabase`): a bounded pool of
/// connections, each transaction's body run on a thread of its own (libpq blocks), never on
/// Swift's cooperative threads.
///
/// Writes run SERIALIZABLE, so that store code written for SQLite's single writer (read, decide,
/// write) stays correct with many writers on many hosts: a transaction PostgreSQL cannot order
/// fails with 40001 (or 40P01) and its body runs again, up to `maximumAttempts` times.
public final class PostgresDatabase: SQLDatabase {
    /// How the database was reached (may hold a password: never log it).
    public let connectionString: String
    /// How many times a write runs before a serialization failure reaches the caller.
    public static let maximumAttempts = 12
    private let pool: PostgresPool
    private let blocking: Mutex<PostgresConnection?>
    private let threads = DispatchQueue(label: "billport.postgres", attributes: .concurrent)
    private let commits = CommitCounter()
    private let connectTimeout: Duration
    /// Set once `shareCommitCount` runs: writes then tell the other processes.
    private let broadcastsCommits = Atomic<Bool>(false)
    private let commitListener = Mutex<PostgresListener?>(nil)

    /// The channel on which writes announce their commits to other processes.
    public static let commitChannel = "billport_commits"

    /// A pool of at most `maximumConnections` connections (plus one for blocking callers);
    /// connects once now, so a wrong URL or an unreachable server fails here.
    public init(_ connectionString: String, maximumConnections: Int = 10, connectTimeout: Duration = .seconds(10)) throws {
        self.connectionString = connectionString
        self.connectTimeout = connectTimeout
        pool = PostgresPool(connectionString, maximumConnections: max(1, maximumConnections), connectTimeout: connectTimeout)
        blocking = Mutex(try PostgresConnection(connectionString, connectTimeout: connectTimeout))
    }

    public var dialect: SQLDialect { .postgres }

    /// Write transactions committed through this object, and, once `shareCommitCount` ran,
    /// those announced by every other process sharing the database (or a jump when the listener
    /// lost its connection and may have missed some).
    public var commitCount: UInt64 { commits.value }

    /// Makes `commitCount` count the commits of every process that called this too: each `write`
    /// then sends a notification inside its transaction (PostgreSQL delivers it at commit) and a
    /// listener counts the others' — so that a cache keyed by the count (the buyer-facing answer
    /// cache) ends at once on every host when any host writes. Idempotent.
    public func shareCommitCount() throws {
        try commitListener.withLock { listener in
            guard listener == nil else { return }
            let commits = self.commits
            listener = try PostgresListener(connectionString, channels: [Self.commitChannel],
                                            received: { _ in commits.add() }, resumed: { commits.add() })
            broadcastsCommits.store(true, ordering: .releasing)
        }
    }

    deinit {
        commitListener.withLock { $0?.stop() }
    }

    // MARK: SQLDatabase

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pooled { connection in try self.serializable(connection, body) }
    }

    /// A write at READ COMMITTED, for work that takes its own row locks (`FOR UPDATE SKIP
    /// LOCKED` claims) and must not fail for a concurrent writer: it runs once.
    public func writeReadCommitted<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pooled { connection in
            let value = try Self.transaction(connection, .readCommitted, body)
            self.commits.add()
            return value
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pooled { connection in try Self.transaction(connection, .readOnlySnapshot, body) }
    }

    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pooled { connection in try body(connection) }
    }

    public func writeBlocking<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try withBlockingConnection { connection in try serializable(connection, body) }
    }

    public func readBlocking<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try withBlockingConnection { connection in try Self.transaction(connection, .readOnlySnapshot, body) }
    }

    /// Runs `body` with a pooled connection outside any transaction, on a thread of its own.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await pooled { connection in try body(connection.connection) }
    }

    // MARK: Running

    private func pooled<T: Sendable>(_ body: @escaping @Sendable (PostgresSQLConnection) throws -> T) async throws -> T {
        try await pool.withConnection { connection in
            let result: Result<T, any Error> = await withCheckedContinuation { continuation in
                threads.async { continuation.resume(returning: Result { try body(PostgresSQLConnection(connection)) }) }
            }
            return try result.get()
        }
    }

    private func withBlockingConnection<T>(_ body: (PostgresSQLConnection) throws -> T) throws -> T {
        let connection = try blocking.withLock { connection in
            if connection == nil || connection?.isBroken == true {
                connection = try PostgresConnection(connectionString, connectTimeout: connectTimeout)
            }
            return connection!
        }
        // The connection runs one call at a time by itself; blocking callers take turns on it.
        return try body(PostgresSQLConnection(connection))
    }

    /// A SERIALIZABLE transaction, run again while PostgreSQL asks for it, with a growing random
    /// pause so that the transactions that collided do not collide again.
    private func serializable<T>(_ connection: PostgresSQLConnection, _ body: (any SQLConnection) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                let announce = broadcastsCommits.load(ordering: .acquiring)
                let value = try Self.transaction(connection, .serializable) { db in
                    let value = try body(db)
                    if announce { try db.execute("SELECT pg_notify(?, '')", Self.commitChannel) }
                    return value
                }
                commits.add()
                return value
            } catch let error as PostgresError where (error.kind == .serializationFailure || error.kind == .deadlock) && attempt < Self.maximumAttempts {
                usleep(UInt32.random(in: 0...UInt32(min(attempt, 8) * 2_000)))
                attempt += 1
            }
        }
    }

    /// One transaction; the connection's after-commit actions run once it committed.
    private static func transaction<T>(_ connection: PostgresSQLConnection, _ mode: PostgresTransactionMode,
                                       _ body: (any SQLConnection) throws -> T) throws -> T {
        connection.discardAfterCommitActions()
        let value: T
        do {
            value = try connection.connection.transaction(mode) { _ in try body(connection) }
        } catch {
            connection.discardAfterCommitActions()
            throw error
        }
        let actions = connection.afterCommitActions
        connection.discardAfterCommitActions()
        actions.forEach { $0() }
        return value
    }
}

/// A count shared with the commit listener's thread.
private final class CommitCounter: Sendable {
    private let count = Atomic<UInt64>(0)
    func add() { count.add(1, ordering: .releasing) }
    var value: UInt64 { count.load(ordering: .acquiring) }
}
