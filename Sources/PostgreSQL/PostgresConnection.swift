internal import CLibPQ
import Foundation

/// One connection to PostgreSQL through libpq.
///
/// Safe to share between tasks, but it runs one statement at a time: every call holds the
/// connection's lock for its duration (a `transaction` for all of its body), and calls block the
/// calling thread while the server works. A dropped connection (server restart, terminated
/// backend) makes the statement that found it throw `.connectionLost`; the next call reconnects
/// once with `PQreset`, forgets its prepared statements and listens again on its channels.
public final class PostgresConnection: @unchecked Sendable {
    // Safety: every field below is read and written only while `lock` is held.
    let lock = NSRecursiveLock()
    let handle: OpaquePointer
    private var statements: [String: String] = [:]
    var channels: Set<String> = []
    /// The password, kept only to scrub it from libpq's messages.
    private let secrets: [String]

    /// How many statements one connection keeps prepared; past it, statements run unnamed.
    public static let preparedStatementLimit = 256

    /// Connects with a libpq connection string (`host=… dbname=… sslmode=require`) or URL
    /// (`postgres://user@host:5432/db?sslmode=verify-full`); what it leaves out comes from the
    /// `PG*` environment variables as libpq reads them (an empty string uses them alone).
    /// `connectTimeout` applies unless the string sets `connect_timeout` (libpq waits 2 s at least).
    public init(_ connectionString: String = "", connectTimeout: Duration = .seconds(10)) throws(PostgresError) {
        guard !connectionString.utf8.contains(0) else {
            throw PostgresError(kind: .invalidInput, message: "the connection string contains a NUL character")
        }
        guard let parsedPassword = Self.parsedPassword(connectionString) else {
            // libpq's own message quotes the offending part, which may be the password.
            throw PostgresError(kind: .invalidInput, message: "the connection string or URL does not parse (libpq's message is withheld: it may quote the password)")
        }
        let seconds = max(2, connectTimeout.components.seconds + (connectTimeout.components.attoseconds > 0 ? 1 : 0))
        // Entries before `dbname` are overridden by the string's own; the string is expanded (1).
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = [String(seconds), "billport", connectionString]
        let connection = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw PostgresError(kind: .connectFailed, message: "libpq could not allocate a connection") }
        let password = PQpass(connection).map { String(cString: $0) }
        secrets = [password, parsedPassword].compactMap { $0 }.filter { !$0.isEmpty }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.lastMessage(connection).redacting(secrets)
            PQfinish(connection)
            throw PostgresError(kind: .connectFailed, message: message.isEmpty ? "cannot connect" : message)
        }
        handle = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether the connection is known to be down (a pool drops such a connection).
    public var isBroken: Bool {
        lock.withLock { PQstatus(handle) != CONNECTION_OK }
    }

    /// The server process serving this connection (for `pg_terminate_backend`, logs).
    public var backendPID: Int32 {
        lock.withLock { PQbackendPID(handle) }
    }

    // MARK: Statements

    /// Runs one statement; the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> Int {
        try locked { () throws(PostgresError) -> Int in
            let result = try run(sql, parameters)
            defer { PQclear(result) }
            return Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs one query and maps each row.
    public func query<T>(_ sql: String, _ parameters: [PostgresValue] = [], map: (PostgresRow) throws -> T) throws -> [T] {
        try lock.withLock {
            let result = try run(sql, parameters)
            defer { PQclear(result) }
            let count = PQntuples(result)
            var rows: [T] = []
            rows.reserveCapacity(Int(count))
            for index in 0..<count { rows.append(try map(PostgresRow(result: result, row: index))) }
            return rows
        }
    }

    /// The first row of a query, mapped, or nil when there is none.
    public func queryOne<T>(_ sql: String, _ parameters: [PostgresValue] = [], map: (PostgresRow) throws -> T) throws -> T? {
        try lock.withLock {
            let result = try run(sql, parameters)
            defer { PQclear(result) }
            return PQntuples(result) > 0 ? try map(PostgresRow(result: result, row: 0)) : nil
        }
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws. A statement
    /// that failed inside (and was caught) rolls the whole transaction back too.
    @discardableResult
    public func transaction<T>(_ mode: PostgresTransactionMode = .readCommitted, _ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock {
            let state = PQtransactionStatus(handle)
            guard state != PQTRANS_INTRANS, state != PQTRANS_INERROR, state != PQTRANS_ACTIVE else {
                throw PostgresError(kind: .misuse, message: "a transaction is already open on this connection")
            }
            try simple(mode.begin)
            do {
                let value = try body(self)
                if PQtransactionStatus(handle) == PQTRANS_INERROR {
                    try simple("ROLLBACK")
                    throw PostgresError(kind: .other, message: "a statement failed inside the transaction, which was rolled back")
                }
                try simple("COMMIT")
                return value
            } catch {
                if PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE { try? simple("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs several `;`-separated statements without parameters as one simple query (schema
    /// migrations); inside a transaction they join it, outside they form one of their own.
    public func executeScript(_ sql: String) throws(PostgresError) {
        guard !sql.utf8.contains(0) else { throw PostgresError(kind: .invalidInput, message: "the SQL text contains a NUL character") }
        try locked { () throws(PostgresError) in try simple(sql) }
    }

    /// The statements this connection holds prepared, by SQL text.
    public var preparedStatementCount: Int {
        lock.withLock { statements.count }
    }

    // MARK: Running (lock held)

    /// `body` with the connection's lock held (recursive: a transaction's body calls back in).
    func locked<R>(_ body: () throws(PostgresError) -> R) throws(PostgresError) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `sql` prepared (cached by its text) with `parameters`; the caller clears the result.
    private func run(_ sql: String, _ parameters: [PostgresValue]) throws(PostgresError) -> OpaquePointer {
        guard !sql.utf8.contains(0) else { throw PostgresError(kind: .invalidInput, message: "the SQL text contains a NUL character") }
        try ensureConnected()
        let quoted = parameters.compactMap(\.quotable)
        return try ParameterBuffers.with(parameters) { (types, values, lengths, formats) throws(PostgresError) -> OpaquePointer in
            let count = Int32(parameters.count)
            if let name = try preparedName(sql, types: types, quoted: quoted) {
                let result = PQexecPrepared(handle, name, count, values, lengths, formats, 0)
                do throws(PostgresError) { return try check(result, quoted: quoted) } catch {
                    // The schema changed under the plan, or the statement is gone: prepare afresh next time.
                    if error.sqlState == "0A000" || error.sqlState == "26000" { statements[sql] = nil }
                    throw error
                }
            }
            return try check(PQexecParams(handle, sql, count, types, values, lengths, formats, 0), quoted: quoted)
        }
    }

    /// The name `sql` is prepared under, preparing it on first use; nil when the cache is full.
    private func preparedName(_ sql: String, types: [UInt32], quoted: [String]) throws(PostgresError) -> String? {
        if let name = statements[sql] { return name }
        guard statements.count < Self.preparedStatementLimit else { return nil }
        let name = "billport_\(statements.count)"
        let result = PQprepare(handle, name, sql, Int32(types.count), types)
        PQclear(try check(result, quoted: quoted))
        statements[sql] = name
        return name
    }

    /// A statement without parameters or caching (BEGIN, COMMIT, LISTEN).
    func simple(_ sql: String) throws(PostgresError) {
        try ensureConnected()
        PQclear(try check(PQexec(handle, sql), quoted: []))
    }

    /// Resets a connection known to be down, once; throws `.connectionLost` if it stays down.
    private func ensureConnected() throws(PostgresError) {
        guard PQstatus(handle) != CONNECTION_OK else { return }
        PQreset(handle)
        statements.removeAll()
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(kind: .connectionLost, message: "the connection is down and could not be re-established: "
                                + Self.lastMessage(handle).redacting(secrets))
        }
        for channel in channels.sorted() { try simple("LISTEN \(try quotedIdentifier(channel))") }
    }

    /// `result` when it succeeded, else its error (SQLSTATE and primary message only).
    private func check(_ result: OpaquePointer?, quoted: [String]) throws(PostgresError) -> OpaquePointer {
        if let result {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return result }
        }
        let sqlState = result.flatMap { PQresultErrorField($0, bp_pq_diag_sqlstate()) }.map { String(cString: $0) }
        let primary = result.flatMap { PQresultErrorField($0, bp_pq_diag_message_primary()) }.map { String(cString: $0) }
        if let result { PQclear(result) }
        let lost = PQstatus(handle) != CONNECTION_OK
        let kind = lost ? .connectionLost : PostgresError.kind(sqlState: sqlState)
        let message = (primary ?? Self.lastMessage(handle)).redacting(quoted + secrets)
        throw PostgresError(kind: kind, sqlState: sqlState, message: message.isEmpty ? "the statement failed" : message)
    }

    /// `name` quoted as an SQL identifier by libpq.
    func quotedIdentifier(_ name: String) throws(PostgresError) -> String {
        guard let quoted = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw PostgresError(kind: .invalidInput, message: "the name cannot be quoted: " + Self.lastMessage(handle))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    static func lastMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The password a connection string names ("" when none), or nil when it does not parse.
    private static func parsedPassword(_ connectionString: String) -> String? {
        guard !connectionString.isEmpty else { return "" }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val { return String(cString: value) }
            option += 1
        }
        return ""
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { for pointer in pointers { free(pointer) } }
        let constant = pointers.map { $0.map { UnsafePointer($0) } } + [nil]
        return constant.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// How a transaction isolates itself from concurrent ones.
public enum PostgresTransactionMode: Sendable {
    /// PostgreSQL's default: each statement sees what committed before it began.
    case readCommitted
    /// As if the transactions ran one after the other; one that cannot be ordered fails with
    /// 40001 and must be run again.
    case serializable
    /// One snapshot for the whole transaction, no writes.
    case readOnlySnapshot

    var begin: String {
        switch self {
        case .readCommitted: return "BEGIN"
        case .serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE"
        case .readOnlySnapshot: return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }
}
