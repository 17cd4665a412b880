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
    /// Key-value pairs attached to every record from this logger, before the record's own.
    public var metadata: LogMetadata
    private let handler: any LogHandler

    /// A logger writing to `handler`.
    public init(label: String, level: Level = .info, metadata: LogMetadata = [:], handler: any LogHandler) {
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
    /// A key the record shares with the logger's metadata takes the record's value.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) {
        guard level >= self.level else { return }
        let fields = self.metadata.isEmpty ? metadata() : self.metadata.merging(metadata())
        handler.write(LogRecord(date: Date(), level: level, label: label, message: message(), metadata: fields))
    }

    public func trace(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) { log(.trace, message(), metadata()) }
    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) { log(.debug, message(), metadata()) }
    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) { log(.info, message(), metadata()) }
    public func notice(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) { log(.notice, message(), metadata()) }
    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) { log(.warning, message(), metadata()) }
    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:]) { log(.error, message(), metadata()) }
}

/// One log line before formatting (`LogRecord+Format.swift` writes it as text or JSON).
public struct LogRecord: Sendable {
    public var date: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: LogMetadata

    public init(date: Date, level: Logger.Level, label: String, message: String, metadata: LogMetadata) {
        self.date = date
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }
}

/// Where log records go.
public protocol LogHandler: Sendable {
    /// Writes `record`; must be safe to call from any thread.
    func write(_ record: LogRecord)
}

/// Writes each record as one line in `format` to standard error, through
/// `LogWriter.standardError`: the caller never waits for a `write(2)`.
public struct StandardErrorLogHandler: LogHandler {
    public let format: LogFormat

    public init(format: LogFormat = .text) {
        self.format = format
    }

    public func write(_ record: LogRecord) {
        var line: [UInt8] = []
        line.reserveCapacity(192)
        record.append(format, to: &line)
        LogWriter.standardError.write(line: line)
    }
}

/// Drops every record.
public struct NullLogHandler: LogHandler {
    public init() {}
    public func write(_ record: LogRecord) {}
}
