import BillportCore
import Synchronization

/// Keeps log records for assertions.
public final class InMemoryLogHandler: LogHandler {
    private let records = Mutex<[LogRecord]>([])

    public init() {}

    public func write(_ record: LogRecord) {
        records.withLock { $0.append(record) }
    }

    /// Every record so far.
    public var all: [LogRecord] { records.withLock { $0 } }

    /// Every formatted line so far, joined by newlines.
    public var text: String { all.map(\.formatted).joined(separator: "\n") }

    /// Every record as a JSON line (`log.format` `json`), joined by newlines.
    public var json: String { all.map { $0.line(.json) }.joined(separator: "\n") }

    /// A logger at `level` writing here.
    public func logger(_ label: String = "test", level: Logger.Level = .trace) -> Logger {
        Logger(label: label, level: level, handler: self)
    }
}

/// Waits until `condition` holds, checking every few milliseconds, and fails after `timeout`.
/// Use instead of a sleep wherever a test waits for something to happen. The default is
/// generous because it only matters when the test fails: the whole suite runs in parallel on
/// two cores, where a condition met in milliseconds alone can take seconds.
public func eventually(
    timeout: Duration = .seconds(30),
    _ message: @autoclosure () -> String = "condition",
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    if try await condition() { return }
    throw TimedOut(what: message(), after: timeout)
}

/// `eventually` gave up.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let after: Duration
    public var description: String { "timed out after \(after) waiting for \(what)" }
}
