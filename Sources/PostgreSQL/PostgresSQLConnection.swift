import Foundation
import Relational
import Synchronization

/// A `PostgresConnection` speaking the backend-neutral `SQLConnection` contract, so that store
/// code written once runs here as on SQLite: `?` and `?N` placeholders become `$N`, values become
/// `PostgresValue`s, and rows read like SQLite's (NULL as 0 or "", `t`/`f` as 1/0).
final class PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    private(set) var changes = 0
    private(set) var afterCommitActions: [@Sendable () -> Void] = []
    /// Translated statements by their text as written, shared by every connection of the
    /// process: store code has a bounded set of statements.
    private static let translations = Mutex<[String: String]>([:])

    init(_ connection: PostgresConnection) {
        self.connection = connection
    }

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, arguments: [any SQLValueConvertible]) throws {
        changes = try connection.execute(translated(sql), arguments.map(Self.value))
    }

    func query<T>(_ sql: String, arguments: [any SQLValueConvertible], map: (any SQLRow) throws -> T) throws -> [T] {
        let problem = ReadProblem()
        let rows = try connection.query(translated(sql), arguments.map(Self.value)) { row in
            try map(PostgresSQLRow(row: row, problem: problem))
        }
        if let error = problem.error { throw error }
        return rows
    }

    func queryOne<T>(_ sql: String, arguments: [any SQLValueConvertible], map: (any SQLRow) throws -> T) throws -> T? {
        let problem = ReadProblem()
        let row = try connection.queryOne(translated(sql), arguments.map(Self.value)) { row in
            try map(PostgresSQLRow(row: row, problem: problem))
        }
        if let error = problem.error { throw error }
        return row
    }

    func executeScript(_ sql: String) throws {
        try connection.executeScript(sql)
    }

    func afterCommit(_ action: @escaping @Sendable () -> Void) {
        afterCommitActions.append(action)
    }

    /// Forgets the actions of a transaction that rolled back (or is about to run again).
    func discardAfterCommitActions() {
        afterCommitActions.removeAll()
    }

    private func translated(_ sql: String) -> String {
        if let known = Self.translations.withLock({ $0[sql] }) { return known }
        let text = Placeholders.numbered(sql)
        Self.translations.withLock { known in
            if known.count < 4_096 { known[sql] = text }
        }
        return text
    }

    static func value(_ convertible: any SQLValueConvertible) -> PostgresValue {
        switch convertible.sqlValue {
        case .null: return .null
        case .integer(let value): return .int64(value)
        case .real(let value): return .double(value)
        case .text(let value): return .text(value)
        case .blob(let bytes): return .bytea(bytes)
        }
    }
}

/// The first value of a query's rows that could not be read as asked; the query throws it once
/// the rows are mapped (row reads themselves do not throw, as on SQLite).
final class ReadProblem {
    var error: PostgresError?
}

/// A `PostgresRow` read the way SQLite reads: NULL is 0, "" or no bytes, a boolean is 1 or 0.
struct PostgresSQLRow: SQLRow {
    let row: PostgresRow
    let problem: ReadProblem

    func isNull(_ index: Int32) -> Bool {
        read { () throws(PostgresError) in try row.isNull(Int(index)) } ?? true
    }

    func int64(_ index: Int32) -> Int64 {
        guard !isNull(index) else { return 0 }
        if let value = try? row.int64(Int(index)) { return value }
        return read { () throws(PostgresError) in try row.bool(Int(index)) ? 1 : 0 } ?? 0
    }

    func bool(_ index: Int32) -> Bool {
        guard !isNull(index) else { return false }
        if let value = try? row.bool(Int(index)) { return value }
        return (read { () throws(PostgresError) in try row.int64(Int(index)) } ?? 0) != 0
    }

    func double(_ index: Int32) -> Double {
        guard !isNull(index) else { return 0 }
        return read { () throws(PostgresError) in try row.double(Int(index)) } ?? 0
    }

    func string(_ index: Int32) -> String {
        read { () throws(PostgresError) in try row.optionalString(Int(index)) ?? "" } ?? ""
    }

    func blob(_ index: Int32) -> [UInt8] {
        guard !isNull(index) else { return [] }
        return read { () throws(PostgresError) in try row.bytes(Int(index)) } ?? []
    }

    private func read<T>(_ body: () throws(PostgresError) -> T) -> T? {
        do { return try body() } catch {
            if problem.error == nil { problem.error = error }
            return nil
        }
    }
}

/// SQLite's placeholders in PostgreSQL's form.
enum Placeholders {
    /// `sql` with each `?` numbered in order (`$1`, `$2`, …) and each `?N` written `$N`, outside
    /// string literals, quoted identifiers and `--` comments. A statement mixes the two forms at its
    /// peril, as on SQLite.
    static func numbered(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 8)
        var next = 1
        var characters = sql.unicodeScalars[...]
        while let character = characters.popFirst() {
            switch character {
            case "'", "\"":
                output.unicodeScalars.append(character)
                while let inner = characters.popFirst() {
                    output.unicodeScalars.append(inner)
                    if inner == character { break }
                }
            case "-" where characters.first == "-":
                output.unicodeScalars.append(character)
                while let inner = characters.popFirst() {
                    output.unicodeScalars.append(inner)
                    if inner == "\n" { break }
                }
            case "?":
                let digits = characters.prefix { $0.properties.numericType == .decimal && $0.isASCII }
                if digits.isEmpty {
                    output += "$\(next)"
                    next += 1
                } else {
                    characters = characters.dropFirst(digits.count)
                    output += "$" + String(String.UnicodeScalarView(digits))
                }
            default:
                output.unicodeScalars.append(character)
            }
        }
        return output
    }
}
