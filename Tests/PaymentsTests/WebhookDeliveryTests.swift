import Foundation
import HTTPServer
import Payments
import TestSupport
import Testing

/// The fake provider POSTs signed events to a live webhook endpoint (an `HTTPServer` on an
/// ephemeral port) that verifies and decodes them as Billport's route will.
@Suite struct WebhookDeliveryTests {
    /// Answers 200 with the event id when the delivery verifies and decodes, else 400 and why.
    static let endpoint: HTTPHandler = { request in
        do {
            _ = try WebhookSignature.verify(header: request.headers["Stripe-Signature"], payload: request.body,
                                            secrets: [FakeStripe.webhookSecret], now: Date())
            let event = try ProviderEvent.decode(request.body)
            return HTTPResponse(status: 200, text: "\(event.id) \(event.type)")
        } catch {
            return HTTPResponse(status: 400, text: "\(error)")
        }
    }

    func withEndpoint(_ body: (String) async throws -> Void) async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: Self.endpoint)
        let port = try server.start()
        do {
            try await body("http://127.0.0.1:\(port)/webhooks/stripe/acme")
        } catch {
            await server.shutdown(gracePeriod: .milliseconds(100))
            throw error
        }
        await server.shutdown(gracePeriod: .milliseconds(100))
    }

    @Test func aSignedDeliveryIsAcceptedAndAForgedOrStaleOneRefused() async throws {
        let fake = try await FakeStripe.start()
        let session = try await fake.client().createCheckoutSession(CheckoutSessionRequest(
            amount: 5000, currency: "usd", invoiceNumber: "INV-7", successURL: "https://b.example/ok",
            cancelURL: "https://b.example/no", tenant: "acme", invoice: "inv_7", idempotencyKey: "pay-7"))
        try await withEndpoint { url in
            let good = try await fake.complete(session.id, webhookURL: url)
            #expect(good.delivery?.status == 200)
            #expect(good.delivery?.body?.hasSuffix(" checkout.session.completed") == true)

            let forged = try await fake.complete(session.id, webhookURL: url, secret: "whsec_attacker")
            #expect(forged.delivery?.status == 400)
            #expect(forged.delivery?.body == "\(WebhookSignatureError.signatureMismatch)")

            let stale = try await fake.complete(session.id, webhookURL: url, timestamp: Date().addingTimeInterval(-3600))
            #expect(stale.delivery?.status == 400)
            #expect(stale.delivery?.body?.contains("old") == true)
        }
    }
}
