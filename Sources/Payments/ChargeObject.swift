import Foundation

/// A Stripe Charge as `charge.*` events carry it; only the fields Billport uses.
public struct ChargeObject: Sendable, Equatable, Decodable {
    /// One refund of the charge.
    public struct Refund: Sendable, Equatable, Decodable {
        /// `re_…`.
        public var id: String
        /// The refunded amount in minor units.
        public var amount: Int64
        /// The ISO 4217 code, lowercase.
        public var currency: String
        /// pending, requires_action, succeeded, failed or canceled (nullable in Stripe's schema).
        public var status: String?
        /// duplicate, fraudulent, requested_by_customer, … or nil.
        public var reason: String?
        /// When it was made.
        public var created: Date
        /// Metadata of the refund itself.
        public var metadata: [String: String]

        enum CodingKeys: String, CodingKey { case id, amount, currency, status, reason, created, metadata }

        /// Decodes Stripe's JSON; unknown fields are ignored.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            amount = try container.decode(Int64.self, forKey: .amount)
            currency = try container.decode(String.self, forKey: .currency)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
            created = try container.decodeUnixTime(forKey: .created)
            metadata = try container.decodeMetadata(forKey: .metadata)
        }
    }

    /// `ch_…` or `py_…`.
    public var id: String
    /// The charged amount in minor units.
    public var amount: Int64
    /// How much of it has been refunded so far, in minor units (cumulative, not this refund's).
    public var amountRefunded: Int64
    /// The ISO 4217 code, lowercase.
    public var currency: String
    /// The PaymentIntent's id (`pi_…`), which links the charge to its checkout session.
    public var paymentIntent: String?
    /// Whether the whole amount has been refunded.
    public var refunded: Bool
    /// The PaymentIntent's metadata, copied by Stripe (Billport's `tenant` and `invoice`).
    public var metadata: [String: String]
    /// When the charge was made.
    public var created: Date
    /// The refunds, when the event includes the list (API versions before 2022-11-15 do;
    /// later ones leave it out, and nil says so, distinct from an empty list).
    public var refunds: [Refund]?

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, refunded, metadata, created, refunds
        case amountRefunded = "amount_refunded", paymentIntent = "payment_intent"
    }

    private struct RefundList: Decodable { let data: [Refund] }

    /// Decodes Stripe's JSON; unknown fields are ignored, `refunds` is read from its list object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        amount = try container.decode(Int64.self, forKey: .amount)
        amountRefunded = try container.decode(Int64.self, forKey: .amountRefunded)
        currency = try container.decode(String.self, forKey: .currency)
        paymentIntent = try container.decodeExpandableIDIfPresent(forKey: .paymentIntent)
        refunded = try container.decode(Bool.self, forKey: .refunded)
        metadata = try container.decodeMetadata(forKey: .metadata)
        created = try container.decodeUnixTime(forKey: .created)
        refunds = try container.decodeIfPresent(RefundList.self, forKey: .refunds)?.data
    }
}
