/// What Billport asks of a hosted checkout: one payment of `amount` towards one invoice.
///
/// It becomes a Checkout Session in `payment` mode with a single line item priced inline
/// (`price_data`), so no Product or Price objects are created at the provider. `tenant` and
/// `invoice` travel as metadata on the session *and* on its PaymentIntent, so both
/// `checkout.session.*` and `charge.*` events can be routed back without a lookup.
public struct CheckoutSessionRequest: Sendable, Equatable {
    /// The amount in minor units of `currency` (cents for EUR, yen for JPY), passed through
    /// unchanged: Stripe's few exceptions to ISO 4217 exponents (ISK, HUF, TWD, UGX) are the
    /// caller's to respect.
    public var amount: Int64
    /// The ISO 4217 code, any case (`EUR`); sent lowercase, as Stripe expects.
    public var currency: String
    /// The invoice number, shown as the line item's name on the checkout page.
    public var invoiceNumber: String
    /// Prefills the checkout's email field and receives Stripe's receipt.
    public var customerEmail: String?
    /// Where the customer lands after paying. May contain `{CHECKOUT_SESSION_ID}`, which
    /// Stripe replaces with the session id; pass it unencoded.
    public var successURL: String
    /// Where the customer lands on "back".
    public var cancelURL: String
    /// The tenant's identifier, sent as `metadata[tenant]`.
    public var tenant: String
    /// The invoice's public id, sent as `metadata[invoice]` and `client_reference_id`.
    public var invoice: String
    /// More metadata for both the session and the PaymentIntent; may not redefine `tenant`
    /// or `invoice`.
    public var metadata: [String: String]
    /// The `Idempotency-Key` header: the same key for every retry of one logical request
    /// (for example derived from the payment attempt's id), a new key for a new attempt.
    public var idempotencyKey: String

    /// Makes a request.
    public init(amount: Int64, currency: String, invoiceNumber: String, customerEmail: String? = nil,
                successURL: String, cancelURL: String, tenant: String, invoice: String,
                metadata: [String: String] = [:], idempotencyKey: String) {
        self.amount = amount
        self.currency = currency
        self.invoiceNumber = invoiceNumber
        self.customerEmail = customerEmail
        self.successURL = successURL
        self.cancelURL = cancelURL
        self.tenant = tenant
        self.invoice = invoice
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
    }

    /// All the metadata sent: the caller's plus `tenant` and `invoice`.
    public var allMetadata: [String: String] {
        metadata.merging(["tenant": tenant, "invoice": invoice]) { _, reserved in reserved }
    }

    /// The first problem Stripe would refuse, found before sending: the form parameter at
    /// fault and why. Metadata limits are Stripe's: 50 keys, keys up to 40 characters
    /// without square brackets, values up to 500 characters.
    public var problem: (param: String, message: String)? {
        if amount <= 0 { return ("line_items[0][price_data][unit_amount]", "amount must be positive") }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return ("line_items[0][price_data][currency]", "currency must be a three-letter ISO 4217 code")
        }
        if invoiceNumber.isEmpty { return ("line_items[0][price_data][product_data][name]", "invoice number is empty") }
        for (param, url) in [("success_url", successURL), ("cancel_url", cancelURL)] {
            let lowercased = url.lowercased()
            if !(lowercased.hasPrefix("https://") || lowercased.hasPrefix("http://")) || url.contains(where: \.isWhitespace) {
                return (param, "\(param) must be an absolute http(s) URL without spaces")
            }
        }
        if metadata["tenant"] != nil || metadata["invoice"] != nil {
            return ("metadata", "metadata keys tenant and invoice are reserved")
        }
        let all = allMetadata
        if all.count > 50 { return ("metadata", "at most 50 metadata keys") }
        for (key, value) in all {
            if key.isEmpty || key.count > 40 || key.contains("[") || key.contains("]") {
                return ("metadata[\(key)]", "metadata keys must be 1–40 characters without square brackets")
            }
            if value.count > 500 { return ("metadata[\(key)]", "metadata values are at most 500 characters") }
        }
        if idempotencyKey.isEmpty || idempotencyKey.count > 255
            || !idempotencyKey.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) {
            return ("Idempotency-Key", "the idempotency key must be 1–255 visible ASCII characters")
        }
        return nil
    }

    /// The form parameters of `POST /v1/checkout/sessions`.
    public var formParameters: [String: FormValue] {
        let metadata = FormValue.object(allMetadata.mapValues { .string($0) })
        var form: [String: FormValue] = [
            "mode": "payment",
            "line_items": [[
                "price_data": [
                    "currency": .string(currency.lowercased()),
                    "unit_amount": .string(String(amount)),
                    "product_data": ["name": .string(invoiceNumber)],
                ],
                "quantity": "1",
            ]],
            "success_url": .string(successURL),
            "cancel_url": .string(cancelURL),
            "client_reference_id": .string(invoice),
            "metadata": metadata,
            "payment_intent_data": ["metadata": metadata],
        ]
        if let customerEmail { form["customer_email"] = .string(customerEmail) }
        return form
    }
}
