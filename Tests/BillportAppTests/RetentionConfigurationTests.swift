@testable import BillportApp
import Foundation
import Billing
import Testing

/// `views.retainRaw`, `views.retainAddresses` and `portal.messagesPerCustomerPerDay`.
@Suite struct RetentionConfigurationTests {
    func load(_ file: String? = nil, _ environment: [String: String] = [:]) throws -> BillportConfiguration {
        try BillportConfiguration.load(fileText: file, fileName: "test.json", environment: environment)
    }

    @Test func retentionAndTheMessageQuotaDefaultAndMatchTheShippedFile() throws {
        let defaults = try load()
        #expect(defaults.viewRetention == ViewRetention(raw: .seconds(90 * 86_400), addresses: .seconds(30 * 86_400)))
        #expect(defaults.api.messageQuota == MessageQuota(perDay: 20))
        #expect(defaults.scheduler.schedules.contains { $0.name == "views.prune" && $0.kind == "views.prune" })
        let shipped = try load(try String(contentsOfFile: "config/billport.json", encoding: .utf8))
        #expect(shipped.viewRetention == defaults.viewRetention)
        #expect(shipped.api.messageQuota == defaults.api.messageQuota)
    }

    @Test func retentionAndTheQuotaAreReadFromTheEnvironmentAndChecked() throws {
        let set = try load(nil, ["BILLPORT_VIEWS_RETAIN_RAW": "365d", "BILLPORT_VIEWS_RETAIN_ADDRESSES": "7d",
                                 "BILLPORT_PORTAL_MESSAGES_PER_CUSTOMER_PER_DAY": "5"])
        #expect(set.viewRetention == ViewRetention(raw: .seconds(365 * 86_400), addresses: .seconds(7 * 86_400)))
        #expect(set.api.messageQuota.perDay == 5)
        #expect(throws: ConfigError.self) { try load(nil, ["BILLPORT_VIEWS_RETAIN_ADDRESSES": "1h"]) }
        #expect(throws: ConfigError.self) { try load(#"{"portal": {"messagesPerCustomerPerDay": 0}}"#) }
    }
}
