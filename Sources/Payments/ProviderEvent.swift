import Foundation

/// A webhook event from the provider: the envelope and, for the types Billport acts on, the
/// decoded object. Decode only a payload whose signature `WebhookSignature.verify` accepted.
public struct ProviderEvent: Sendable, Equatable {
    /// What happened, with the object it happened to.
    public enum Payload: Sendable, Equatable {
        /// `checkout.session.completed`: the customer finished the checkout; paid unless
        /// `paymentStatus` says otherwise (delayed methods).
        case checkoutSessionCompleted(CheckoutSession)
        /// `checkout.session.async_payment_succeeded`: a delayed payment arrived.
        case checkoutSessionAsyncPaymentSucceeded(CheckoutSession)
        /// `checkout.session.async_payment_failed`: a delayed payment failed.
        case checkoutSessionAsyncPaymentFailed(CheckoutSession)
        /// `checkout.session.expired`: the session closed without payment.
        case checkoutSessionExpired(CheckoutSession)
        /// `charge.refunded`: some or all of a charge went back to the customer.
        case chargeRefunded(ChargeObject)
        /// Any other type, left undecoded; acknowledge and ignore it.
        case other(type: String)
    }

    /// `evt_…`: unique per event, the key that makes applying an event idempotent.
    public var id: String
    /// `checkout.session.completed`, …
    public var type: String
    /// When the event happened.
    public var created: Date
    /// Live (true) or test mode.
    public var livemode: Bool
    /// The API version the object is rendered in, when the envelope says.
    public var apiVersion: String?
    /// The decoded object.
    public var payload: Payload

    /// Decodes the raw webhook body (the bytes whose signature was verified). Unknown fields
    /// and unknown event types are fine; a known type with a missing required field is not.
    public static func decode(_ body: [UInt8]) throws(ProviderDecodingError) -> ProviderEvent {
        try StripeDecoding.decode(Envelope.self, from: body).event
    }
}

/// The wire shape: `{"id","object":"event","type","created","livemode","api_version","data":{"object":{…}}}`.
private struct Envelope: Decodable {
    let event: ProviderEvent

    enum CodingKeys: String, CodingKey { case id, type, created, livemode, data, apiVersion = "api_version" }
    enum DataKeys: String, CodingKey { case object }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let data = try container.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
        let payload: ProviderEvent.Payload
        switch type {
        case "checkout.session.completed":
            payload = .checkoutSessionCompleted(try data.decode(CheckoutSession.self, forKey: .object))
        case "checkout.session.async_payment_succeeded":
            payload = .checkoutSessionAsyncPaymentSucceeded(try data.decode(CheckoutSession.self, forKey: .object))
        case "checkout.session.async_payment_failed":
            payload = .checkoutSessionAsyncPaymentFailed(try data.decode(CheckoutSession.self, forKey: .object))
        case "checkout.session.expired":
            payload = .checkoutSessionExpired(try data.decode(CheckoutSession.self, forKey: .object))
        case "charge.refunded":
            payload = .chargeRefunded(try data.decode(ChargeObject.self, forKey: .object))
        default:
            payload = .other(type: type)
        }
        event = ProviderEvent(
            id: try container.decode(String.self, forKey: .id), type: type,
            created: try container.decodeUnixTime(forKey: .created),
            livemode: try container.decode(Bool.self, forKey: .livemode),
            apiVersion: try container.decodeIfPresent(String.self, forKey: .apiVersion), payload: payload)
    }
}
