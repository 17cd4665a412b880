import Foundation
import Testing
@testable import Scheduler

// MARK: - Helpers

private func date(_ iso: String) throws -> Date {
    try Date(iso, strategy: .iso8601)
}

/// The next fire time of `expression` after `iso`, formatted as ISO 8601 so failures read clearly.
private func next(_ expression: String, after iso: String) throws -> String? {
    try CronExpression(expression).nextDate(after: date(iso))?.formatted(.iso8601)
}

/// The error `CronExpression(expression)` throws, or nil when it parses.
private func rejection(_ expression: String) -> CronExpressionError? {
    do {
        _ = try CronExpression(expression)
        return nil
    } catch {
        return error
    }
}

private func values(_ mask: UInt64) -> [Int] {
    (0..<64).filter { mask & (1 << UInt64($0)) != 0 }
}

private func fieldValues(_ cron: CronExpression) -> [[Int]] {
    [cron.minutes, cron.hours, cron.daysOfMonth, cron.months, cron.daysOfWeek].map(values)
}

// MARK: - Parsing: accepted forms

@Test(arguments: [
    ("*", Array(0...59)),
    ("5", [5]),
    ("1-5", [1, 2, 3, 4, 5]),
    ("*/15", [0, 15, 30, 45]),
    ("10-50/10", [10, 20, 30, 40, 50]),
    ("7/20", [7, 27, 47]),
    ("1,2,3-5,*/30", [0, 1, 2, 3, 4, 5, 30]),
    ("0-59/59", [0, 59]),
    ("05", [5]),
])
func minuteFieldForms(field: String, expected: [Int]) throws {
    let cron = try CronExpression("\(field) * * * *")
    #expect(values(cron.minutes) == expected)
}

@Test(arguments: [
    ("jan,JUL,Dec", [1, 7, 12]),
    ("mar-may", [3, 4, 5]),
    ("feb/3", [2, 5, 8, 11]),
    ("1-12/4", [1, 5, 9]),
])
func monthFieldAcceptsNamesCaseInsensitively(field: String, expected: [Int]) throws {
    let cron = try CronExpression("0 0 1 \(field) *")
    #expect(values(cron.months) == expected)
}

@Test(arguments: [
    ("mon-fri", [1, 2, 3, 4, 5]),
    ("SUN", [0]),
    ("7", [0]),
    ("0,7", [0]),
    ("5-7", [0, 5, 6]),
    ("*/2", [0, 2, 4, 6]),
    ("*", [0, 1, 2, 3, 4, 5, 6]),
])
func dayOfWeekFieldFoldsSevenIntoSunday(field: String, expected: [Int]) throws {
    let cron = try CronExpression("0 0 * * \(field)")
    #expect(values(cron.daysOfWeek) == expected)
}

@Test(arguments: [
    ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"), ("@DAILY", "0 0 * * *"),
])
func macrosExpandToTheirFiveFieldForm(macro: String, expansion: String) throws {
    let fromMacro = try CronExpression(macro)
    let fromFields = try CronExpression(expansion)
    #expect(fieldValues(fromMacro) == fieldValues(fromFields))
    #expect(fromMacro.daysUseOrRule == fromFields.daysUseOrRule)
    #expect(fromMacro.description == macro)
}

@Test func descriptionIsTheTrimmedOriginalAndTabsSeparateFields() throws {
    #expect(try CronExpression("  */5\t1-3 *  * mon \n").description == "*/5\t1-3 *  * mon")
    #expect(try CronExpression(" @daily\n").description == "@daily")
}

@Test func orRuleAppliesOnlyWhenNeitherDayFieldStartsWithStar() throws {
    #expect(try CronExpression("0 9 13 * 5").daysUseOrRule)
    #expect(try !CronExpression("0 9 13 * *").daysUseOrRule)
    #expect(try !CronExpression("0 9 * * 5").daysUseOrRule)
    #expect(try !CronExpression("0 9 */2 * 5").daysUseOrRule)
    #expect(try !CronExpression("0 9 13 * */2").daysUseOrRule)
}

@Test func equalExpressionsAreEqualAndHashTogether() throws {
    let set: Set<CronExpression> = [try CronExpression("*/5 * * * *"), try CronExpression(" */5 * * * * ")]
    #expect(set.count == 1)
    #expect(try CronExpression("0 0 * * *") != CronExpression("0 1 * * *"))
}

// MARK: - Parsing: rejections (exact messages)

@Test(arguments: [
    ("*/0 * * * *", #"cron "*/0 * * * *": minute field: step must be at least 1 (got "*/0")"#),
    ("* * * *", #"cron "* * * *": expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got 4"#),
    ("0 0 * * * *", #"cron "0 0 * * * *": expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got 6"#),
    ("", #"cron "": expression is empty"#),
    ("60 * * * *", #"cron "60 * * * *": minute field: 60 is out of range 0-59 (got "60")"#),
    ("0 24 * * *", #"cron "0 24 * * *": hour field: 24 is out of range 0-23 (got "24")"#),
    ("0 0 0 * *", #"cron "0 0 0 * *": day-of-month field: 0 is out of range 1-31 (got "0")"#),
    ("0 0 * 13 *", #"cron "0 0 * 13 *": month field: 13 is out of range 1-12 (got "13")"#),
    ("0 0 * * 8", #"cron "0 0 * * 8": day-of-week field: 8 is out of range 0-7 (got "8")"#),
    ("0 0 * * 1,99999999999999999999", #"cron "0 0 * * 1,99999999999999999999": day-of-week field: 99999999999999999999 is out of range 0-7 (got "99999999999999999999")"#),
    ("0 5-3 * * *", #"cron "0 5-3 * * *": hour field: range 5-3 is reversed (start after end) (got "5-3")"#),
    ("0 0 * * fri-sun", #"cron "0 0 * * fri-sun": day-of-week field: range fri-sun is reversed (start after end) (got "fri-sun")"#),
    ("0 0 1,,2 * *", #"cron "0 0 1,,2 * *": day-of-month field: empty list item (got "1,,2")"#),
    ("1, * * * *", #"cron "1, * * * *": minute field: empty list item (got "1,")"#),
    ("jan * * * *", #"cron "jan * * * *": minute field: names are only allowed in the month and day-of-week fields (got "jan")"#),
    ("0 0 L * *", #"cron "0 0 L * *": day-of-month field: names are only allowed in the month and day-of-week fields (got "L")"#),
    ("0 0 * foo *", #"cron "0 0 * foo *": month field: unknown month name "foo" (expected jan-dec or 1-12) (got "foo")"#),
    ("0 0 * * monday", #"cron "0 0 * * monday": day-of-week field: unknown day name "monday" (expected sun-sat or 0-7) (got "monday")"#),
    ("0 0 ? * *", #"cron "0 0 ? * *": day-of-month field: unexpected character "?" (got "?")"#),
    ("1x * * * *", #"cron "1x * * * *": minute field: "1x" is not a number (got "1x")"#),
    ("-5 * * * *", #"cron "-5 * * * *": minute field: expected a number (got "-5")"#),
    ("1-2-3 * * * *", #"cron "1-2-3 * * * *": minute field: only one "-" is allowed (got "1-2-3")"#),
    ("1/2/3 * * * *", #"cron "1/2/3 * * * *": minute field: only one "/" is allowed (got "1/2/3")"#),
    ("*/ * * * *", #"cron "*/ * * * *": minute field: missing step after "/" (got "*/")"#),
    ("*/x * * * *", #"cron "*/x * * * *": minute field: step must be a number (got "*/x")"#),
    ("*/90 * * * *", #"cron "*/90 * * * *": minute field: step 90 is larger than the field's span 59 (got "*/90")"#),
    ("0 0 30 2 *", #"cron "0 0 30 2 *": never fires: day-of-month "30" does not occur in month "2""#),
    ("0 0 31 4,6,9,11 *", #"cron "0 0 31 4,6,9,11 *": never fires: day-of-month "31" does not occur in month "4,6,9,11""#),
    ("0 0 30,31 feb */1", #"cron "0 0 30,31 feb */1": never fires: day-of-month "30,31" does not occur in month "feb""#),
    ("@reboot", #"cron "@reboot": @reboot is not supported (the scheduler has no boot event); use a time-based schedule such as @daily"#),
    ("@fortnightly", #"cron "@fortnightly": unknown macro (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly) (got "@fortnightly")"#),
    ("@daily 5", #"cron "@daily 5": a macro such as @daily must be the whole expression"#),
])
func rejectsWithExactMessage(expression: String, message: String) {
    #expect(rejection(expression)?.description == message)
}

@Test func errorExposesFieldTokenAndReason() throws {
    let error = try #require(rejection(" 0 0 * 1-13 * "))
    #expect(error == CronExpressionError(expression: "0 0 * 1-13 *", field: "month", token: "1-13",
                                         reason: "13 is out of range 1-12"))
}

@Test func impossibleDatesAreAcceptedWhenTheOrRuleOrAnotherMonthCanFire() throws {
    // Feb 30 never exists, but with both day fields restricted every Monday in February fires.
    #expect(try next("0 0 30 2 mon", after: "2025-01-01T00:00:00Z") == "2025-02-03T00:00:00Z")
    // April has no 31st, December does.
    #expect(try next("0 12 31 4,12 *", after: "2025-01-01T00:00:00Z") == "2025-12-31T12:00:00Z")
    #expect(rejection("0 0 29 2 *") == nil)
}

// MARK: - nextDate

@Test(arguments: [
    // every minute; strictly after, seconds dropped
    ("* * * * *", "2025-01-01T12:00:00Z", "2025-01-01T12:01:00Z"),
    ("* * * * *", "2025-01-01T12:00:59Z", "2025-01-01T12:01:00Z"),
    ("* * * * *", "2025-12-31T23:59:30Z", "2026-01-01T00:00:00Z"),
    // step minutes crossing an hour
    ("*/20 * * * *", "2025-03-10T10:45:00Z", "2025-03-10T11:00:00Z"),
    ("*/20 * * * *", "2025-03-10T10:40:00Z", "2025-03-10T11:00:00Z"),
    ("7/20 * * * *", "2025-03-10T10:50:00Z", "2025-03-10T11:07:00Z"),
    ("10-50/10 9-10 * * *", "2025-03-10T10:50:00Z", "2025-03-11T09:10:00Z"),
    // hourly at :30, exactly at :30 is not "after"
    ("30 * * * *", "2025-03-10T10:30:00Z", "2025-03-10T11:30:00Z"),
    ("30 * * * *", "2025-03-10T10:29:59Z", "2025-03-10T10:30:00Z"),
    ("30 * * * *", "2025-03-10T23:30:00Z", "2025-03-11T00:30:00Z"),
    // daily across month and year ends
    ("0 0 * * *", "2025-01-31T00:00:00Z", "2025-02-01T00:00:00Z"),
    ("0 0 * * *", "2025-02-28T06:00:00Z", "2025-03-01T00:00:00Z"),
    ("0 0 * * *", "2025-12-31T12:00:00Z", "2026-01-01T00:00:00Z"),
    ("15 14 1 * *", "2025-12-01T14:15:00Z", "2026-01-01T14:15:00Z"),
    ("59 23 31 12 *", "2025-12-31T23:59:00Z", "2026-12-31T23:59:00Z"),
    // Feb 29 only in leap years (2100 is not one)
    ("0 0 29 2 *", "2024-02-28T12:00:00Z", "2024-02-29T00:00:00Z"),
    ("0 0 29 2 *", "2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z"),
    ("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"),
    ("0 0 * * *", "2024-02-28T23:59:00Z", "2024-02-29T00:00:00Z"),
    // 31st skips 30-day months and February
    ("0 0 31 * *", "2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z"),
    ("0 0 31 * *", "2025-04-01T00:00:00Z", "2025-05-31T00:00:00Z"),
    ("0 0 31 * *", "2025-05-31T00:00:00Z", "2025-07-31T00:00:00Z"),
    ("0 0 31 * *", "2025-07-31T00:00:00Z", "2025-08-31T00:00:00Z"),
    ("0 0 30 * *", "2025-01-30T00:00:00Z", "2025-03-30T00:00:00Z"),
    ("0 0 29,30,31 * *", "2025-01-31T00:00:00Z", "2025-03-29T00:00:00Z"),
    // DOM/DOW OR rule: the 13th OR a Friday, whichever comes first
    ("0 9 13 * 5", "2025-08-12T10:00:00Z", "2025-08-13T09:00:00Z"),  // Wed 13th
    ("0 9 13 * 5", "2025-08-13T09:00:00Z", "2025-08-15T09:00:00Z"),  // Fri 15th
    ("0 9 13 * 5", "2025-06-01T00:00:00Z", "2025-06-06T09:00:00Z"),  // Fri 6th
    // AND rule when one day field starts with '*': 1st/11th/21st/31st that is a Monday
    ("0 0 */10 * 1", "2025-01-01T00:00:00Z", "2025-03-31T00:00:00Z"),
    // day-of-week 7 and 0 are both Sunday
    ("0 8 * * 7", "2025-06-02T00:00:00Z", "2025-06-08T08:00:00Z"),
    ("0 8 * * 0", "2025-06-02T00:00:00Z", "2025-06-08T08:00:00Z"),
    ("0 8 * * 6-7", "2025-06-08T08:00:00Z", "2025-06-14T08:00:00Z"),
    // names
    ("0 0 1 jul,DEC *", "2025-07-01T00:00:00Z", "2025-12-01T00:00:00Z"),
    ("30 8 * * mon-fri", "2025-06-06T09:00:00Z", "2025-06-09T08:30:00Z"),
    // macros
    ("@weekly", "2025-06-04T13:00:00Z", "2025-06-08T00:00:00Z"),
    ("@weekly", "2025-06-08T00:00:00Z", "2025-06-15T00:00:00Z"),
    ("@yearly", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
    ("@monthly", "2025-01-15T00:00:00Z", "2025-02-01T00:00:00Z"),
    ("@daily", "2025-01-15T00:00:00Z", "2025-01-16T00:00:00Z"),
    ("@hourly", "2025-01-15T23:00:00Z", "2025-01-16T00:00:00Z"),
    // before 1970
    ("0 0 1 1 *", "1969-06-15T00:00:00Z", "1970-01-01T00:00:00Z"),
])
func nextDateFromFixedDates(expression: String, after: String, expected: String) throws {
    #expect(try next(expression, after: after) == expected)
}

@Test func leapDayResolvesWithoutSteppingMinuteByMinute() throws {
    // Three years of minutes would be ~1.6M iterations; skipping months makes this instant.
    #expect(try next("0 0 29 2 *", after: "2025-01-01T00:00:00Z") == "2028-02-29T00:00:00Z")
}

@Test func rareAndCombinationsAreFoundDecadesAhead() throws {
    // Feb 29 that is also a Sunday (day-of-week starts with '*', so both must match): 2032, then 2060.
    #expect(try next("0 0 29 2 */7", after: "2025-01-01T00:00:00Z") == "2032-02-29T00:00:00Z")
    #expect(try next("0 0 29 2 */7", after: "2033-01-01T00:00:00Z") == "2060-02-29T00:00:00Z")
}

@Test func resultIsAtSecondZeroAndStrictlyAfterFractionalDates() throws {
    let start = Date(timeIntervalSince1970: 1_700_000_000.75)  // 2023-11-14T22:13:20.75Z
    let result = try #require(try CronExpression("* * * * *").nextDate(after: start))
    #expect(result == Date(timeIntervalSince1970: 1_700_000_040))  // 22:14:00
    #expect(result.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
}

@Test func consecutiveResultsStrictlyIncrease() throws {
    let cron = try CronExpression("*/7 */5 * * *")
    var current = try date("2025-12-31T20:00:00Z")
    for _ in 0..<50 {
        let following = try #require(cron.nextDate(after: current))
        #expect(following > current)
        current = following
    }
    // 8 more at 20:xx, 36 in hours 0/5/10/15 of Jan 1, then 20:00...20:35 makes 50.
    #expect(current.formatted(.iso8601) == "2026-01-01T20:35:00Z")
}

@Test func nonFiniteDatesGiveNil() throws {
    let cron = try CronExpression("* * * * *")
    #expect(cron.nextDate(after: Date(timeIntervalSince1970: .infinity)) == nil)
    #expect(cron.nextDate(after: Date(timeIntervalSince1970: .nan)) == nil)
}

// MARK: - Cross-check against Calendar, minute by minute

struct CronOracle: Sendable, CustomTestStringConvertible {
    let expression: String
    /// Independent statement of the schedule over Calendar components (weekday: 1 = Sunday).
    let matches: @Sendable (_ minute: Int, _ hour: Int, _ day: Int, _ month: Int, _ weekday: Int) -> Bool
    var testDescription: String { expression }
}

let cronOracles: [CronOracle] = [
    CronOracle(expression: "*/15 9-17 * * mon-fri") { mi, h, _, _, wd in mi % 15 == 0 && (9...17).contains(h) && (2...6).contains(wd) },
    CronOracle(expression: "0 0 29 2 *") { mi, h, d, mo, _ in mi == 0 && h == 0 && d == 29 && mo == 2 },
    CronOracle(expression: "5,35 */6 1,15,29 * sun") { mi, h, d, _, wd in
        [5, 35].contains(mi) && h % 6 == 0 && ([1, 15, 29].contains(d) || wd == 1)
    },
    CronOracle(expression: "0 12 */2 * *") { mi, h, d, _, _ in mi == 0 && h == 12 && d % 2 == 1 },
    CronOracle(expression: "0 0 * * 7") { mi, h, _, _, wd in mi == 0 && h == 0 && wd == 1 },
    CronOracle(expression: "30 23 31 12 *") { mi, h, d, mo, _ in mi == 30 && h == 23 && d == 31 && mo == 12 },
    CronOracle(expression: "* 0 1 1 *") { _, h, d, mo, _ in h == 0 && d == 1 && mo == 1 },
    CronOracle(expression: "0-4 23 28-31 feb,dec 3-4") { mi, h, d, mo, wd in
        (0...4).contains(mi) && h == 23 && [2, 12].contains(mo) && ((28...31).contains(d) || [4, 5].contains(wd))
    },
    CronOracle(expression: "17 */2 * * *") { mi, h, _, _, _ in mi == 17 && h % 2 == 0 },
]

@Test(arguments: cronOracles, ["2024-02-27T22:00:00Z", "2024-12-30T00:00:00Z"])
func matchesMinuteByMinuteCalendarCheck(oracle: CronOracle, windowStart: String) throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let start = try date(windowStart)
    let minutes = 3 * 24 * 60

    var expected: [Date] = []
    for offset in 1...minutes {
        let candidate = start.addingTimeInterval(TimeInterval(offset * 60))
        let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: candidate)
        if oracle.matches(c.minute!, c.hour!, c.day!, c.month!, c.weekday!) { expected.append(candidate) }
    }

    let cron = try CronExpression(oracle.expression)
    let end = start.addingTimeInterval(TimeInterval(minutes * 60))
    var actual: [Date] = []
    var current = start
    while let following = cron.nextDate(after: current), following <= end {
        actual.append(following)
        current = following
    }
    #expect(actual == expected)
}
