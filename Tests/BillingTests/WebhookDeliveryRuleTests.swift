import BillportCore
import Foundation
import Billing
import Testing

/// The retry schedule and what each answer means, as the tenant's documentation states them.
@Suite struct WebhookDeliveryRuleTests {
    @Test func theDefaultScheduleRetriesForAboutThreeDays() {
        let rule = WebhookDeliveryRule()
        let start = Date(timeIntervalSince1970: 0)
        func lastAttempt(unit: Double) -> (attempts: Int, at: Date) {
            var (attempts, at) = (1, start)
            while let next = rule.nextAttempt(after: attempts, now: at, unit: unit) { (attempts, at) = (attempts + 1, next) }
            return (attempts, at)
        }
        let slowest = lastAttempt(unit: 0), fastest = lastAttempt(unit: 1), middle = lastAttempt(unit: 0.5)
        #expect(slowest.attempts == 16)
        let day = 86_400.0
        #expect(slowest.at.timeIntervalSince(start) / day > 3.1 && slowest.at.timeIntervalSince(start) / day < 3.3)
        #expect(middle.at.timeIntervalSince(start) / day > 2.6 && middle.at.timeIntervalSince(start) / day < 3.0)
        #expect(fastest.at.timeIntervalSince(start) / day > 2.3)
        // The first waits: 1, 2, 4 minutes (without jitter); never more than 12 hours.
        #expect(rule.nextAttempt(after: 1, now: start, unit: 0) == start.addingTimeInterval(60))
        #expect(rule.nextAttempt(after: 3, now: start, unit: 0) == start.addingTimeInterval(240))
        #expect(rule.nextAttempt(after: 15, now: start, unit: 0) == start.addingTimeInterval(12 * 3600))
        #expect(rule.nextAttempt(after: 16, now: start, unit: 0) == nil, "no attempt after the 16th")
    }

    @Test func twoHundredsSucceed410IsGoneAndEverythingElseIsRetried() {
        #expect([200, 201, 202, 204, 299].allSatisfy { WebhookDeliveryRule.result(status: $0) == .delivered })
        #expect(WebhookDeliveryRule.result(status: 410) == .gone)
        #expect([100, 301, 302, 307, 400, 401, 404, 429, 500, 503].allSatisfy { WebhookDeliveryRule.result(status: $0) == .failed })
    }
}
