import Foundation
import Payments
import TestSupport
import Testing

/// Online payment end to end: the real server opens checkouts at the fake provider, the fake
/// sends signed events to the real webhook, the real worker applies them through the queue.
@Suite(.serialized) struct PaymentFlowTests {
    func amountDue(_ body: [String: Any]) -> Int64? { (body["amountDue"] as? Int).map(Int64.init) }
    func payments(_ body: [String: Any]) -> [[String: Any]] { body["payments"] as? [[String: Any]] ?? [] }

    @Test func aFullPaymentMarksTheInvoicePaidOnlyWhenTheVerifiedEventArrives() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let page = try await rig.api.send("GET", "/invoice/\(invoice.token)")
        #expect(page.text.contains(#"<form class="pay" method="post" action="/invoice/\#(invoice.token)/pay">"#))
        #expect(page.text.contains("Pay now"))

        // The HTML form answers 303 to the hosted checkout.
        let form = try await rig.api.send("POST", "/invoice/\(invoice.token)/pay", bytes: [],
                                          headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(form.status == 303)
        let location = try #require(form.header("Location"))
        #expect(location.hasPrefix("https://checkout.stripe.com/c/pay/cs_test_"))
        let session = try #require(URL(string: location)?.lastPathComponent)

        let created = try #require(try await rig.fake.requests().last)
        #expect(created.path == "/v1/checkout/sessions")
        #expect(created.field("line_items[0][price_data][unit_amount]") == "\(PaymentRig.total)")
        #expect(created.field("line_items[0][price_data][currency]") == "eur")
        #expect(created.field("line_items[0][price_data][product_data][name]") == "INV-1")
        #expect(created.field("customer_email") == "zoe@acme.example")
        #expect(created.field("metadata[tenant]") == "acme")
        #expect(created.field("success_url") == "https://billing.example.com/pay/complete?session_id={CHECKOUT_SESSION_ID}")
        #expect(created.header("Idempotency-Key")?.hasPrefix("billport-") == true)

        // Coming back from the checkout changes nothing: the page says "being confirmed".
        let pending = try await rig.api.send("GET", "/pay/complete?session_id=\(session)")
        #expect(pending.status == 200)
        #expect(pending.text.contains("is being confirmed"))
        #expect(try await rig.invoiceBody(invoice.id)["status"] as? String == "issued")
        let early = try await rig.api.send("GET", "/api/public/billing/invoices/x/pdfByToken?token=\(session)")
        #expect(early.status == 404)

        let delivery = try await rig.fake.complete(session, webhookURL: rig.webhookURL)
        #expect(delivery.delivery?.status == 200)
        let paid = try await rig.settled(invoice.id)
        #expect(paid["status"] as? String == "paid")
        #expect(amountDue(paid) == 0)
        #expect(paid["amountPaid"] as? Int == Int(PaymentRig.total))
        #expect(payments(paid).map { $0["state"] as? String } == ["succeeded"])
        #expect(payments(paid).first?["checkoutSessionId"] as? String == session)

        let confirmed = try await rig.api.send("GET", "/pay/complete?session_id=\(session)")
        #expect(confirmed.text.contains("has been received"))
        let publicID = try #require(paid["publicId"] as? String)
        let pdf = try await rig.api.send("GET", "/api/public/billing/invoices/\(publicID)/pdfByToken?token=\(session)")
        #expect(pdf.status == 200)
        #expect(pdf.header("Content-Type") == "application/pdf")
        let otherInvoice = try await rig.api.send("GET", "/api/public/billing/invoices/inv_other/pdfByToken?token=\(session)")
        #expect(otherInvoice.status == 404)

        // Paid: no button, and the server refuses another payment.
        #expect(try await rig.api.send("GET", "/invoice/\(invoice.token)").text.contains("Pay now") == false)
        let again = try await rig.pay(invoice.token)
        #expect(again.reply.status == 409)
        #expect(again.reply.errorCode == "invoice_not_payable")
        try await rig.stop()
    }

    @Test func twoPartialPaymentsSettleTheInvoiceAndTheDefaultIsTheLiveAmountDue() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice(partial: true, minimum: 10_000)
        try await rig.payAndComplete(invoice.token, amount: 50_000)
        let half = try await rig.settled(invoice.id)
        #expect(half["status"] as? String == "issued")
        #expect(amountDue(half) == PaymentRig.total - 50_000)

        let below = try await rig.pay(invoice.token, amount: 5_000)
        #expect(below.reply.status == 422)
        #expect(below.reply.errorField == "amount")
        #expect(below.reply.text.contains("minimum payment (100.00 EUR)"))

        // JSON amounts are minor units: a decimal is named, not "not valid JSON".
        let decimal = try await rig.api.send("POST", "/invoice/\(invoice.token)/pay", json: ["amount": 500.5])
        #expect(decimal.status == 422)
        #expect(decimal.errorField == "amount")
        #expect(decimal.text.contains("integer amount in minor units"))

        let rest = try await rig.pay(invoice.token)
        #expect(rest.reply.json["amount"] as? Int == Int(PaymentRig.total - 50_000))
        _ = try await rig.fake.complete(try #require(rest.session), webhookURL: rig.webhookURL)
        let paid = try await rig.settled(invoice.id)
        #expect(paid["status"] as? String == "paid")
        #expect(amountDue(paid) == 0)
        #expect(payments(paid).count == 2)
        try await rig.stop()
    }

    @Test func anOverpaymentIsRefusedAndParallelCheckoutsAreRecordedAsExcess() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice(partial: true)
        let requestsBefore = try await rig.fake.requests().count
        let over = try await rig.pay(invoice.token, amount: PaymentRig.total + 1)
        #expect(over.reply.status == 422)
        #expect(over.reply.errorField == "amount")
        #expect(over.reply.text.contains("must not exceed the amount due (1,356.60 EUR)"))
        #expect(try await rig.fake.requests().count == requestsBefore, "nothing reached the provider")

        // Two tabs: the first checkout is paid at the provider but its event is still on the way
        // when the second opens for the whole amount (too late to expire the first); both count.
        let first = try await rig.pay(invoice.token, amount: 100_000)
        let firstPaid = try await rig.fake.complete(try #require(first.session))
        let second = try await rig.pay(invoice.token)
        _ = try await rig.fake.complete(try #require(second.session), webhookURL: rig.webhookURL)
        #expect(try await rig.deliver(firstPaid).status == 200)
        let body = try await rig.settled(invoice.id)
        #expect(body["status"] as? String == "paid")
        #expect(amountDue(body) == 0)
        #expect(payments(body).compactMap { $0["excess"] as? Int }.reduce(0, +) == 100_000)
        let history = try await rig.api.send("GET", "/api/invoices/\(invoice.id)/payments", token: rig.tenant.token)
        #expect((history.json["history"] as? [[String: Any]])?.contains { $0["action"] as? String == "excess" } == true)
        try await rig.stop()
    }

    @Test func aRepeatedEventAnswers200AndCountsOnce() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try #require(try await rig.pay(invoice.token).session)
        let delivery = try await rig.fake.complete(session)
        let first = try await rig.deliver(delivery)
        let second = try await rig.deliver(delivery)
        #expect(first.status == 200)
        #expect(first.json["duplicate"] as? Bool == false)
        #expect(second.status == 200)
        #expect(second.json["duplicate"] as? Bool == true)
        let body = try await rig.settled(invoice.id)
        #expect(payments(body).count == 1)
        #expect(body["amountPaid"] as? Int == Int(PaymentRig.total))
        #expect(try await rig.storedEvents() == 1)
        try await rig.stop()
    }

    @Test func eventsOutOfOrderEndInTheSameState() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try #require(try await rig.pay(invoice.token).session)
        let completed = try await rig.fake.complete(session, delayed: true)
        let succeeded = try await rig.fake.settleDelayed(session, succeeded: true)
        let refunded = try await rig.fake.refund(session, amount: 10_000)
        // Newest first: the refund, then the money, then the checkout that started it.
        for delivery in [refunded, succeeded, completed] { #expect(try await rig.deliver(delivery).status == 200) }
        let body = try await rig.settled(invoice.id)
        #expect(payments(body).map { $0["state"] as? String } == ["succeeded"])
        #expect(payments(body).first?["refunded"] as? Int == 10_000)
        #expect(amountDue(body) == 10_000)
        #expect(body["status"] as? String == "issued")
        try await rig.stop()
    }

    @Test func aDelayedPaymentThatFailsLeavesTheAmountDue() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try #require(try await rig.pay(invoice.token).session)
        _ = try await rig.fake.complete(session, webhookURL: rig.webhookURL, delayed: true)
        let pending = try await rig.settled(invoice.id)
        #expect(payments(pending).map { $0["state"] as? String } == ["pending"])
        #expect(amountDue(pending) == PaymentRig.total)
        #expect(try await rig.api.send("GET", "/pay/complete?session_id=\(session)").text.contains("being confirmed"))
        // The buyer is not asked to pay what is already on its way.
        let processing = try await rig.api.send("GET", "/invoice/\(invoice.token)")
        #expect(processing.text.contains("A payment of 1,356.60 EUR is being processed"))
        #expect(!processing.text.contains("Pay now"))
        let twice = try await rig.pay(invoice.token)
        #expect(twice.reply.status == 409)
        #expect(twice.reply.text.contains("already being processed"))

        _ = try await rig.fake.settleDelayed(session, succeeded: false, webhookURL: rig.webhookURL)
        let failed = try await rig.settled(invoice.id)
        #expect(payments(failed).map { $0["state"] as? String } == ["failed"])
        #expect(failed["status"] as? String == "issued")
        #expect(amountDue(failed) == PaymentRig.total)
        #expect(try await rig.api.send("GET", "/pay/complete?session_id=\(session)").text.contains("did not go through"))
        #expect(try await rig.api.send("GET", "/invoice/\(invoice.token)").text.contains("Pay now"))
        try await rig.stop()
    }

    @Test func aFullRefundReturnsThePaidInvoiceToIssued() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try await rig.payAndComplete(invoice.token)
        #expect(try await rig.settled(invoice.id)["status"] as? String == "paid")
        _ = try await rig.fake.refund(session, amount: 35_660, webhookURL: rig.webhookURL)
        let partly = try await rig.settled(invoice.id)
        #expect(partly["status"] as? String == "issued")
        #expect(amountDue(partly) == 35_660)
        _ = try await rig.fake.refund(session, amount: 100_000, webhookURL: rig.webhookURL)
        let refunded = try await rig.settled(invoice.id)
        #expect(refunded["status"] as? String == "issued")
        #expect(refunded["amountPaid"] as? Int == 0)
        #expect(amountDue(refunded) == PaymentRig.total)
        #expect(payments(refunded).first?["refunded"] as? Int == Int(PaymentRig.total))
        try await rig.stop()
    }

    @Test func aForgedSignatureOrAnOldTimestampIsRefusedAndNothingStored() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try #require(try await rig.pay(invoice.token).session)
        let forged = try await rig.fake.complete(session, webhookURL: rig.webhookURL, secret: "whsec_attackerSecret123")
        #expect(forged.delivery?.status == 400)
        #expect(forged.delivery?.body?.contains("invalid_signature") == true)
        let stale = try await rig.fake.complete(session, webhookURL: rig.webhookURL, timestamp: Date().addingTimeInterval(-600))
        #expect(stale.delivery?.status == 400)
        #expect(stale.delivery?.body?.contains("old") == true)
        let unsigned = try await rig.api.send("POST", "/webhooks/stripe/acme", bytes: Array(stale.payload.utf8))
        #expect(unsigned.status == 400)
        #expect(try await rig.storedEvents() == 0)
        #expect(try await rig.invoiceBody(invoice.id)["status"] as? String == "issued")
        try await rig.stop()
    }

    @Test func aPaymentForACancelledInvoiceIsRecordedAsExcessAndTheInvoiceStaysCancelled() async throws {
        let rig = try await PaymentRig()
        let invoice = try await rig.invoice()
        let session = try #require(try await rig.pay(invoice.token).session)
        #expect(try await rig.api.send("POST", "/api/invoices/\(invoice.id)/cancel", token: rig.tenant.token).status == 200)
        _ = try await rig.fake.complete(session, webhookURL: rig.webhookURL)
        let body = try await rig.settled(invoice.id)
        #expect(body["status"] as? String == "cancelled")
        #expect(amountDue(body) == 0)
        #expect(payments(body).first?["excess"] as? Int == Int(PaymentRig.total))
        let history = try await rig.api.send("GET", "/api/invoices/\(invoice.id)/payments", token: rig.tenant.token)
        let excess = (history.json["history"] as? [[String: Any]])?.first { $0["action"] as? String == "excess" }
        #expect((excess?["detail"] as? String)?.contains("cancelled") == true)
        try await rig.stop()
    }
}
