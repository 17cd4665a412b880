@testable import BillportApp
import Foundation
import Billing
import Testing

/// `webhooks.*` delivery settings and the `webhooks` queue.
@Suite struct WebhookDeliveryConfigurationTests {
    func load(_ file: String? = nil, _ environment: [String: String] = [:]) throws -> BillportConfiguration {
        try BillportConfiguration.load(fileText: file, fileName: "test.json", environment: environment)
    }

    @Test func theDefaultsAreTheDocumentedOnesAndMatchTheShippedFile() throws {
        let defaults = try load()
        let settings = defaults.webhookDelivery
        #expect(settings.connectTimeout == .seconds(5))
        #expect(settings.timeout == .seconds(15))
        #expect(settings.rule == WebhookDeliveryRule())
        #expect(settings.rule.retry.base == .seconds(60) && settings.rule.retry.maximum == .seconds(12 * 3600))
        #expect(settings.rule.maxAttempts == 16 && settings.rule.disableAfterFailures == 5)
        #expect(settings.retention == .seconds(30 * 86_400))
        #expect(settings.maxPerSecond == 1_250)
        #expect(defaults.worker.queues["webhooks"] == 8, "serve and worker run the webhooks queue by default")
        #expect(defaults.scheduler.schedules.contains { $0.name == "webhooks.prune" && $0.kind == "webhooks.prune" })
        let shipped = try load(try String(contentsOfFile: "config/billport.json", encoding: .utf8))
        #expect(shipped.webhookDelivery == settings)
        #expect(shipped.worker.queues == defaults.worker.queues)
    }

    @Test func settingsAreReadFromTheEnvironmentAndChecked() throws {
        let set = try load(nil, ["BILLPORT_WEBHOOKS_TIMEOUT": "2s", "BILLPORT_WEBHOOKS_CONNECT_TIMEOUT": "500ms", "BILLPORT_WEBHOOKS_RETRY_BASE": "100ms",
                                 "BILLPORT_WEBHOOKS_MAX_ATTEMPTS": "3", "BILLPORT_WEBHOOKS_DISABLE_AFTER_FAILURES": "2",
                                 "BILLPORT_WEBHOOKS_ALLOW_HTTP": "true"])
        #expect(set.webhookDelivery.timeout == .seconds(2))
        #expect(set.webhookDelivery.connectTimeout == .milliseconds(500))
        #expect(set.webhookDelivery.rule.retry.base == .milliseconds(100))
        #expect(set.webhookDelivery.rule.maxAttempts == 3)
        #expect(set.webhookDelivery.rule.disableAfterFailures == 2)
        #expect(set.webhookDelivery.policy.allowHTTP, "the send-time check applies the same destination rule")
        #expect(throws: ConfigError.self) { try load(nil, ["BILLPORT_WEBHOOKS_MAX_ATTEMPTS": "0"]) }
        #expect(throws: ConfigError.self) { try load(nil, ["BILLPORT_WEBHOOKS_TIMEOUT": "10m"]) }
        #expect(throws: ConfigError.self) { try load(#"{"webhooks": {"retain": "1h"}}"#) }
        #expect(try load(nil, ["BILLPORT_WEBHOOKS_MAX_PER_SECOND": "0"]).webhookDelivery.maxPerSecond == 0, "0 lifts the limit")
        #expect(throws: ConfigError.self) { try load(nil, ["BILLPORT_WEBHOOKS_MAX_PER_SECOND": "-1"]) }
    }
}
