internal import CSQLite
import Foundation
import Relational

/// One SQLite connection. Not `Sendable`: reach it only through `Database.write`/`read`, whose
/// closures run on the connection's own serial queue.
public final class Connection: SQLConnection {
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    private var afterCommitActions: [@Sendable () -> Void] = []
    private let busyState: BusyState

    /// Opens `path`, creating it when `readOnly` is false, and applies `configuration`.
    init(path: String, configuration: DatabaseConfiguration, readOnly: Bool) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: status, message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        self.busyState = BusyState(timeout: configuration.statementBusyTimeout)
        sqlite3_busy_handler(handle, busyHandler, Unmanaged.passUnretained(busyState).toOpaque())
        do {
            // A file that is not a database, or is locked, only shows itself on first use.
            try execute("PRAGMA foreign_keys = ON")
            if !readOnly {
                _ = try retryingWhileBusy(for: configuration.busyTimeout) {
                    try self.queryOne("PRAGMA journal_mode = WAL") { $0.string(0) }
                }
            }
            try execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
            try execute("PRAGMA temp_store = MEMORY")
        } catch {
            cache.removeAll()
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The SQL of every cached (prepared) statement.
    var cachedSQL: Set<String> { Set(cache.keys) }

    // MARK: Running statements

    /// Runs one statement to completion (cached and reused).
    public func execute(_ sql: String, _ arguments: any SQLValueConvertible...) throws(SQLiteError) {
        try execute(sql, arguments: arguments)
    }

    /// Runs one statement to completion with an argument array.
    public func execute(_ sql: String, arguments: [any SQLValueConvertible]) throws(SQLiteError) {
        let statement = try cached(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Runs several `;`-separated statements without arguments (schema migrations).
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        guard status == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ arguments: any SQLValueConvertible..., map: (any SQLRow) throws -> T) throws -> [T] {
        try query(sql, arguments: arguments, map: map)
    }

    /// Runs a query with an argument array and maps every row.
    public func query<T>(_ sql: String, arguments: [any SQLValueConvertible], map: (any SQLRow) throws -> T) throws -> [T] {
        let statement = try cached(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        var rows: [T] = []
        while try statement.step() {
            rows.append(try map(Row(statement: statement.handle)))
        }
        return rows
    }

    /// Runs a query and maps its first row, if any.
    public func queryOne<T>(_ sql: String, _ arguments: any SQLValueConvertible..., map: (any SQLRow) throws -> T) throws -> T? {
        try queryOne(sql, arguments: arguments, map: map)
    }

    /// Runs a query with an argument array and maps its first row, if any.
    public func queryOne<T>(_ sql: String, arguments: [any SQLValueConvertible], map: (any SQLRow) throws -> T) throws -> T? {
        let statement = try cached(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        return try statement.step() ? map(Row(statement: statement.handle)) : nil
    }

    public var dialect: SQLDialect { .sqlite }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the last INSERT.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Schedules `action` to run once the current transaction commits (dropped on rollback).
    /// How a caller's enqueue wakes the workers of this process only when the job is visible.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) {
        afterCommitActions.append(action)
    }

    // MARK: Transactions

    /// How a transaction takes its lock.
    enum TransactionKind: String {
        /// Takes the write lock at BEGIN, so it can never fail to upgrade later (SQLITE_BUSY_SNAPSHOT).
        case immediate = "BEGIN IMMEDIATE"
        /// Takes a read snapshot at the first read.
        case deferred = "BEGIN DEFERRED"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ kind: TransactionKind, _ body: (any SQLConnection) throws -> T) throws -> T {
        precondition(!isInTransaction, "transactions do not nest")
        try execute(kind.rawValue)
        afterCommitActions.removeAll()
        let result: T
        do {
            result = try body(self)
            try execute("COMMIT")
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            afterCommitActions.removeAll()
            throw error
        }
        let actions = afterCommitActions
        afterCommitActions.removeAll()
        actions.forEach { $0() }
        return result
    }

    private func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = cache[sql] { return statement }
        let statement = try Statement(connection: handle, sql: sql, persistent: true)
        cache[sql] = statement
        return statement
    }
}

// MARK: Busy handling

/// The busy handler's state: when the current wait began.
private final class BusyState {
    let timeoutNanos: UInt64
    var startedAt: UInt64 = 0

    init(timeout: Duration) {
        timeoutNanos = UInt64(max(0, timeout.milliseconds)) * 1_000_000
    }
}

/// Sleeps a short random while between tries instead of SQLite's default doubling sleeps, which
/// let one process starve the others for seconds under contention.
private func busyHandler(_ context: UnsafeMutableRawPointer?, _ attempt: Int32) -> Int32 {
    guard let context else { return 0 }
    let state = Unmanaged<BusyState>.fromOpaque(context).takeUnretainedValue()
    let now = DispatchTime.now().uptimeNanoseconds
    if attempt == 0 { state.startedAt = now }
    guard now - state.startedAt < state.timeoutNanos else { return 0 }
    usleep(UInt32.random(in: 50...(attempt < 20 ? 500 : 2000)))
    return 1
}

/// Retries `body` while it fails with SQLITE_BUSY, for up to `duration`.
func retryingWhileBusy<T>(for duration: Duration, _ body: () throws -> T) throws -> T {
    let deadline = ContinuousClock.now + duration
    while true {
        do {
            return try body()
        } catch let error as SQLiteError where error.isBusy && ContinuousClock.now < deadline {
            usleep(UInt32.random(in: 200...2000))
        }
    }
}
