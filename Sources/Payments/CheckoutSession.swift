import Foundation

/// A Stripe Checkout Session as the API returns it and as `checkout.session.*` events carry it;
/// only the fields Billport uses. Unknown fields are ignored.
public struct CheckoutSession: Sendable, Equatable, Decodable {
    /// The session's lifecycle (`open`, `complete`, `expired`); an open set.
    public struct Status: RawRepresentable, Sendable, Hashable, Decodable {
        /// Stripe's word for it.
        public let rawValue: String
        /// Wraps Stripe's word.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Decodes from a JSON string.
        public init(from decoder: any Decoder) throws { rawValue = try String(from: decoder) }
        /// The customer can still pay.
        public static let open = Status(rawValue: "open")
        /// The customer finished the checkout (see `PaymentStatus` for the money).
        public static let complete = Status(rawValue: "complete")
        /// The session ran out without completing.
        public static let expired = Status(rawValue: "expired")
    }

    /// Whether the money arrived (`paid`, `unpaid`, `no_payment_required`); an open set.
    /// A completed session can still be `unpaid` for delayed methods (SEPA debit): the
    /// money then arrives with `checkout.session.async_payment_succeeded`.
    public struct PaymentStatus: RawRepresentable, Sendable, Hashable, Decodable {
        /// Stripe's word for it.
        public let rawValue: String
        /// Wraps Stripe's word.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Decodes from a JSON string.
        public init(from decoder: any Decoder) throws { rawValue = try String(from: decoder) }
        /// The money is in.
        public static let paid = PaymentStatus(rawValue: "paid")
        /// Not (yet) paid.
        public static let unpaid = PaymentStatus(rawValue: "unpaid")
        /// Nothing was due (a 100 % discount).
        public static let noPaymentRequired = PaymentStatus(rawValue: "no_payment_required")
    }

    /// `cs_test_…` / `cs_live_…`.
    public var id: String
    /// The hosted page to send the customer to; null once the session is complete or expired.
    public var url: String?
    /// open, complete or expired (nullable in Stripe's schema).
    public var status: Status?
    /// paid, unpaid or no_payment_required.
    public var paymentStatus: PaymentStatus
    /// The total in minor units, nil when Stripe sends null.
    public var amountTotal: Int64?
    /// The ISO 4217 code, lowercase as Stripe sends it.
    public var currency: String?
    /// The email Billport passed in, if any.
    public var customerEmail: String?
    /// The email the payer entered on the page (`customer_details.email`), once known.
    public var payerEmail: String?
    /// What Billport attached: `tenant`, `invoice` and any extra keys.
    public var metadata: [String: String]
    /// The PaymentIntent's id (`pi_…`), once there is one.
    public var paymentIntent: String?
    /// `client_reference_id`: Billport sends the invoice's public id.
    public var clientReferenceID: String?
    /// When the session was made.
    public var created: Date
    /// When the session stops accepting payment.
    public var expiresAt: Date
    /// Live (true) or test mode.
    public var livemode: Bool

    enum CodingKeys: String, CodingKey {
        case id, url, status, currency, metadata, created, livemode
        case paymentStatus = "payment_status", amountTotal = "amount_total", customerEmail = "customer_email"
        case customerDetails = "customer_details", paymentIntent = "payment_intent"
        case clientReferenceID = "client_reference_id", expiresAt = "expires_at"
    }

    private enum DetailsKeys: String, CodingKey { case email }

    /// Decodes Stripe's JSON; unknown fields are ignored, an expanded `payment_intent` gives its id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        status = try container.decodeIfPresent(Status.self, forKey: .status)
        paymentStatus = try container.decode(PaymentStatus.self, forKey: .paymentStatus)
        amountTotal = try container.decodeIfPresent(Int64.self, forKey: .amountTotal)
        currency = try container.decodeIfPresent(String.self, forKey: .currency)
        customerEmail = try container.decodeIfPresent(String.self, forKey: .customerEmail)
        if container.contains(.customerDetails), try !container.decodeNil(forKey: .customerDetails) {
            let details = try container.nestedContainer(keyedBy: DetailsKeys.self, forKey: .customerDetails)
            payerEmail = try details.decodeIfPresent(String.self, forKey: .email)
        }
        metadata = try container.decodeMetadata(forKey: .metadata)
        paymentIntent = try container.decodeExpandableIDIfPresent(forKey: .paymentIntent)
        clientReferenceID = try container.decodeIfPresent(String.self, forKey: .clientReferenceID)
        created = try container.decodeUnixTime(forKey: .created)
        expiresAt = try container.decodeUnixTime(forKey: .expiresAt)
        livemode = try container.decodeIfPresent(Bool.self, forKey: .livemode) ?? false
    }

    /// Whether `id` has the shape of a Checkout Session id (`cs_` and letters, digits and
    /// underscores): anything else is refused before it reaches a URL path or a query.
    public static func isWellFormedID(_ id: String) -> Bool {
        id.hasPrefix("cs_") && id.count <= 255 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Decodes a session from a JSON object (an API response body).
    public static func decode(_ bytes: [UInt8]) throws(ProviderDecodingError) -> CheckoutSession {
        try StripeDecoding.decode(CheckoutSession.self, from: bytes)
    }
}
