import Billing
import BillportCore
import Payments
import Queue

extension JobHandlers {
    /// `payment.event`: applies one stored, verified provider event to its invoice, once.
    /// The ledger change and the "applied" mark commit together, so a worker killed half-way
    /// leaves the event unapplied and the retried job applies it exactly once.
    /// `beforeCommit` runs inside that transaction (the crash test pauses there).
    public mutating func registerPayments(payments: any PaymentStore, beforeCommit: (@Sendable () -> Void)? = nil) {
        register(BillingJob.applyPaymentEvent) { payload, context in
            guard let event = try await payments.providerEvent(rowID: payload.eventRowId) else {
                throw JobError.discard("eventRowId: no stored provider event \(payload.eventRowId)")
            }
            guard !event.applied else { return }
            let decoded: ProviderEvent
            do {
                decoded = try ProviderEvent.decode(event.payload)
            } catch {
                // The signature was valid, so retrying cannot help: keep the reason on the event.
                try await payments.settleProviderEvent(rowID: event.rowID, outcome: "undecodable: \(error)")
                context.logger.warning("provider event undecodable", ["event": event.eventID, "error": "\(error)"])
                return
            }
            switch PaymentEventMapping.decide(decoded, tenantSlug: event.tenantSlug) {
            case .ignore(let reason):
                try await payments.settleProviderEvent(rowID: event.rowID, outcome: StoredProviderEvent.ignoredOutcome(reason))
            case .apply(let invoice, let change):
                let outcome: EventOutcome
                do {
                    outcome = try await payments.applyLedgerChange(eventRowID: event.rowID, invoicePublicID: invoice, change,
                                                                beforeCommit: beforeCommit)
                } catch let overflow as MoneyOverflow {
                    // Retrying gives the same sum: refuse the event for good, with the reason.
                    try await payments.settleProviderEvent(rowID: event.rowID, outcome: "refused: \(overflow)")
                    context.logger.error("payment event refused", ["event": event.eventID, "error": "\(overflow)"])
                    return
                }
                if case .applied(let detail) = outcome {
                    context.logger.info("payment event applied", ["event": event.eventID, "type": event.type, "result": detail])
                }
            }
        }
    }
}
