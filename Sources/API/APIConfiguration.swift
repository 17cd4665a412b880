import Foundation
import Billing
import PDF

/// What the API needs to know about where it is served.
public struct APIConfiguration: Sendable, Equatable {
    /// The URL buyers reach Billport at (`https://billing.example.com`); every link Billport
    /// hands out is built from it, never from a request's Host header.
    public var publicBaseURL: String
    /// Peers whose `X-Forwarded-For` is believed (the reverse proxy's address).
    public var trustedProxies: Set<String>
    /// Public requests a minute per client address and per link token (0: no limit).
    public var rateLimitPerIP: Int
    public var rateLimitPerToken: Int
    /// Most keys each public rate limiter keeps (fixed-size entries, so a bound in bytes).
    public var rateLimitMaxKeys: Int = 100_000

    /// The payment provider's API origin (`payments.stripeBaseURL`); tests point it at a local fake.
    public var stripeBaseURL: String

    /// Portal messages one customer may leave (`portal.messagesPerCustomerPerDay`).
    public var messageQuota = MessageQuota()
    /// Where webhooks may go (`webhooks.allowHTTP`, `webhooks.allowPrivateDestinations`).
    public var webhookDestinations = WebhookDestinationPolicy()
    /// How long a rotated-out signing secret keeps signing (`webhooks.secretOverlap`).
    public var webhookSecretOverlap: Duration = .seconds(86_400)
    /// What an uploaded logo may be (`branding.maxLogoPixels`).
    public var logoPolicy: LogoPolicy

    public init(publicBaseURL: String = "http://127.0.0.1:8080", trustedProxies: Set<String> = [], rateLimitPerIP: Int = 0,
                rateLimitPerToken: Int = 0, stripeBaseURL: String = "https://api.stripe.com", logoPolicy: LogoPolicy = LogoPolicy()) {
        self.logoPolicy = logoPolicy
        self.stripeBaseURL = stripeBaseURL
        self.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        self.trustedProxies = trustedProxies
        self.rateLimitPerIP = rateLimitPerIP
        self.rateLimitPerToken = rateLimitPerToken
    }
}
