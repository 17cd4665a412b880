import BillportCore
import Foundation
import Payments
import Billing

/// What a verified provider event means for Billport: a change to one invoice's ledger, or
/// nothing (with the reason, kept on the stored event). Pure, so every event type is unit
/// tested without a database.
public enum PaymentEventMapping {
    public enum Decision: Sendable, Equatable {
        case apply(invoicePublicID: String, LedgerChange)
        case ignore(String)
    }

    /// The decision for `event` delivered to the webhook of tenant `tenantSlug`. Only sessions
    /// and charges Billport made (metadata naming this tenant and an invoice) are applied.
    public static func decide(_ event: ProviderEvent, tenantSlug: String) -> Decision {
        switch event.payload {
        case .checkoutSessionCompleted(let session):
            switch session.paymentStatus {
            case .paid: return payment(session, .succeeded, tenantSlug: tenantSlug)
            case .unpaid: return payment(session, .pending, tenantSlug: tenantSlug)
            default: return .ignore("checkout completed with payment status \(session.paymentStatus.rawValue)")
            }
        case .checkoutSessionAsyncPaymentSucceeded(let session):
            return payment(session, .succeeded, tenantSlug: tenantSlug)
        case .checkoutSessionAsyncPaymentFailed(let session):
            return payment(session, .failed, tenantSlug: tenantSlug)
        case .checkoutSessionExpired:
            return .ignore("checkout expired without payment")
        case .chargeRefunded(let charge):
            guard charge.metadata["tenant"] == tenantSlug, let invoice = charge.metadata["invoice"] else {
                return .ignore("charge \(charge.id) was not made by Billport for this tenant")
            }
            guard let intent = charge.paymentIntent else { return .ignore("charge \(charge.id) has no payment intent") }
            if let refusal = outOfRange(charge.amountRefunded, "charge \(charge.id) refunded") { return refusal }
            return .apply(invoicePublicID: invoice, .refund(chargeID: charge.id, paymentIntent: intent,
                                                            refundedTotal: charge.amountRefunded, currency: charge.currency))
        case .other(let type):
            return .ignore("event type \(type) is not used")
        }
    }

    private static func payment(_ session: CheckoutSession, _ state: PaymentState, tenantSlug: String) -> Decision {
        guard session.metadata["tenant"] == tenantSlug, let invoice = session.metadata["invoice"] ?? session.clientReferenceID else {
            return .ignore("checkout \(session.id) was not made by Billport for this tenant")
        }
        guard let amount = session.amountTotal, let currency = session.currency else {
            return .ignore("checkout \(session.id) has no amount")
        }
        if let refusal = outOfRange(amount, "checkout \(session.id)") { return refusal }
        return .apply(invoicePublicID: invoice, .payment(sessionID: session.id, paymentIntent: session.paymentIntent, amount: amount,
                                                         currency: currency, state: state))
    }

    /// No single amount can be beyond what one invoice may total: such an event is refused
    /// before it reaches a ledger, whoever signed it.
    static func outOfRange(_ amount: Int64, _ what: String) -> Decision? {
        let range: ClosedRange<Int64> = 0...InvoiceMath.maximumAmount
        return range.contains(amount) ? nil : .ignore("\(what): amount \(amount) is outside \(range.lowerBound)…\(range.upperBound)")
    }
}
