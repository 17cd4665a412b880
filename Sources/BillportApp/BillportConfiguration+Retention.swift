import Foundation
import Billing

extension BillportConfiguration {
    /// `views.retainRaw`, `views.retainAddresses` and `portal.messagesPerCustomerPerDay`: what
    /// public traffic may make the database keep, and for how long. Retention is at least a day,
    /// longer than any `views.dedupeWindow`, so that a refresh is still recognised as one.
    static func retention(_ reader: inout ConfigReader) throws(ConfigError) -> (ViewRetention, MessageQuota) {
        let defaults = ViewRetention()
        let days: ClosedRange<Duration> = .seconds(86_400) ... .seconds(3650 * 86_400)
        let views = ViewRetention(raw: try reader.duration("views.retainRaw", default: defaults.raw, range: days),
                                  addresses: try reader.duration("views.retainAddresses", default: defaults.addresses, range: days))
        let quota = MessageQuota(perDay: try reader.int("portal.messagesPerCustomerPerDay", default: MessageQuota().perDay, range: 1...10_000))
        return (views, quota)
    }
}
