import BillportCore
import Foundation

/// The `Date` header's form (RFC 5322 §3.3), always in UTC: `Sun, 01 Nov 2026 10:30:00 +0000`.
///
/// Written by hand over `UTCDateParts` so that it depends on no locale or formatter state.
enum RFC5322Date {
    /// `date` formatted to the second, in UTC.
    static func format(_ date: Date) -> String {
        let parts = UTCDateParts(epochSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
        let two = { UTCDateParts.padded($0, 2) }
        return "\(parts.weekdayAbbreviation), \(two(parts.day)) \(parts.monthAbbreviation) \(parts.year) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
