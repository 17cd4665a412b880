import BillportCore
import Foundation
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [("250ms", 250), ("30s", 30_000), ("5m", 300_000), ("2h", 7_200_000), ("7d", 604_800_000), ("1h30m", 5_400_000)])
    func parsesUnitsAndSums(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "ten", "5", "m5", "5x", "-5s", "5 s", "99999999999999999999d"])
    func rejectsWhatIsNotADuration(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsCompactly() {
        #expect(DurationText.format(.milliseconds(5_400_250)) == "1h30m250ms")
        #expect(DurationText.format(.zero) == "0s")
        #expect(DurationText.format(.seconds(86_400)) == "1d")
    }
}

@Suite struct ISO8601Tests {
    @Test func formatsUTCWithAndWithoutMilliseconds() {
        let date = Date(unixMilliseconds: 1_795_341_600_123)
        #expect(ISO8601.format(date) == "2026-11-22T10:00:00Z")
        #expect(ISO8601.format(date, fractional: true) == "2026-11-22T10:00:00.123Z")
        #expect(ISO8601.format(Date(unixMilliseconds: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func parsesZuluFractionsAndOffsets() {
        #expect(ISO8601.parse("2026-11-22T10:00:00Z")?.unixMilliseconds == 1_795_341_600_000)
        #expect(ISO8601.parse("2026-11-22T10:00:00.5Z")?.unixMilliseconds == 1_795_341_600_500)
        #expect(ISO8601.parse("2026-11-22T11:30:00+01:30")?.unixMilliseconds == 1_795_341_600_000)
    }

    @Test(arguments: ["2026-11-22", "2026-02-30T10:00:00Z", "2026-11-22T25:00:00Z", "2026-11-22T10:00:00", "2026-11-22T10:00:00Zjunk"])
    func rejectsMalformedTimestamps(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }
}

@Suite struct CalendarDateTests {
    @Test func roundTripsThroughDaysSinceEpoch() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CalendarDate(parsing: "2028-02-29")?.adding(days: 1).description == "2028-03-01")
    }

    @Test func agreesWithFoundationsGregorianCalendarIncludingWeekdays() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Calendar switches to Julian before 1582, so compare from 1600 to about 9999.
        for days in stride(from: -135_000, through: 2_930_000, by: 997) {
            let reference = calendar.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(days) * 86_400))
            let date = CalendarDate(daysSinceEpoch: days)
            #expect([date.year, date.month, date.day] == [reference.year, reference.month, reference.day], "days \(days)")
            #expect(date.weekday == reference.weekday! - 1, "days \(days)")
        }
    }

    @Test func rejectsDaysThatDoNotExist() {
        #expect(CalendarDate(parsing: "2026-02-29") == nil)
        #expect(CalendarDate(parsing: "2026-13-01") == nil)
        #expect(CalendarDate(parsing: "26-01-01") == nil)
        #expect(CalendarDate(parsing: "2100-02-29") == nil)
        #expect(CalendarDate(parsing: "2000-02-29") != nil)
    }

    @Test func decodesFromJSONWithAClearError() throws {
        struct Invoice: Decodable { let dueDate: CalendarDate }
        let invoice = try JSONDecoder().decode(Invoice.self, from: Data(#"{"dueDate": "2026-12-01"}"#.utf8))
        #expect(invoice.dueDate == CalendarDate(year: 2026, month: 12, day: 1))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Invoice.self, from: Data(#"{"dueDate": "01/12/2026"}"#.utf8)) }
    }
}
