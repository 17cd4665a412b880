#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A moment broken down into UTC calendar fields: the one place that calls `gmtime_r`, for
/// every hand-written date format (ISO 8601, IMF-fixdate, RFC 5322, PDF dates).
public struct UTCDateParts: Sendable, Equatable {
    /// The full year, e.g. 2026.
    public let year: Int
    /// 1 (January) to 12.
    public let month: Int
    /// 1 to 31.
    public let day: Int
    /// 0 to 23.
    public let hour: Int
    /// 0 to 59.
    public let minute: Int
    /// 0 to 60 (a leap second, should the C library ever report one).
    public let second: Int
    /// 0 (Sunday) to 6 (Saturday).
    public let weekday: Int

    /// The UTC fields of `epochSeconds` seconds since 1970-01-01T00:00:00Z.
    public init(epochSeconds: Int) {
        var clock = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&clock, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        weekday = Int(parts.tm_wday)
    }

    /// `Sun` … `Sat`, as HTTP and mail dates spell the weekday.
    public var weekdayAbbreviation: String { Self.weekdays[weekday] }

    /// `Jan` … `Dec`, as HTTP and mail dates spell the month.
    public var monthAbbreviation: String { Self.months[month - 1] }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
