import BillportCore
import Foundation

/// A 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
///
/// UTC so that a schedule names the same instants on every host, whatever its local zone or DST rules.
/// Parsing is strict (see `init(_:)`), so a stored schedule that loads is one that will fire.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    // One bit per allowed value: bit n set means value n matches.
    let minutes: UInt64      // bits 0...59
    let hours: UInt64        // bits 0...23
    let daysOfMonth: UInt64  // bits 1...31
    let months: UInt64       // bits 1...12
    let daysOfWeek: UInt64   // bits 0...6, Sunday = 0 (a 7 in the source is folded into 0)
    /// True when both day fields are restricted (neither starts with `*`): then a day matches when
    /// EITHER field matches (the classic cron OR rule); otherwise both must match.
    let daysUseOrRule: Bool
    let source: String

    /// The original expression, trimmed, so logs and the UI show what the operator wrote.
    public var description: String { source }

    /// How far `nextDate(after:)` searches. Weekday patterns repeat every 400 Gregorian years, so every
    /// expression `init(_:)` accepts fires within this window; rare ones (`0 0 29 2 */7`, Feb 29 on a
    /// Sunday) can be decades apart, which is why this is not a few years.
    static let searchYears = 400

    /// The first matching minute strictly after `date` (seconds dropped), or nil if none within 400 years.
    ///
    /// Never nil for an accepted expression and a date within ±1,000,000 years of 1970; the nil is a safety
    /// net. Skips whole months, days and hours that cannot match, so even rare schedules resolve in
    /// microseconds.
    public func nextDate(after date: Date) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 3.2e13 else { return nil }
        // Strictly after: the minute containing `date` is excluded even when `date` is at second 0.
        let firstMinute = Int((seconds / 60).rounded(.down)) + 1
        var day = Self.floorDivide(firstMinute, 1440)
        var hour = (firstMinute - day * 1440) / 60
        var minute = (firstMinute - day * 1440) % 60
        var (year, month, dayOfMonth) = Self.civilDate(fromDays: day)
        let lastYear = year + Self.searchYears

        // Move to 00:00 of the given day (by day number) and refresh the calendar fields.
        func startDay(_ newDay: Int) {
            day = newDay
            (year, month, dayOfMonth) = Self.civilDate(fromDays: day)
            hour = 0
            minute = 0
        }

        while year <= lastYear {
            if months & (1 << UInt64(month)) == 0 {
                let (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1)
                startDay(Self.days(year: nextYear, month: nextMonth, day: 1))
                continue
            }
            if !dayMatches(dayOfMonth: dayOfMonth, weekday: Self.weekday(fromDays: day)) {
                startDay(day + 1)
                continue
            }
            let laterHours = hours & (UInt64.max << UInt64(hour))
            if laterHours == 0 {
                startDay(day + 1)
                continue
            }
            let matchingHour = laterHours.trailingZeroBitCount
            if matchingHour != hour {
                hour = matchingHour
                minute = 0
            }
            let laterMinutes = minutes & (UInt64.max << UInt64(minute))
            if laterMinutes == 0 {
                if hour == 23 {
                    startDay(day + 1)
                } else {
                    hour += 1
                    minute = 0
                }
                continue
            }
            let total = day * 86_400 + hour * 3_600 + laterMinutes.trailingZeroBitCount * 60
            return Date(timeIntervalSince1970: TimeInterval(total))
        }
        return nil
    }

    func dayMatches(dayOfMonth: Int, weekday: Int) -> Bool {
        let domMatches = daysOfMonth & (1 << UInt64(dayOfMonth)) != 0
        let dowMatches = daysOfWeek & (1 << UInt64(weekday)) != 0
        return daysUseOrRule ? (domMatches || dowMatches) : (domMatches && dowMatches)
    }

    // MARK: - Date arithmetic in UTC (days since 1970-01-01), by BillportCore's CalendarDate

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        CalendarDate(year: year, month: month, day: day).daysSinceEpoch
    }

    static func civilDate(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let date = CalendarDate(daysSinceEpoch: days)
        return (date.year, date.month, date.day)
    }

    static func weekday(fromDays days: Int) -> Int {
        CalendarDate(daysSinceEpoch: days).weekday
    }
}

/// Why a cron expression was rejected; `description` is one clear line for a user,
/// e.g. `cron "*/0 * * * *": minute field: step must be at least 1 (got "*/0")`.
public struct CronExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rejected expression (trimmed), so the message can be shown without the caller's context.
    public let expression: String
    /// The offending field (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`), or nil when the
    /// problem is the expression as a whole (field count, macro, never fires).
    public let field: String?
    /// The offending list item as written, or nil when no single token is at fault.
    public let token: String?
    /// What is wrong, phrased for a user; the other properties locate it.
    public let reason: String

    /// Builds an error; public so that callers validating schedules can construct expected values.
    public init(expression: String, field: String? = nil, token: String? = nil, reason: String) {
        self.expression = expression
        self.field = field
        self.token = token
        self.reason = reason
    }

    /// One line: the expression, where it went wrong, and the token at fault.
    public var description: String {
        var line = "cron \"\(expression)\": "
        if let field { line += "\(field) field: " }
        line += reason
        if let token { line += " (got \"\(token)\")" }
        return line
    }
}
