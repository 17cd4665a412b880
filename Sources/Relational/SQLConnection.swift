import Foundation

/// Which SQL a connection speaks. Store code is written in the subset both dialects share
/// (placeholders `?` and `?N`, `RETURNING`, `ON CONFLICT`, partial indexes); the few statements
/// that must differ ask the connection's dialect.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// The current row of a query, read by column index (the order of the SELECT list). Valid only
/// inside the closure it is passed to. Reads do not throw: a value that does not fit the asked
/// type reads as the type's zero and the query that produced the row throws after the closure.
public protocol SQLRow {
    /// Whether column `index` is NULL.
    func isNull(_ index: Int32) -> Bool
    /// Column `index` as an integer (0 for NULL; a boolean reads as 0 or 1).
    func int64(_ index: Int32) -> Int64
    /// Column `index` as a Bool (non-zero is true).
    func bool(_ index: Int32) -> Bool
    /// Column `index` as a Double.
    func double(_ index: Int32) -> Double
    /// Column `index` as text ("" for NULL).
    func string(_ index: Int32) -> String
    /// Column `index` as bytes (empty for NULL).
    func blob(_ index: Int32) -> [UInt8]
}

extension SQLRow {
    /// Column `index` as an `Int` (0 for NULL).
    public func int(_ index: Int32) -> Int { Int(truncatingIfNeeded: int64(index)) }

    /// Column `index` as an integer, nil for NULL.
    public func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

    /// Column `index` as text, nil for NULL.
    public func optionalString(_ index: Int32) -> String? { isNull(index) ? nil : string(index) }

    /// Column `index`, stored as integer milliseconds since 1970 UTC, as an instant.
    public func date(_ index: Int32) -> Date { Date(timeIntervalSince1970: Double(int64(index)) / 1000) }

    /// Column `index` as an instant, nil for NULL.
    public func optionalDate(_ index: Int32) -> Date? { isNull(index) ? nil : date(index) }
}

/// One database connection inside a transaction (`SQLDatabase.write`/`read`). Not `Sendable`:
/// reach it only inside the closure it is passed to.
public protocol SQLConnection: AnyObject {
    /// The SQL this connection speaks.
    var dialect: SQLDialect { get }

    /// Runs one statement to completion; `changes` then says how many rows it changed.
    func execute(_ sql: String, arguments: [any SQLValueConvertible]) throws

    /// Runs a query and maps every row.
    func query<T>(_ sql: String, arguments: [any SQLValueConvertible], map: (any SQLRow) throws -> T) throws -> [T]

    /// Runs a query and maps its first row, if any (the rest are not read).
    func queryOne<T>(_ sql: String, arguments: [any SQLValueConvertible], map: (any SQLRow) throws -> T) throws -> T?

    /// Runs several `;`-separated statements without arguments (schema migrations).
    func executeScript(_ sql: String) throws

    /// Rows changed by the last INSERT, UPDATE or DELETE run through `execute`.
    var changes: Int { get }

    /// Schedules `action` to run once the current transaction commits (dropped on rollback).
    func afterCommit(_ action: @escaping @Sendable () -> Void)
}

extension SQLConnection {
    /// Runs one statement to completion.
    public func execute(_ sql: String, _ arguments: any SQLValueConvertible...) throws {
        try execute(sql, arguments: arguments)
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ arguments: any SQLValueConvertible..., map: (any SQLRow) throws -> T) throws -> [T] {
        try query(sql, arguments: arguments, map: map)
    }

    /// Runs an INSERT of one row into a table with an `id` key and returns that id (`RETURNING`,
    /// which both dialects speak, where SQLite alone would offer its last rowid).
    public func insert(_ sql: String, _ arguments: any SQLValueConvertible...) throws -> Int64 {
        guard let id = try queryOne(sql + " RETURNING id", arguments: arguments, map: { $0.int64(0) }) else {
            throw UnreadableRow("an INSERT returned no id")
        }
        return id
    }

    /// Runs a query and maps its first row, if any.
    public func queryOne<T>(_ sql: String, _ arguments: any SQLValueConvertible..., map: (any SQLRow) throws -> T) throws -> T? {
        try queryOne(sql, arguments: arguments, map: map)
    }
}

/// What store code needs to know about a database error, whichever backend raised it.
public protocol SQLFailure: Error {
    /// A UNIQUE, PRIMARY KEY, FOREIGN KEY, CHECK or NOT NULL constraint refused the change.
    var isConstraintViolation: Bool { get }
    /// An integer result left the 64-bit range (a SUM over amounts).
    var isIntegerOverflow: Bool { get }
}

/// A stored row that does not say what Billport wrote (a value no code path writes).
public struct UnreadableRow: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
