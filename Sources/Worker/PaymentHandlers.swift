import BillportCore
import Foundation
import Payments
import Portal
import Queue

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
            guard isAmount(charge.amountRefunded) else { return .ignore("charge \(charge.id) has a refunded amount out of range") }
            return .apply(invoicePublicID: invoice, .refund(chargeID: charge.id, paymentIntent: intent,
                                                            refundedTotal: charge.amountRefunded, currency: charge.currency))
        case .other(let type):
            return .ignore("event type \(type) is not used")
        }
    }

    /// Whether a provider's amount is one Billport's money can hold: 0 up to the largest
    /// invoice amount, so that the ledger's sums stay far inside Int64 (a tenant signs its
    /// own events, so an event can carry any number).
    static func isAmount(_ amount: Int64) -> Bool {
        (0...InvoiceMath.maximumAmount).contains(amount)
    }

    private static func payment(_ session: CheckoutSession, _ state: PaymentState, tenantSlug: String) -> Decision {
        guard session.metadata["tenant"] == tenantSlug, let invoice = session.metadata["invoice"] ?? session.clientReferenceID else {
            return .ignore("checkout \(session.id) was not made by Billport for this tenant")
        }
        guard let amount = session.amountTotal, let currency = session.currency else {
            return .ignore("checkout \(session.id) has no amount")
        }
        guard isAmount(amount) else { return .ignore("checkout \(session.id) has an amount out of range") }
        return .apply(invoicePublicID: invoice, .payment(sessionID: session.id, paymentIntent: session.paymentIntent, amount: amount,
                                                         currency: currency, state: state))
    }
}

extension JobHandlers {
    /// `payment.event`: applies one stored, verified provider event to its invoice, once.
    /// The ledger change and the "applied" mark commit together, so a worker killed half-way
    /// leaves the event unapplied and the retried job applies it exactly once.
    /// `beforeCommit` runs inside that transaction (the crash test pauses there).
    public mutating func registerPayments(store: SQLitePortalStore, beforeCommit: (@Sendable () -> Void)? = nil) {
        register("payment.event") { context in
            let payload = try context.payload(as: SQLitePortalStore.ApplyPaymentEvent.self)
            guard let event = try await store.providerEvent(rowID: payload.eventRowId) else {
                throw JobError.discard("eventRowId: no stored provider event \(payload.eventRowId)")
            }
            guard !event.applied else { return }
            let decoded: ProviderEvent
            do {
                decoded = try ProviderEvent.decode(event.payload)
            } catch {
                // The signature was valid, so retrying cannot help: keep the reason on the event.
                try await store.settleProviderEvent(rowID: event.rowID, outcome: "undecodable: \(error)")
                context.logger.warning("provider event undecodable", ["event": event.eventID, "error": "\(error)"])
                return
            }
            switch PaymentEventMapping.decide(decoded, tenantSlug: event.tenantSlug) {
            case .ignore(let reason):
                try await store.settleProviderEvent(rowID: event.rowID, outcome: reason)
            case .apply(let invoice, let change):
                let outcome = try await store.applyLedgerChange(eventRowID: event.rowID, invoicePublicID: invoice, change,
                                                                beforeCommit: beforeCommit)
                if case .applied(let detail) = outcome {
                    context.logger.info("payment event applied", ["event": event.eventID, "type": event.type, "result": detail])
                }
            }
        }
    }
}
