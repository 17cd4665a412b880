import Billing
import BillportCore

extension BillportConfiguration {
    /// `webhooks.*`: where tenants' webhooks may go and how long a rotated secret keeps signing.
    static func webhooks(_ reader: inout ConfigReader) throws(ConfigError) -> (WebhookDestinationPolicy, Duration) {
        let policy = WebhookDestinationPolicy(allowHTTP: try reader.bool("webhooks.allowHTTP", default: false),
                                              allowPrivateDestinations: try reader.bool("webhooks.allowPrivateDestinations", default: false))
        let overlap = try reader.duration("webhooks.secretOverlap", default: .seconds(86_400), range: .seconds(0) ... .seconds(30 * 86_400))
        return (policy, overlap)
    }
}

extension BillportConfiguration {
    /// `webhooks.connectTimeout`, `timeout`, `retryBase`, `retryMax`, `maxAttempts`,
    /// `disableAfterFailures`, `retain` and `maxPerSecond`: how deliveries are sent, paced, retried and kept.
    static func webhookDelivery(_ reader: inout ConfigReader, policy: WebhookDestinationPolicy) throws(ConfigError) -> WebhookDeliverySettings {
        let defaults = WebhookDeliverySettings()
        let rule = WebhookDeliveryRule(
            retry: RetryPolicy(base: try reader.duration("webhooks.retryBase", default: defaults.rule.retry.base, range: .milliseconds(10) ... .seconds(86_400)),
                               maximum: try reader.duration("webhooks.retryMax", default: defaults.rule.retry.maximum,
                                                            range: .milliseconds(10) ... .seconds(7 * 86_400)),
                               jitter: defaults.rule.retry.jitter),
            maxAttempts: try reader.int("webhooks.maxAttempts", default: defaults.rule.maxAttempts, range: 1...100),
            disableAfterFailures: try reader.int("webhooks.disableAfterFailures", default: defaults.rule.disableAfterFailures, range: 1...10_000))
        return WebhookDeliverySettings(
            policy: policy,
            connectTimeout: try reader.duration("webhooks.connectTimeout", default: defaults.connectTimeout, range: .milliseconds(100) ... .seconds(60)),
            timeout: try reader.duration("webhooks.timeout", default: defaults.timeout, range: .milliseconds(100) ... .seconds(120)),
            rule: rule,
            retention: try reader.duration("webhooks.retain", default: defaults.retention, range: .seconds(86_400) ... .seconds(3650 * 86_400)),
            maxPerSecond: try reader.int("webhooks.maxPerSecond", default: defaults.maxPerSecond, range: 0...1_000_000))
    }
}
