import BillportCore
import Testing

@Suite struct UTCDatePartsTests {
    @Test func theEpochIsAThursdayInJanuary1970() {
        let parts = UTCDateParts(epochSeconds: 0)
        #expect([parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second] == [1970, 1, 1, 0, 0, 0])
        #expect(parts.weekdayAbbreviation == "Thu")
        #expect(parts.monthAbbreviation == "Jan")
    }

    /// 2026-11-01T10:30:05Z, a Sunday; and the last second of a leap year.
    @Test func fieldsOfKnownMoments() {
        let sunday = UTCDateParts(epochSeconds: 1_793_529_005)
        #expect([sunday.year, sunday.month, sunday.day, sunday.hour, sunday.minute, sunday.second] == [2026, 11, 1, 10, 30, 5])
        #expect(sunday.weekdayAbbreviation == "Sun")
        #expect(sunday.monthAbbreviation == "Nov")
        let newYearsEve = UTCDateParts(epochSeconds: 1_735_689_599)
        #expect([newYearsEve.year, newYearsEve.month, newYearsEve.day, newYearsEve.hour] == [2024, 12, 31, 23])
        #expect(newYearsEve.weekday == 2)
    }

    @Test func beforeTheEpoch() {
        let parts = UTCDateParts(epochSeconds: -1)
        #expect([parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second] == [1969, 12, 31, 23, 59, 59])
    }

    @Test func paddingKeepsWiderNumbers() {
        #expect(UTCDateParts.padded(7, 2) == "07")
        #expect(UTCDateParts.padded(2026, 4) == "2026")
        #expect(UTCDateParts.padded(12345, 4) == "12345")
        #expect(UTCDateParts.padded(5, 3) == "005")
    }
}
