import Foundation
import Payments
import Testing

@Suite struct ProviderEventTests {
    func decode(_ json: String) throws(ProviderDecodingError) -> ProviderEvent {
        try ProviderEvent.decode(Array(json.utf8))
    }

    @Test func decodesCheckoutSessionCompleted() throws {
        let event = try decode(EventFixtures.checkoutSessionCompleted)
        #expect(event.id == "evt_1PfJkT2eZvKYlo2CqTnQmX8f")
        #expect(event.type == "checkout.session.completed")
        #expect(event.created == Date(timeIntervalSince1970: 1_721_822_745))
        #expect(event.livemode == false)
        #expect(event.apiVersion == "2024-06-20")
        guard case .checkoutSessionCompleted(let session) = event.payload else {
            Issue.record("payload \(event.payload)")
            return
        }
        #expect(session.id == "cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY")
        #expect(session.status == .complete)
        #expect(session.paymentStatus == .paid)
        #expect(session.amountTotal == 114_000)
        #expect(session.currency == "eur")
        #expect(session.customerEmail == "billing@kunde.example")
        #expect(session.payerEmail == "zoe.mueller@example.com")
        #expect(session.metadata == ["tenant": "acme", "invoice": "inv_7Hq2ZkP"])
        #expect(session.paymentIntent == "pi_3PfJk92eZvKYlo2C0yNsRk5E")
        #expect(session.clientReferenceID == "inv_7Hq2ZkP")
        #expect(session.url == nil)
        #expect(session.created == Date(timeIntervalSince1970: 1_721_822_701))
        #expect(session.expiresAt == Date(timeIntervalSince1970: 1_721_909_101))
    }

    @Test func decodesDelayedPaymentResults() throws {
        let succeeded = try decode(EventFixtures.asyncPayment("checkout.session.async_payment_succeeded", paymentStatus: "paid"))
        guard case .checkoutSessionAsyncPaymentSucceeded(let session) = succeeded.payload else {
            Issue.record("payload \(succeeded.payload)")
            return
        }
        #expect(session.paymentStatus == .paid)
        #expect(session.paymentIntent == "pi_3PgAsx2eZvKYlo2C1sEPA123", "an expanded PaymentIntent gives its id")
        #expect(session.payerEmail == nil && session.customerEmail == nil)
        #expect(session.metadata["invoice"] == "inv_9Xy")

        let failed = try decode(EventFixtures.asyncPayment("checkout.session.async_payment_failed", paymentStatus: "unpaid"))
        guard case .checkoutSessionAsyncPaymentFailed(let failedSession) = failed.payload else {
            Issue.record("payload \(failed.payload)")
            return
        }
        #expect(failedSession.paymentStatus == .unpaid)

        let expired = try decode(EventFixtures.asyncPayment("checkout.session.expired", paymentStatus: "unpaid"))
        guard case .checkoutSessionExpired = expired.payload else {
            Issue.record("payload \(expired.payload)")
            return
        }
    }

    @Test func decodesChargeRefundedWithItsRefunds() throws {
        let event = try decode(EventFixtures.chargeRefunded)
        guard case .chargeRefunded(let charge) = event.payload else {
            Issue.record("payload \(event.payload)")
            return
        }
        #expect(charge.id == "ch_3PfJk92eZvKYlo2C0k1Xq9Vb")
        #expect(charge.amount == 114_000)
        #expect(charge.amountRefunded == 40_000)
        #expect(charge.currency == "eur")
        #expect(charge.refunded == false, "partly refunded")
        #expect(charge.paymentIntent == "pi_3PfJk92eZvKYlo2C0yNsRk5E")
        #expect(charge.metadata == ["tenant": "acme", "invoice": "inv_7Hq2ZkP"])
        #expect(charge.refunds?.map(\.id) == ["re_3PfJk92eZvKYlo2C0Qd8uGxR", "re_3PfJk92eZvKYlo2C0aB1cD2e"])
        #expect(charge.refunds?.map(\.amount) == [25_000, 15_000])
        #expect(charge.refunds?.first?.reason == "requested_by_customer")
        #expect(charge.refunds?.first?.status == "succeeded")
        #expect(charge.refunds?.first?.metadata == ["reason_note": "partial goodwill"])
        #expect(charge.refunds?.last?.created == Date(timeIntervalSince1970: 1_722_000_000))
    }

    @Test func aChargeWithoutARefundsListHasNilRefunds() throws {
        guard case .chargeRefunded(let charge) = try decode(EventFixtures.chargeRefundedWithoutList).payload else {
            Issue.record("not a refund")
            return
        }
        #expect(charge.refunds == nil)
        #expect(charge.refunded)
        #expect(charge.amountRefunded == charge.amount)
        #expect(charge.paymentIntent == nil)
        #expect(charge.metadata.isEmpty)
    }

    @Test func otherTypesAreKeptUndecoded() throws {
        let event = try decode(EventFixtures.invoicePaid)
        #expect(event.payload == .other(type: "invoice.paid"))
        #expect(event.livemode)
    }

    @Test func aMissingRequiredFieldIsNamed() {
        let noPaymentStatus = EventFixtures.checkoutSessionCompleted.replacingOccurrences(of: "\"payment_status\": \"paid\",", with: "")
        #expect(throws: ProviderDecodingError.missingField("data.object.payment_status")) { try decode(noPaymentStatus) }
        let nullAmountRefunded = EventFixtures.chargeRefunded.replacingOccurrences(of: "\"amount_refunded\": 40000", with: "\"amount_refunded\": null")
        #expect(throws: ProviderDecodingError.missingField("data.object.amount_refunded")) { try decode(nullAmountRefunded) }
        let noEventID = EventFixtures.invoicePaid.replacingOccurrences(of: "\"id\": \"evt_1Other\", ", with: "")
        #expect(throws: ProviderDecodingError.missingField("id")) { try decode(noEventID) }
        #expect(throws: ProviderDecodingError.missingField("data")) { try decode(#"{"id":"evt_1","type":"charge.refunded","created":1,"livemode":false}"#) }
        let refundWithoutID = EventFixtures.chargeRefunded.replacingOccurrences(of: "\"id\": \"re_3PfJk92eZvKYlo2C0aB1cD2e\",", with: "")
        #expect(throws: ProviderDecodingError.missingField("data.object.refunds.data[1].id")) { try decode(refundWithoutID) }
    }

    @Test func aFieldOfTheWrongTypeIsNamed() {
        let textAmount = EventFixtures.checkoutSessionCompleted.replacingOccurrences(of: "\"amount_total\": 114000", with: "\"amount_total\": \"114000\"")
        #expect(throws: ProviderDecodingError.self) { try decode(textAmount) }
        do {
            _ = try decode(textAmount)
        } catch {
            guard case .invalidField(let field, let problem) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(field == "data.object.amount_total")
            #expect(problem.contains("data.object.amount_total"))
        }
    }

    @Test func notJSONIsMalformed() {
        #expect(throws: ProviderDecodingError.malformedJSON) { try decode("event=checkout.session.completed") }
        #expect(throws: ProviderDecodingError.malformedJSON) { try decode("") }
        #expect(throws: ProviderDecodingError.self) { try decode("[]") }
    }
}
