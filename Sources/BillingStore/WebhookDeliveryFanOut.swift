import Billing
import BillportCore
import Foundation
import Queue
import Relational
import SQLite

extension SQLStore {
    /// Queues one delivery of `event` to each of the tenant's enabled endpoints that wants it.
    func queueWebhookDeliveries(_ db: any SQLConnection, for event: RecordedEvent) throws {
        let endpoints = try db.query("SELECT id, event_types FROM webhook_endpoints WHERE tenant_id = ? AND enabled = 1", event.tenantID) { row in
            (id: row.int64(0), types: row.optionalString(1))
        }
        for endpoint in endpoints where endpoint.types.map({ $0.split(separator: ",").contains(Substring(event.type.rawValue)) }) ?? true {
            try queueDelivery(db, tenantID: event.tenantID, endpointID: endpoint.id, eventRowID: event.rowID, now: event.createdAt)
        }
    }

    /// Adds a pending delivery of the event row to the endpoint, due now; returns its id.
    @discardableResult
    func queueDelivery(_ db: any SQLConnection, tenantID: Int64, endpointID: Int64, eventRowID: Int64, now: Date) throws -> Int64 {
        let id = try db.insert("""
            INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)
            """, tenantID, endpointID, eventRowID, now, now)
        try wakeDelivery(db, tenantID: tenantID, endpointID: endpointID, now: now)
        return id
    }

    /// Makes sure a `webhooks.deliver` run will find what is due now at the endpoint.
    ///
    /// A run holding the lease releases it only in a write transaction that finds nothing due,
    /// which comes after this one: it will send the new delivery, so nothing is queued. Otherwise
    /// a run is queued, keyed by the endpoint's lease generation: a run of this generation that
    /// is queued or starting will take the lease after this commit and find the delivery, while
    /// one that already released the lease bumped the generation, so a new run is queued.
    func wakeDelivery(_ db: any SQLConnection, tenantID: Int64, endpointID: Int64, now: Date) throws {
        guard let lease = try db.queryOne("""
            SELECT delivery_lease_until > ?, delivery_generation FROM webhook_endpoints WHERE id = ?
            """, now, endpointID, map: { row in (held: row.bool(0), generation: row.int64(1)) }), !lease.held else { return }
        _ = try jobs.enqueue([NewJob(BillingJob.deliverWebhooks, DeliverWebhooks(tenantId: tenantID, endpointId: endpointID),
                                     uniqueKey: "\(BillingJob.deliverWebhooks.name):\(endpointID):\(lease.generation)")], in: db)
    }

    /// Queues a run at `due`, the earliest retry of the endpoint, when a run releases its lease
    /// with nothing due now (so every retry is woken by the run before it). Rounded up to a
    /// quarter second; keyed by the new lease generation, so no run of an earlier one (snoozed
    /// behind a lease) can stand in for it.
    func wakeDelivery(_ db: any SQLConnection, tenantID: Int64, endpointID: Int64, at due: Date) throws {
        let bucket = (due.unixMilliseconds + 249) / 250 * 250
        let generation = try db.queryOne("SELECT delivery_generation FROM webhook_endpoints WHERE id = ?", endpointID) { $0.int64(0) } ?? 0
        _ = try jobs.enqueue([NewJob(BillingJob.deliverWebhooks, DeliverWebhooks(tenantId: tenantID, endpointId: endpointID),
                                     runAt: Date(unixMilliseconds: bucket),
                                     uniqueKey: "\(BillingJob.deliverWebhooks.name):\(endpointID):\(generation):at:\(bucket)")], in: db)
    }
}
