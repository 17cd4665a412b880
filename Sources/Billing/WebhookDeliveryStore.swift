import Foundation

/// Deliveries of events to a tenant's endpoints: what `webhooks.deliver` sends and records, and
/// what the tenant inspects and replays. Every look-up is scoped by tenant and endpoint.
public protocol WebhookDeliveryStore: Sendable {
    /// Takes the endpoint's delivery lease for `owner` until `leaseUntil` and reads up to `limit`
    /// due deliveries, oldest event first; or says that another run holds the lease (until when),
    /// or that there is nothing to send to (the endpoint is gone, or disabled: its pending
    /// deliveries are then failed).
    func beginDeliveryBatch(tenantID: Int64, endpointID: Int64, owner: String, leaseUntil: Date, limit: Int) async throws -> WebhookDeliveryStart

    /// Records `attempts` under `rule` and answers whether more deliveries are due now, in which
    /// case the lease is kept until `leaseUntil`. Otherwise, or with `handOff`, the lease is
    /// released in the same transaction (with `handOff`, a new run is queued for what is due),
    /// so an event recorded meanwhile is never left without a run.
    func finishDeliveryBatch(tenantID: Int64, endpointID: Int64, owner: String, attempts: [WebhookAttempt], rule: WebhookDeliveryRule,
                             leaseUntil: Date, handOff: Bool) async throws -> Bool

    /// The endpoint's deliveries, newest first, at most `limit`, ids below `before` when given.
    func webhookDeliveries(tenantID: Int64, endpointID: Int64, limit: Int, before: Int64?) async throws -> [WebhookDelivery]

    /// Makes a delivery due now again (same event, same `webhook-id`), whatever its state; a
    /// disabled endpoint is a conflict.
    func retryWebhookDelivery(tenantID: Int64, endpointID: Int64, deliveryID: Int64) async throws -> WebhookDelivery

    /// Records a `ping` event for this endpoint only and queues its delivery.
    func sendTestEvent(tenantID: Int64, endpointID: Int64) async throws -> WebhookDelivery

    /// Deletes finished deliveries, and events without a pending delivery, made before `before`.
    func pruneWebhookDeliveries(before: Date) async throws -> Int
}
