// libFuzzer entry point for webhook bodies from the payment provider. Built by
// Fuzz/run.sh together with the event decoders of Sources/Payments, the event→ledger
// mapping of Sources/BillingJobs/PaymentEventMapping.swift and the ledger's pure rules (Sources/Billing)
// into one module; the imports those files name are empty stand-in modules there.
//
// The bytes are what a tenant's webhook endpoint accepts once the signature checks out, and a
// tenant holds its own signing secret, so any bytes can get here. The invariants: decoding
// either succeeds or throws a `ProviderDecodingError` naming the field; the mapping decides
// without trapping; a change it applies, arriving twice (as two checkouts or two refund
// reports), goes through the ledger's arithmetic without trapping, and the balance it gives
// stays within what was paid.
import Foundation

/// Called by libFuzzer once per input; always returns 0 (a broken invariant traps instead).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProviderEvent(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let event: ProviderEvent
    do {
        event = try ProviderEvent.decode(bytes)
    } catch {
        _ = error.description
        return 0
    }
    // Also through the checkout-session decoder the payment routes use on the provider's answer.
    _ = try? CheckoutSession.decode(bytes)

    for tenant in ["acme", event.payload.metadataTenant ?? ""] {
        switch PaymentEventMapping.decide(event, tenantSlug: tenant) {
        case .ignore(let reason):
            require(!reason.isEmpty, "an ignored event needs a reason")
        case .apply(_, let change):
            ledger(change)
        }
    }
    return 0
}

/// Runs `change` through the ledger's rules as the writer (Sources/BillingStore/LedgerWriter.swift)
/// does, for an invoice of 100.00 with the change arriving for two payments.
func ledger(_ change: LedgerChange) {
    let total: Int64 = 10_000
    let nets: [Int64]
    switch change {
    case .payment(_, _, let amount, _, let state):
        let merged = PaymentLedger.merge(.pending, state)
        nets = [PaymentLedger.net(amount: amount, state: merged, refunded: 0), PaymentLedger.net(amount: amount, state: .succeeded, refunded: 0)]
    case .refund(_, _, let refundedTotal, _):
        // The writer records a refund total only when it rises above what it had (0 here).
        guard refundedTotal > 0 else { return }
        nets = [PaymentLedger.net(amount: total, state: .succeeded, refunded: refundedTotal),
                PaymentLedger.net(amount: total, state: .succeeded, refunded: refundedTotal)]
    }
    for status in [InvoiceStatus.issued, .paid, .cancelled, .draft] {
        // The mapping only lets through amounts an invoice can hold, so two of them always add up.
        guard let balance = try? PaymentLedger.balance(total: total, credited: 0, status: status, netPayments: nets) else {
            fatalError("two in-range payments overflowed: \(change)")
        }
        require(balance.excess >= 0, "negative excess \(balance.excess)")
        require(balance.amountPaid >= 0, "negative amount paid \(balance.amountPaid) from \(change)")
    }
}

extension ProviderEvent.Payload {
    /// The tenant the object's metadata names, so that the mapping's "apply" side is reached.
    var metadataTenant: String? {
        switch self {
        case .checkoutSessionCompleted(let session), .checkoutSessionAsyncPaymentSucceeded(let session),
             .checkoutSessionAsyncPaymentFailed(let session), .checkoutSessionExpired(let session):
            return session.metadata["tenant"]
        case .chargeRefunded(let charge): return charge.metadata["tenant"]
        case .other: return nil
        }
    }
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
