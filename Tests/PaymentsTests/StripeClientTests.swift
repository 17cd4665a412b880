import Foundation
import Payments
import TestSupport
import Testing

/// The client against `fake-stripe.py`, a real HTTP server speaking Stripe's wire format.
@Suite struct StripeClientTests {
    static let successURL = "https://billing.example/invoice/tok_Abc/paid?session={CHECKOUT_SESSION_ID}&lang=de"

    func request(amount: Int64 = 114_000, key: String = "pay-inv_7Hq2ZkP-1", metadata: [String: String] = ["attempt": "1"])
        -> CheckoutSessionRequest {
        CheckoutSessionRequest(amount: amount, currency: "EUR", invoiceNumber: "INV-2026-0042 · Zoë & Söhne",
                               customerEmail: "billing@kunde.example", successURL: Self.successURL,
                               cancelURL: "https://billing.example/invoice/tok_Abc", tenant: "acme",
                               invoice: "inv_7Hq2ZkP", metadata: metadata, idempotencyKey: key)
    }

    @Test func createsASessionWithTheFieldsStripeExpects() async throws {
        let fake = try await FakeStripe.start()
        let session = try await fake.client().createCheckoutSession(request())
        #expect(session.id.hasPrefix("cs_test_"))
        #expect(session.url == "https://checkout.stripe.com/c/pay/\(session.id)")
        #expect(session.status == .open)
        #expect(session.paymentStatus == .unpaid)
        #expect(session.amountTotal == 114_000)
        #expect(session.currency == "eur")
        #expect(session.customerEmail == "billing@kunde.example")
        #expect(session.metadata == ["tenant": "acme", "invoice": "inv_7Hq2ZkP", "attempt": "1"])
        #expect(session.clientReferenceID == "inv_7Hq2ZkP")
        #expect(session.expiresAt > session.created)

        let sent = try #require(try await fake.requests().first)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/checkout/sessions")
        #expect(sent.header("Authorization") == "Bearer \(FakeStripe.apiKey)")
        #expect(sent.header("Idempotency-Key") == "pay-inv_7Hq2ZkP-1")
        #expect(sent.header("Content-Type") == "application/x-www-form-urlencoded")
        let expected: [String: String] = [
            "mode": "payment",
            "line_items[0][price_data][currency]": "eur",
            "line_items[0][price_data][unit_amount]": "114000",
            "line_items[0][price_data][product_data][name]": "INV-2026-0042 · Zoë & Söhne",
            "line_items[0][quantity]": "1",
            "customer_email": "billing@kunde.example",
            "success_url": Self.successURL,
            "cancel_url": "https://billing.example/invoice/tok_Abc",
            "client_reference_id": "inv_7Hq2ZkP",
            "metadata[tenant]": "acme", "metadata[invoice]": "inv_7Hq2ZkP", "metadata[attempt]": "1",
            "payment_intent_data[metadata][tenant]": "acme", "payment_intent_data[metadata][invoice]": "inv_7Hq2ZkP",
            "payment_intent_data[metadata][attempt]": "1",
        ]
        #expect(sent.fieldNames == Set(expected.keys))
        for (name, value) in expected {
            #expect(sent.field(name) == value, "\(name)")
        }
        // The placeholder went out encoded once, so Stripe sees the braces after decoding.
        #expect(sent.body.contains("session%3D%7BCHECKOUT_SESSION_ID%7D%26lang%3Dde"))
        #expect(!sent.body.contains("%257B"))
    }

    @Test func theSameIdempotencyKeyReplaysTheSameSession() async throws {
        let fake = try await FakeStripe.start()
        let client = try fake.client()
        let first = try await client.createCheckoutSession(request())
        let retry = try await client.createCheckoutSession(request())
        #expect(retry == first)
        let other = try await client.createCheckoutSession(request(key: "pay-inv_7Hq2ZkP-2"))
        #expect(other.id != first.id)
        let requests = try await fake.requests()
        #expect(requests.count == 3)
        #expect(Set(requests.map(\.clientPort)).count == 1, "one kept-alive connection for all three")

        let error = await #expect(throws: ProviderError.self) {
            try await client.createCheckoutSession(request(amount: 99_000))
        }
        #expect(error?.kind == .idempotencyMismatch)
        #expect(error?.type == "idempotency_error")
        #expect(error?.status == 400)
        #expect(error?.isRetryable == false)
    }

    @Test func retrievesASessionAsItIsNow() async throws {
        let fake = try await FakeStripe.start()
        let client = try fake.client()
        let created = try await client.createCheckoutSession(request())
        #expect(try await client.retrieveCheckoutSession(id: created.id) == created)

        _ = try await fake.complete(created.id)
        let paid = try await client.retrieveCheckoutSession(id: created.id)
        #expect(paid.status == .complete)
        #expect(paid.paymentStatus == .paid)
        #expect(paid.paymentIntent?.hasPrefix("pi_") == true)
        #expect(paid.url == nil)

        let sent = try await fake.requests().last
        #expect(sent?.method == "GET")
        #expect(sent?.path == "/v1/checkout/sessions/\(created.id)")
        #expect(sent?.header("Authorization") == "Bearer \(FakeStripe.apiKey)")
        #expect(sent?.header("Idempotency-Key") == nil)
    }

    @Test func anOpenSessionCanBeExpiredOnceAndThenNeitherPaidNorExpiredAgain() async throws {
        let fake = try await FakeStripe.start()
        let client = try fake.client()
        let created = try await client.createCheckoutSession(request())
        let expired = try await client.expireCheckoutSession(id: created.id)
        #expect(expired.status == .expired)
        #expect(expired.url == nil)
        let sent = try await fake.requests().last
        #expect(sent?.method == "POST")
        #expect(sent?.path == "/v1/checkout/sessions/\(created.id)/expire")
        #expect(sent?.body == "")

        let again = await #expect(throws: ProviderError.self) { try await client.expireCheckoutSession(id: created.id) }
        #expect(again?.kind == .invalidRequest)
        #expect(again?.code == "checkout_session_not_open")
        await #expect(throws: FakeStripeError.self) { try await fake.complete(created.id) }
        #expect(try await client.retrieveCheckoutSession(id: created.id).status == .expired)

        let completed = try await client.createCheckoutSession(request(key: "pay-inv_7Hq2ZkP-3"))
        _ = try await fake.complete(completed.id)
        let late = await #expect(throws: ProviderError.self) { try await client.expireCheckoutSession(id: completed.id) }
        #expect(late?.kind == .invalidRequest)
        #expect(try await client.retrieveCheckoutSession(id: completed.id).status == .complete)
        let malformed = await #expect(throws: ProviderError.self) { try await client.expireCheckoutSession(id: "cs_../../v1/charges") }
        #expect(malformed?.param == "id")
        try await fake.stop()
    }

    @Test func anUnknownSessionIsAnInvalidRequestNamingTheResource() async throws {
        let fake = try await FakeStripe.start()
        let error = await #expect(throws: ProviderError.self) {
            try await fake.client().retrieveCheckoutSession(id: "cs_test_doesNotExist")
        }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.status == 404)
        #expect(error?.code == "resource_missing")
        #expect(error?.requestID?.hasPrefix("req_") == true)
    }

    @Test func anAmountBelowTheMinimumIsATypedErrorWithTheParam() async throws {
        let fake = try await FakeStripe.start()
        let error = await #expect(throws: ProviderError.self) {
            try await fake.client().createCheckoutSession(request(amount: 49))
        }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.status == 400)
        #expect(error?.type == "invalid_request_error")
        #expect(error?.code == "amount_too_small")
        #expect(error?.param == "line_items[0][price_data][unit_amount]")
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("param line_items[0][price_data][unit_amount]") == true)
        // A failed validation is not saved under the key: corrected, the same key succeeds.
        #expect(try await fake.client().createCheckoutSession(request(amount: 50)).amountTotal == 50)
    }

    @Test func aWrongKeyIsAnAuthenticationErrorThatNeverShowsTheKey() async throws {
        let fake = try await FakeStripe.start()
        let wrongKey = "sk_test_51WrongKeyThatMustNeverBeLogged99"
        let error = await #expect(throws: ProviderError.self) {
            try await fake.client(key: wrongKey).createCheckoutSession(request())
        }
        #expect(error?.kind == .authentication)
        #expect(error?.status == 401)
        #expect(error?.isRetryable == false)
        // The fake echoes the key whole (Stripe masks most of it); the client scrubs it.
        let sent = try await fake.requests().first
        #expect(sent?.header("Authorization") == "Bearer \(wrongKey)")
        let texts = [error.map { "\($0)" }, error.map { String(reflecting: $0) }, error?.message, error?.description]
        for text in texts.compactMap({ $0 }) {
            #expect(!text.contains("WrongKeyThatMustNeverBeLogged"), "\(text)")
        }
        #expect(error?.message.contains("Invalid API Key provided: sk_test_…") == true)
    }

    @Test func aProviderThatIsDownIsRetryable() async throws {
        let fake = try await FakeStripe.start()
        let client = try fake.client()
        try await fake.stop()
        let error = await #expect(throws: ProviderError.self) {
            try await client.createCheckoutSession(request())
        }
        #expect(error?.kind == .providerUnavailable)
        #expect(error?.isRetryable == true)
        #expect(error?.status == nil)
        #expect(error?.description.contains("connection refused") == true)
        #expect(error.map { "\($0)" }?.contains(FakeStripe.apiKey) == false)
    }

    @Test func serverErrorsAndRateLimitsAreRetryableUnlessStripeSaysOtherwise() async throws {
        let fake = try await FakeStripe.start()
        let client = try fake.client()
        let cases: [(status: Int, shouldRetry: Bool?, kind: ProviderError.Kind, retryable: Bool)] = [
            (500, nil, .providerUnavailable, true), (503, false, .providerUnavailable, false),
            (429, nil, .rateLimited, true), (409, nil, .conflict, true), (400, true, .invalidRequest, true),
        ]
        for expected in cases {
            try await fake.failNext(status: expected.status, shouldRetry: expected.shouldRetry)
            let error = await #expect(throws: ProviderError.self) { try await client.createCheckoutSession(request()) }
            #expect(error?.kind == expected.kind, "\(expected.status)")
            #expect(error?.status == expected.status)
            #expect(error?.isRetryable == expected.retryable, "\(expected.status) \(String(describing: expected.shouldRetry))")
        }
        // The retry with the same key then succeeds.
        #expect(try await client.createCheckoutSession(request()).paymentStatus == .unpaid)
    }

    @Test func problemsFoundLocallyAreNeverSent() async throws {
        let fake = try await FakeStripe.start()
        let client = try fake.client()
        var bad = [request(amount: 0), request(key: ""), request(key: String(repeating: "k", count: 256)),
                   request(metadata: ["invoice": "other"]), request(metadata: ["a[b]": "x"]),
                   request(metadata: ["long": String(repeating: "v", count: 501)])]
        var lowercaseOK = request()
        lowercaseOK.currency = "eu"
        bad.append(lowercaseOK)
        var relative = request()
        relative.successURL = "/paid"
        bad.append(relative)
        for request in bad {
            let error = await #expect(throws: ProviderError.self) { try await client.createCheckoutSession(request) }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.param != nil)
        }
        for id in ["../../v1/charges", "cs_test_x/../y", "pi_123", "cs_test_a?b=c", ""] {
            let error = await #expect(throws: ProviderError.self) { try await client.retrieveCheckoutSession(id: id) }
            #expect(error?.param == "id")
        }
        #expect(try await fake.requests().isEmpty)
    }

    @Test func paymentEventsFromTheProviderVerifyAndDecode() async throws {
        let fake = try await FakeStripe.start()
        let session = try await fake.client().createCheckoutSession(request())
        let completed = try await fake.complete(session.id)
        let payload = Array(completed.payload.utf8)
        _ = try WebhookSignature.verify(header: completed.signature, payload: payload,
                                        secrets: ["whsec_rotatedAway", FakeStripe.webhookSecret], now: Date())
        guard case .checkoutSessionCompleted(let paid) = try ProviderEvent.decode(payload).payload else {
            Issue.record("not a completed session")
            return
        }
        #expect(paid.id == session.id)
        #expect(paid.paymentStatus == .paid)
        #expect(paid.metadata["invoice"] == "inv_7Hq2ZkP")

        // The charge carries the PaymentIntent's metadata: proof that payment_intent_data went out.
        let refund = try await fake.refund(session.id, amount: 40_000)
        _ = try WebhookSignature.verify(header: refund.signature, payload: Array(refund.payload.utf8),
                                        secrets: [FakeStripe.webhookSecret], now: Date())
        guard case .chargeRefunded(let charge) = try ProviderEvent.decode(Array(refund.payload.utf8)).payload else {
            Issue.record("not a refund")
            return
        }
        #expect(charge.metadata == ["tenant": "acme", "invoice": "inv_7Hq2ZkP", "attempt": "1"])
        #expect(charge.amountRefunded == 40_000)
        #expect(!charge.refunded)
        #expect(charge.paymentIntent == paid.paymentIntent)
        #expect(charge.refunds?.map(\.amount) == [40_000])

        #expect(throws: WebhookSignatureError.signatureMismatch) {
            try WebhookSignature.verify(header: completed.signature, payload: Array(refund.payload.utf8),
                                        secrets: [FakeStripe.webhookSecret], now: Date())
        }
    }
}

@Suite struct StripeSecretTests {
    @Test func theKeyNeverPrints() {
        let key = StripeSecretKey("sk_live_51AbCdEfGhIjKlMnOp")
        let configuration = StripeConfiguration(secretKey: key)
        for text in ["\(key)", String(reflecting: key), "\(configuration)", String(reflecting: configuration),
                     { var out = ""; dump(configuration, to: &out); return out }()] {
            #expect(!text.contains("AbCdEf"), "\(text)")
        }
        #expect(key.redacted == "sk_live_…")
        #expect(!key.isTestMode)
    }

    @Test func badKeysAndURLsFailWhenTheClientIsMade() {
        for raw in ["", "pk_test_123", "sk_test_", "sk_test_abc\n", "sk_test_a b"] {
            let error = #expect(throws: ProviderError.self) {
                try StripeClient(configuration: StripeConfiguration(secretKey: StripeSecretKey(raw)))
            }
            #expect(error?.kind == .invalidRequest)
            if raw.count > 8 { #expect(error?.description.contains(raw) == false) }
        }
        #expect(throws: ProviderError.self) {
            try StripeClient(configuration: StripeConfiguration(secretKey: StripeSecretKey("sk_test_1"), baseURL: "https://api.stripe.com/"))
        }
        #expect(throws: Never.self) {
            try StripeClient(configuration: StripeConfiguration(secretKey: StripeSecretKey("rk_test_1")))
        }
    }

    @Test func providerErrorsScrubAnythingShapedLikeASecret() {
        let error = ProviderError(kind: .invalidRequest,
                                  message: "keys sk_live_AAAA1111, rk_test_BBBB and whsec_CCCC; sk_test_… stays")
        #expect(error.message == "keys sk_live_…, rk_test_… and whsec_…; sk_test_… stays")
        #expect(!error.description.contains("AAAA") && !error.description.contains("CCCC"))
    }
}
