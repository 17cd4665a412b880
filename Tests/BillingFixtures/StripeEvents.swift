/// Provider events as the tests write them by hand: what anyone holding a tenant's webhook
/// secret (the provider, or the tenant itself) can sign.
public enum StripeEvents {
    /// A `checkout.session.completed` event for `session` with Billport's metadata.
    public static func checkoutCompleted(id: String, session: String, tenant: String, invoice: String, amount: Int64,
                                         paymentStatus: String = "paid") -> String {
        """
        {"id": "\(id)", "object": "event", "type": "checkout.session.completed", "created": 1764000000, "livemode": false,
         "data": {"object": {"id": "\(session)", "object": "checkout.session", "payment_status": "\(paymentStatus)", "status": "complete",
          "amount_total": \(amount), "currency": "eur", "metadata": {"tenant": "\(tenant)", "invoice": "\(invoice)"},
          "payment_intent": "pi_\(id)", "created": 1764000000, "expires_at": 1764086400, "livemode": false, "url": null}}}
        """
    }
}
