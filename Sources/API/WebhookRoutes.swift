import BillportCore
import Foundation
import HTTPServer
import Payments
import Billing

/// `POST /webhooks/stripe/{tenant}`: verifies the provider's signature over the raw body with
/// the tenant's webhook secrets, stores the event (its id unique) and enqueues `payment.event`
/// in one transaction, and answers at once. A repeated event id answers 200 and changes
/// nothing; a bad signature answers 400 and stores nothing.
struct WebhookRoutes {
    let stores: BillingStores
    let clock: any WallClock
    let logger: Logger

    /// Only what ingestion needs; the worker decodes the rest.
    private struct Envelope: Decodable {
        let id: String
        let type: String
    }

    var routes: [Route] {
        [Route(.post, "/webhooks/stripe/{tenant}", .operations) { context in
            do {
                return try await receive(context)
            } catch {
                BillportMetrics.providerEvents.labels("refused").increment()
                throw error
            }
        }]
    }

    private func receive(_ context: RequestContext) async throws -> HTTPResponse {
        let slug = context.parameters["tenant"] ?? ""
        guard let (tenantID, settings) = try await stores.payments.paymentSettings(tenantSlug: slug) else {
            throw APIError(status: 404, code: "not_found", message: "no webhook endpoint for this tenant")
        }
        guard !settings.webhookSecrets.isEmpty else {
            throw APIError(status: 400, code: "webhook_not_configured", message: "no webhook signing secret is set for this tenant")
        }
        let body = context.request.body
        do {
            _ = try WebhookSignature.verify(header: context.request.headers["Stripe-Signature"], payload: body,
                                            secrets: settings.webhookSecrets, now: clock.now())
        } catch {
            logger.notice("webhook refused", ["id": context.requestID, "tenant": slug, "reason": error.description])
            throw APIError(status: 400, code: "invalid_signature", message: "Stripe-Signature: \(error.description)", field: "Stripe-Signature")
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body)), !envelope.id.isEmpty, envelope.id.count <= 255 else {
            throw APIError(status: 400, code: "invalid_event", message: "the body is not a provider event (id and type are required)")
        }
        let stored = try await stores.payments.receiveProviderEvent(tenantID: tenantID, eventID: envelope.id, type: envelope.type, payload: body)
        BillportMetrics.providerEvents.labels(stored ? "accepted" : "duplicate").increment()
        return stored ? Self.received : Self.duplicate
    }

    /// The two answers, encoded once.
    private static let received = JSONBody.response(["received": true, "duplicate": false])
    private static let duplicate = JSONBody.response(["received": true, "duplicate": true])
}
