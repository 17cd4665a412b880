import BillportCore
import Foundation
import HTTPServer
import Billing
import Tokens

/// `/api/webhook-endpoints`: where a tenant's signed events go. The signing secret is in the
/// answer twice only: when the endpoint is made and when its secret is rotated.
struct WebhookEndpointRoutes {
    let stores: BillingStores
    let policy: WebhookDestinationPolicy
    let secretOverlap: Duration
    let resolver: any HostResolver
    let clock: any WallClock

    var routes: [Route] {
        [
            Route(.post, "/api/webhook-endpoints", .tenant(permission: .settingsManage)) { context in
                var fields = try JSONBody.decode(EndpointBody.self, from: context.request).fields
                guard let url = fields.url else { throw FieldError("url", "is required") }
                fields.url = try await policy.check(url, resolver: resolver).url
                let secret = WebhookSecret.generate()
                let endpoint = try await stores.webhookEndpoints.createWebhookEndpoint(tenantID: try context.tenantID, fields, secret: secret.text)
                return JSONBody.response(status: 201, answer(endpoint, secret: secret))
            },
            Route(.get, "/api/webhook-endpoints", .tenant(permission: nil)) { context in
                let endpoints = try await stores.webhookEndpoints.webhookEndpoints(tenantID: try context.tenantID)
                return JSONBody.response(["data": endpoints.map { answer($0) }])
            },
            Route(.get, "/api/webhook-endpoints/{id}", .tenant(permission: nil)) { context in
                guard let endpoint = try await stores.webhookEndpoints.webhookEndpoint(tenantID: try context.tenantID, id: try endpointID(context))
                else { throw APIError.notFound("webhook endpoint") }
                return JSONBody.response(answer(endpoint))
            },
            Route(.patch, "/api/webhook-endpoints/{id}", .tenant(permission: .settingsManage)) { context in
                let (tenantID, id) = (try context.tenantID, try endpointID(context))
                var fields = try JSONBody.decode(EndpointBody.self, from: context.request).fields
                if let url = fields.url { fields.url = try await policy.check(url, resolver: resolver).url }
                let endpoint = try await stores.webhookEndpoints.updateWebhookEndpoint(tenantID: tenantID, id: id, fields)
                return JSONBody.response(answer(endpoint))
            },
            Route(.delete, "/api/webhook-endpoints/{id}", .tenant(permission: .settingsManage)) { context in
                try await stores.webhookEndpoints.deleteWebhookEndpoint(tenantID: try context.tenantID, id: try endpointID(context))
                return HTTPResponse(status: 204)
            },
            Route(.post, "/api/webhook-endpoints/{id}/rotate-secret", .tenant(permission: .settingsManage)) { context in
                let secret = WebhookSecret.generate()
                let endpoint = try await stores.webhookEndpoints.rotateWebhookSecret(tenantID: try context.tenantID, id: try endpointID(context),
                                                                                      secret: secret.text, overlap: secretOverlap)
                return JSONBody.response(answer(endpoint, secret: secret))
            },
        ]
    }

    private func endpointID(_ context: RequestContext) throws -> Int64 { try context.id("id", "webhook endpoint") }

    /// An endpoint as the tenant sees it; `secret` only in the two answers that show it once.
    struct Answer: Encodable {
        let id: Int64
        let url: String
        let description: String
        /// `["*"]`: every event type.
        let eventTypes: [String]
        let enabled: Bool
        let createdAt: String
        let updatedAt: String
        /// Until when the secret before the last rotation still signs; absent once it no longer does.
        let previousSecretExpiresAt: String?
        /// Told by email when Billport disables the endpoint.
        let alertEmail: String?
        /// `gone` (the receiver answered 410) or `failing` (deliveries kept failing) when Billport disabled it.
        let disabledReason: String?
        let secret: String?
    }

    private func answer(_ endpoint: WebhookEndpoint, secret: WebhookSecret? = nil) -> Answer {
        let overlapEnd = endpoint.previousSecretExpiresAt.flatMap { $0 > clock.now() ? ISO8601.format($0) : nil }
        return Answer(id: endpoint.id, url: endpoint.url, description: endpoint.description,
                      eventTypes: endpoint.eventTypes.map { $0.map(\.rawValue) } ?? ["*"], enabled: endpoint.enabled,
                      createdAt: ISO8601.format(endpoint.createdAt), updatedAt: ISO8601.format(endpoint.updatedAt),
                      previousSecretExpiresAt: overlapEnd, alertEmail: endpoint.alertEmail, disabledReason: endpoint.disabledReason?.rawValue,
                      secret: secret?.text)
    }

    /// The body of POST and PATCH: the fields sent, and only those; an unknown key is 422 naming it.
    struct EndpointBody: Decodable, KnownKeys {
        var fields = WebhookEndpointFields()

        enum CodingKeys: String, CodingKey, CaseIterable { case url, description, eventTypes, enabled, alertEmail }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fields.url = try container.decodeIfPresent(String.self, forKey: .url)
            fields.description = try container.decodeIfPresent(String.self, forKey: .description)
            fields.enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
            fields.alertEmail = try container.decodeChange(String.self, forKey: .alertEmail)
            if let names = try container.decodeIfPresent([String].self, forKey: .eventTypes) {
                fields.eventTypes = .some(try WebhookEndpointFields.eventTypes(names))
            }
        }
    }
}
