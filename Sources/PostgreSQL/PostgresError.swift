import Foundation
import Relational

/// A failure of PostgreSQL or of libpq. Its text is the server's primary message and SQLSTATE:
/// never a bound value, never the connection's password, so it may be logged as it is.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What a caller may want to act on; everything else is `.other`.
    public enum Kind: Sendable, Equatable {
        /// 23505: a unique constraint refused the row.
        case uniqueViolation
        /// 40001: the transaction must be retried.
        case serializationFailure
        /// 40P01: the transaction must be retried.
        case deadlock
        /// The connection dropped (server restarted, backend terminated, network): the statement
        /// may or may not have run; the next use of the connection reconnects.
        case connectionLost
        /// No connection could be opened.
        case connectFailed
        /// A parameter Billport refuses before sending it (an embedded NUL, a too long name).
        case invalidInput
        /// A column read as a type it does not hold, or a column that does not exist.
        case decoding
        /// The caller used the connection wrongly (a transaction inside a transaction).
        case misuse
        case other
    }

    public let kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    /// The server's primary message (or libpq's), without detail or bound values.
    public let message: String

    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        sqlState.map { "PostgreSQL \($0): \(message)" } ?? "PostgreSQL: \(message)"
    }

    /// The kind a SQLSTATE stands for.
    static func kind(sqlState: String?) -> Kind {
        guard let sqlState else { return .other }
        switch sqlState {
        case "23505": return .uniqueViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlock
        case "57P01", "57P02", "57P03": return .connectionLost
        default: return sqlState.hasPrefix("08") ? .connectionLost : .other
        }
    }
}

/// Class 23 is "integrity constraint violation"; 22003 "numeric value out of range".
extension PostgresError: SQLFailure {
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") ?? false }
    public var isIntegerOverflow: Bool { sqlState == "22003" }
}

extension String {
    /// This text with every occurrence of each secret replaced, so that a message quoting a value
    /// (`invalid input syntax for type integer: "…"`) cannot leak it.
    func redacting(_ secrets: [String]) -> String {
        var text = self
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "[redacted]")
        }
        return text
    }
}
