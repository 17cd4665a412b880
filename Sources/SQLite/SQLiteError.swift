internal import CSQLite
import Foundation
import Relational

/// An error from SQLite: its result code, its message and the statement that failed.
///
/// Bound values are never included: rows hold personal data (names, emails, amounts).
public struct SQLiteError: SQLFailure, Sendable, CustomStringConvertible {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`, …).
    public let code: Int32
    /// SQLite's own message.
    public let message: String
    /// The SQL that failed, when there was one.
    public let sql: String?

    /// Creates an error; `sql` is the statement text without values.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of the extended one).
    public var primaryCode: Int32 { code & 0xFF }

    /// Another connection holds the lock: worth retrying.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// A UNIQUE, PRIMARY KEY, FOREIGN KEY, CHECK or NOT NULL constraint failed.
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// SQLite's SUM raises "integer overflow" rather than wrap.
    public var isIntegerOverflow: Bool { message.contains("integer overflow") }

    /// `SQLite error 19 (constraint failed): UNIQUE constraint failed: jobs.id — in "INSERT …"`.
    public var description: String {
        var text = "SQLite error \(code) (\(String(cString: sqlite3_errstr(code)))): \(message)"
        if let sql {
            let oneLine = sql.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            text += " — in \"\(oneLine.count > 200 ? oneLine.prefix(200) + "…" : oneLine)\""
        }
        return text
    }
}
