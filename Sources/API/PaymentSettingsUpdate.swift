import BillportCore
import Payments
import Billing

/// A change to a tenant's payment settings, from `PUT /api/settings/payments` or
/// `billport tenant payments`. An absent field stays as it is; `secretKey: null` disconnects,
/// `webhookSecrets: null` removes every secret; the plan cannot be null.
public struct PaymentSettingsUpdate: Decodable, Sendable, KnownKeys {
    public var plan: String?
    public var secretKey: String??
    public var webhookSecrets: [String]?

    public init(plan: String? = nil, secretKey: String?? = nil, webhookSecrets: [String]? = nil) {
        self.plan = plan
        self.secretKey = secretKey
        self.webhookSecrets = webhookSecrets
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case plan, secretKey, webhookSecrets }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        plan = try container.decodeUnlessAbsent(forKey: .plan)
        secretKey = try container.decodeChange(forKey: .secretKey)
        // null clears the list, as an empty list does.
        webhookSecrets = try container.decodeChange([String].self, forKey: .webhookSecrets).map { $0 ?? [] }
    }

    /// `current` with the change, validated field by field (the error names the field, never the secret).
    public func applied(to current: PaymentSettings) throws(FieldError) -> PaymentSettings {
        var next = current
        if let plan {
            guard let value = Plan(rawValue: plan) else { throw FieldError("plan", "must be free or pro") }
            next.plan = value
        }
        if let secretKey {
            if let key = secretKey, !StripeSecretKey(key).isWellFormed {
                throw FieldError("secretKey", "must be a Stripe secret key (sk_live_…, sk_test_…, rk_live_… or rk_test_…)")
            }
            next.secretKey = secretKey
        }
        if let webhookSecrets {
            guard webhookSecrets.count <= 5 else {
                throw FieldError("webhookSecrets", "at most 5 secrets (the current one and those being rolled)")
            }
            for (index, secret) in webhookSecrets.enumerated() where !Self.isWebhookSecret(secret) {
                throw FieldError("webhookSecrets[\(index)]", "must be a webhook signing secret (whsec_…)")
            }
            next.webhookSecrets = webhookSecrets
        }
        return next
    }

    /// `whsec_` and at least 8 more letters or digits.
    static func isWebhookSecret(_ secret: String) -> Bool {
        secret.hasPrefix("whsec_") && secret.count >= 14 && secret.dropFirst(6).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
