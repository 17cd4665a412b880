import Foundation
import Payments
import Billing
import BillingJobs
import Testing
import Worker

/// Which provider events change which invoice, decided without a database.
@Suite struct PaymentEventMappingTests {
    static func session(type: String, paymentStatus: String = "paid", tenant: String = "acme", invoice: String? = "inv_1",
                        amount: String = "5000") -> ProviderEvent {
        let metadata = invoice.map { #"{"tenant": "\#(tenant)", "invoice": "\#($0)"}"# } ?? #"{"tenant": "\#(tenant)"}"#
        return decode(type: type, object: """
            {"id": "cs_test_1", "object": "checkout.session", "payment_status": "\(paymentStatus)", "status": "complete",
             "amount_total": \(amount), "currency": "eur", "metadata": \(metadata), "payment_intent": "pi_1",
             "client_reference_id": null, "created": 1764000000, "expires_at": 1764086400, "livemode": false, "url": null}
            """)
    }

    static func charge(refunded: Int64, tenant: String = "acme") -> ProviderEvent {
        decode(type: "charge.refunded", object: """
            {"id": "ch_1", "object": "charge", "amount": 5000, "amount_refunded": \(refunded), "currency": "eur", "payment_intent": "pi_1",
             "refunded": \(refunded >= 5000), "metadata": {"tenant": "\(tenant)", "invoice": "inv_1"}, "created": 1764000000}
            """)
    }

    static func decode(type: String, object: String) -> ProviderEvent {
        let json = #"{"id": "evt_1", "object": "event", "type": "\#(type)", "created": 1764000000, "livemode": false, "data": {"object": \#(object)}}"#
        return try! ProviderEvent.decode(Array(json.utf8))
    }

    @Test func aPaidCheckoutIsASucceededPayment() {
        #expect(PaymentEventMapping.decide(Self.session(type: "checkout.session.completed"), tenantSlug: "acme")
                == .apply(invoicePublicID: "inv_1", .payment(sessionID: "cs_test_1", paymentIntent: "pi_1", amount: 5000, currency: "eur",
                                                             state: .succeeded)))
    }

    @Test func delayedPaymentsArePendingThenSucceedOrFail() {
        let states: [(String, String, PaymentState)] = [
            ("checkout.session.completed", "unpaid", .pending),
            ("checkout.session.async_payment_succeeded", "paid", .succeeded),
            ("checkout.session.async_payment_failed", "unpaid", .failed),
        ]
        for (type, status, state) in states {
            guard case .apply(_, .payment(_, _, _, _, let decided)) = PaymentEventMapping.decide(
                Self.session(type: type, paymentStatus: status), tenantSlug: "acme") else {
                Issue.record("\(type) not applied")
                continue
            }
            #expect(decided == state, "\(type)")
        }
    }

    @Test func aRefundCarriesTheChargesCumulativeTotal() {
        #expect(PaymentEventMapping.decide(Self.charge(refunded: 1500), tenantSlug: "acme")
                == .apply(invoicePublicID: "inv_1", .refund(chargeID: "ch_1", paymentIntent: "pi_1", refundedTotal: 1500, currency: "eur")))
    }

    @Test func eventsBillportDidNotCauseAreIgnoredWithAReason() {
        let ignored: [ProviderEvent] = [
            Self.session(type: "checkout.session.completed", tenant: "other"),
            Self.session(type: "checkout.session.completed", invoice: nil),
            Self.session(type: "checkout.session.expired", paymentStatus: "unpaid"),
            Self.session(type: "checkout.session.completed", paymentStatus: "no_payment_required"),
            Self.charge(refunded: 100, tenant: "other"),
            Self.decode(type: "customer.created", object: #"{"id": "cus_1"}"#),
        ]
        for event in ignored {
            guard case .ignore(let reason) = PaymentEventMapping.decide(event, tenantSlug: "acme") else {
                Issue.record("\(event.type) was applied")
                continue
            }
            #expect(!reason.isEmpty)
        }
    }

    @Test func amountsBeyondWhatAnInvoiceCanTotalAreRefusedBeforeAnyLedger() {
        #expect(PaymentEventMapping.decide(Self.session(type: "checkout.session.completed", amount: "5000000000000000000"), tenantSlug: "acme")
                == .ignore("checkout cs_test_1: amount 5000000000000000000 is outside 0…1000000000000000"))
        #expect(PaymentEventMapping.decide(Self.session(type: "checkout.session.completed", amount: "-1"), tenantSlug: "acme")
                == .ignore("checkout cs_test_1: amount -1 is outside 0…1000000000000000"))
        #expect(PaymentEventMapping.decide(Self.charge(refunded: 1_000_000_000_000_001), tenantSlug: "acme")
                == .ignore("charge ch_1 refunded: amount 1000000000000001 is outside 0…1000000000000000"))
        if case .apply = PaymentEventMapping.decide(Self.session(type: "checkout.session.completed", amount: "1000000000000000"), tenantSlug: "acme") {
        } else {
            Issue.record("the invoice maximum itself is a valid amount")
        }
    }
}
