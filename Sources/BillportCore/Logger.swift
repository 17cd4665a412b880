import Foundation

/// A small structured logger, passed down explicitly (no global bootstrap).
///
/// Messages are autoclosures so that a disabled level costs nothing. Never log a secret or a raw
/// token: log ids, kinds and counts instead.
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    /// Which part of the program is speaking (`worker`, `scheduler`, `queue`).
    public var label: String
    /// Records below this level are dropped.
    public var level: Level
    /// Key-value pairs attached to every record from this logger.
    public var metadata: [String: String]
    private let handler: any LogHandler

    /// A logger writing to `handler`.
    public init(label: String, level: Level = .info, metadata: [String: String] = [:], handler: any LogHandler) {
        self.label = label
        self.level = level
        self.metadata = metadata
        self.handler = handler
    }

    /// A logger that drops everything (defaults in library configuration).
    public static let disabled = Logger(label: "disabled", level: .error, handler: NullLogHandler())

    /// A copy with another label and the same handler, level and metadata.
    public func labelled(_ label: String) -> Logger {
        var copy = self
        copy.label = label
        return copy
    }

    /// A copy with `key` set in its metadata.
    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.metadata[key] = value
        return copy
    }

    /// Whether records at `level` are written; check before building costly metadata.
    public func isEnabled(_ level: Level) -> Bool { level >= self.level }

    /// Writes one record when `level` is enabled. Message and metadata are built only then.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) {
        guard level >= self.level else { return }
        let merged = self.metadata.merging(metadata()) { _, new in new }
        handler.write(LogRecord(date: Date(), level: level, label: label, message: message(), metadata: merged))
    }

    public func trace(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) { log(.trace, message(), metadata()) }
    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) { log(.debug, message(), metadata()) }
    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) { log(.info, message(), metadata()) }
    public func notice(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) { log(.notice, message(), metadata()) }
    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) { log(.warning, message(), metadata()) }
    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [String: String] = [:]) { log(.error, message(), metadata()) }
}

/// One log line before formatting.
public struct LogRecord: Sendable {
    public var date: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: [String: String]

    public init(date: Date, level: Logger.Level, label: String, message: String, metadata: [String: String]) {
        self.date = date
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }

    /// `2026-11-22T10:00:00.123Z info worker: job done job=12 kind=pdf.render` — one line,
    /// metadata sorted, values with spaces or quotes quoted, newlines escaped so that a record
    /// can never forge a second line.
    public var formatted: String {
        var line = "\(ISO8601.format(date, fractional: true)) \(level) \(label): \(LogRecord.escape(message))"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(LogRecord.quoteIfNeeded(metadata[key]!))"
        }
        return line
    }

    /// Backslash, newline and carriage return escaped; one pass over the bytes, and none of
    /// Foundation's searching for the usual text that needs nothing.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func quoteIfNeeded(_ value: String) -> String {
        let escaped = escape(value)
        guard escaped.isEmpty || escaped.utf8.contains(where: { $0 == 0x20 || $0 == 0x22 || $0 == 0x3D }) else { return escaped }
        var out = "\""
        for scalar in escaped.unicodeScalars {
            if scalar == "\"" { out += "\\\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }
}

/// Where log records go.
public protocol LogHandler: Sendable {
    /// Writes `record`; must be safe to call from any thread.
    func write(_ record: LogRecord)
}

/// Writes each record as one line to standard error, through `LogWriter.standardError`: the
/// caller never waits for a `write(2)`.
public struct StandardErrorLogHandler: LogHandler {
    public init() {}
    public func write(_ record: LogRecord) {
        LogWriter.standardError.write(record.formatted)
    }
}

/// Drops every record.
public struct NullLogHandler: LogHandler {
    public init() {}
    public func write(_ record: LogRecord) {}
}
