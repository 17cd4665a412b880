import BillportCore
import Foundation
import HTTPServer
import Billing

/// `/api/webhook-endpoints/{id}/deliveries` and `…/test`: what was sent to an endpoint, with
/// the receiver's answers, and replays. Permissions as the endpoint routes: any token reads,
/// `settings:manage` re-sends.
struct WebhookDeliveryRoutes {
    let stores: BillingStores

    var routes: [Route] {
        [
            Route(.get, "/api/webhook-endpoints/{id}/deliveries", .tenant(permission: nil)) { context in
                try context.requireKnownQuery(["limit", "before"])
                let limit = Int(try context.queryInt("limit", default: 50, range: 1...200) ?? 50)
                let deliveries = try await stores.webhookEndpoints.webhookDeliveries(
                    tenantID: try context.tenantID, endpointID: try endpointID(context), limit: limit,
                    before: try context.queryInt("before", default: nil, range: 1...Int64.max))
                struct Page: Encodable { let data: [Answer]; let nextBefore: Int64? }
                return JSONBody.response(Page(data: deliveries.map(Answer.init), nextBefore: deliveries.count == limit ? deliveries.last?.id : nil))
            },
            Route(.post, "/api/webhook-endpoints/{id}/deliveries/{deliveryId}/retry", .tenant(permission: .settingsManage)) { context in
                let delivery = try await stores.webhookEndpoints.retryWebhookDelivery(
                    tenantID: try context.tenantID, endpointID: try endpointID(context), deliveryID: try context.id("deliveryId", "webhook delivery"))
                return JSONBody.response(status: 202, Answer(delivery))
            },
            Route(.post, "/api/webhook-endpoints/{id}/test", .tenant(permission: .settingsManage)) { context in
                let delivery = try await stores.webhookEndpoints.sendTestEvent(tenantID: try context.tenantID, endpointID: try endpointID(context))
                return JSONBody.response(status: 202, Answer(delivery))
            },
        ]
    }

    private func endpointID(_ context: RequestContext) throws -> Int64 { try context.id("id", "webhook endpoint") }

    /// One delivery as the tenant sees it.
    struct Answer: Encodable {
        let id: Int64
        let endpointId: Int64
        /// The `webhook-id` every attempt carried.
        let eventId: String
        let eventType: String
        /// `pending`, `succeeded` or `failed`.
        let state: String
        let attempts: Int
        let responseStatus: Int?
        /// The first 1 KB of the last answer.
        let responseBody: String?
        let error: String?
        let durationMs: Int?
        let createdAt: String
        let lastAttemptAt: String?
        let nextAttemptAt: String?
        let completedAt: String?

        init(_ delivery: WebhookDelivery) {
            id = delivery.id
            endpointId = delivery.endpointID
            eventId = delivery.messageID
            eventType = delivery.eventType
            state = delivery.state.rawValue
            attempts = delivery.attempts
            responseStatus = delivery.lastStatus
            responseBody = delivery.lastResponse
            error = delivery.lastError
            durationMs = delivery.lastDurationMilliseconds
            createdAt = ISO8601.format(delivery.createdAt)
            lastAttemptAt = delivery.lastAttemptAt.map { ISO8601.format($0) }
            nextAttemptAt = delivery.nextAttemptAt.map { ISO8601.format($0) }
            completedAt = delivery.completedAt.map { ISO8601.format($0) }
        }
    }
}
