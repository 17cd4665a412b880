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
    private let commits = Atomic<UInt64>(0)
    private let connectTimeout: Duration

    /// A pool of at most `maximumConnections` connections (plus one for blocking callers);
    /// connects once now, so a wrong URL or an unreachable server fails here.
    public init(_ connectionString: String, maximumConnections: Int = 10, connectTimeout: Duration = .seconds(10)) throws {
        self.connectionString = connectionString
        self.connectTimeout = connectTimeout
        pool = PostgresPool(connectionString, maximumConnections: max(1, maximumConnections), connectTimeout: connectTimeout)
        blocking = Mutex(try PostgresConnection(connectionString, connectTimeout: connectTimeout))
    }

    public var dialect: SQLDialect { .postgres }

    public var commitCount: UInt64 { commits.load(ordering: .acquiring) }

    /// How many pooled connections are open now.
    public var openConnections: Int {
        get async { await pool.openConnections }
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
            self.commits.add(1, ordering: .releasing)
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
                let value = try Self.transaction(connection, .serializable, body)
                commits.add(1, ordering: .releasing)
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
