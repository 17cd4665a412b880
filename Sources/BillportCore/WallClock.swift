import Foundation

/// The source of "now" for everything that stores or compares wall-clock times.
///
/// Injected rather than read from `Date()` so that tests can move time by hand (lease expiry,
/// backoff, schedules) without sleeping.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
    /// Creates the real clock.
    public init() {}
    /// The current instant from the OS.
    public func now() -> Date { Date() }
}

extension Date {
    /// Milliseconds since 1970-01-01 UTC: how Billport stores instants (an integer, never a float).
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The instant `milliseconds` after 1970-01-01 UTC.
    public init(unixMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

extension Duration {
    /// The duration in whole milliseconds (rounded down).
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration as a `TimeInterval`, for `Date` arithmetic.
    public var timeInterval: TimeInterval { Double(milliseconds) / 1000 }
}
