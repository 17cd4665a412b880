/// How Billport reaches Stripe: where, with which key, how patiently.
public struct StripeConfiguration: Sendable, Equatable {
    /// The API's origin, without a trailing slash; tests point it at the fake provider.
    public var baseURL: String
    /// The secret key requests authenticate with (`Authorization: Bearer sk_…`).
    public var secretKey: StripeSecretKey
    /// How long connecting (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// How long one request may take in all. Stripe's own libraries wait up to 80 s; a
    /// checkout is created while a customer waits, so Billport gives up sooner and the caller
    /// retries with the same idempotency key.
    public var timeout: Duration
    /// Sent as `Stripe-Version` to pin the API version; nil uses the account's default.
    public var apiVersion: String?
    /// Sent as `User-Agent`.
    public var userAgent: String

    /// Makes a configuration; only the key has no default.
    public init(secretKey: StripeSecretKey, baseURL: String = "https://api.stripe.com",
                connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(30),
                apiVersion: String? = nil, userAgent: String = "Billport") {
        self.baseURL = baseURL
        self.secretKey = secretKey
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.apiVersion = apiVersion
        self.userAgent = userAgent
    }

    /// What is wrong with the configuration, nil when it is usable. Checked once, when the
    /// client is made; the message never contains the key.
    public var problem: String? {
        if !secretKey.isWellFormed { return "the Stripe secret key must look like sk_test_… or sk_live_… (got \(secretKey))" }
        let base = baseURL.lowercased()
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else { return "baseURL must be an http(s) URL" }
        if baseURL.hasSuffix("/") { return "baseURL must not end with /" }
        if connectTimeout <= .zero || timeout <= .zero { return "timeouts must be positive" }
        if let apiVersion, apiVersion.isEmpty || apiVersion.contains(where: { $0.isNewline }) {
            return "apiVersion must be one non-empty line"
        }
        return nil
    }
}
