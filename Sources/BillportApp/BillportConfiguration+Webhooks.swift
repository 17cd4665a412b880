import Billing

extension BillportConfiguration {
    /// `webhooks.*`: where tenants' webhooks may go and how long a rotated secret keeps signing.
    static func webhooks(_ reader: inout ConfigReader) throws(ConfigError) -> (WebhookDestinationPolicy, Duration) {
        let policy = WebhookDestinationPolicy(allowHTTP: try reader.bool("webhooks.allowHTTP", default: false),
                                              allowPrivateDestinations: try reader.bool("webhooks.allowPrivateDestinations", default: false))
        let overlap = try reader.duration("webhooks.secretOverlap", default: .seconds(86_400), range: .seconds(0) ... .seconds(30 * 86_400))
        return (policy, overlap)
    }
}
