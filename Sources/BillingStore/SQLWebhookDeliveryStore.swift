import Billing
import BillportCore
import Foundation
import Queue
import Relational
import SQLite
import Tokens

/// `WebhookDeliveryStore` on SQLite: the deliveries belong to the endpoint aggregate.
extension SQLWebhookEndpointStore {
    public func beginDeliveryBatch(tenantID: Int64, endpointID: Int64, owner: String, leaseUntil: Date, limit: Int) async throws
        -> WebhookDeliveryStart {
        let now = clock.now()
        return try await database.write { db in
            guard let endpoint = try db.queryOne("""
                SELECT url, enabled, secret, previous_secret, previous_secret_expires_at, delivery_lease_owner, delivery_lease_until
                FROM webhook_endpoints WHERE tenant_id = ? AND id = ?
                """, tenantID, endpointID, map: { row in
                    (url: row.string(0), enabled: row.bool(1), secret: row.string(2), previous: row.optionalString(3),
                     previousUntil: row.optionalDate(4), holder: row.optionalString(5), heldUntil: row.optionalDate(6))
                }) else { return .closed }
            if let holder = endpoint.holder, holder != owner, let until = endpoint.heldUntil, until > now { return .held(until: until) }
            guard endpoint.enabled else {
                try Self.failPending(db, endpointID: endpointID, reason: "the endpoint is disabled", now: now)
                return .closed
            }
            try db.execute("UPDATE webhook_endpoints SET delivery_lease_owner = ?, delivery_lease_until = ? WHERE id = ?", owner, leaseUntil, endpointID)
            let items = try db.query("""
                SELECT d.id, e.message_id, e.body FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE d.endpoint_id = ? AND d.state = 'pending' AND d.next_attempt_at <= ?
                ORDER BY d.next_attempt_at, d.id LIMIT ?
                """, endpointID, now, limit) { row in
                WebhookDeliveryBatch.Item(deliveryID: row.int64(0), messageID: row.string(1), body: Array(row.string(2).utf8))
            }
            var secrets = [endpoint.secret]
            if let previous = endpoint.previous, let until = endpoint.previousUntil, until > now { secrets.append(previous) }
            return .batch(WebhookDeliveryBatch(url: endpoint.url, secrets: secrets, items: items))
        }
    }

    public func finishDeliveryBatch(tenantID: Int64, endpointID: Int64, owner: String, attempts: [WebhookAttempt], rule: WebhookDeliveryRule,
                                    leaseUntil: Date, handOff: Bool) async throws -> Bool {
        let now = clock.now()
        return try await database.write { db in
            guard var failures = try db.queryOne("SELECT consecutive_failures FROM webhook_endpoints WHERE tenant_id = ? AND id = ?",
                                                  tenantID, endpointID, map: { $0.int(0) }) else { return false }
            var disable: WebhookDisableReason?
            for attempt in attempts {
                guard let done = try db.queryOne("SELECT attempts FROM webhook_deliveries WHERE id = ? AND endpoint_id = ? AND state = 'pending'",
                                                 attempt.deliveryID, endpointID, map: { $0.int(0) }) else { continue }
                let count = done + 1
                var state = WebhookDelivery.State.failed
                var next: Date?
                switch attempt.result {
                case .delivered:
                    state = .succeeded
                    failures = 0
                case .gone:
                    disable = .gone
                case .failed:
                    next = rule.nextAttempt(after: count, now: now, unit: Double.random(in: 0...1))
                    if next != nil {
                        state = .pending
                    } else {
                        failures += 1
                        if failures >= rule.disableAfterFailures { disable = disable ?? .failing }
                    }
                }
                try db.execute("""
                    UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_response = ?, last_error = ?,
                        last_duration_ms = ?, last_attempt_at = ?, completed_at = ?
                    WHERE id = ?
                    """, state.rawValue, count, next, attempt.status, attempt.response, attempt.error, attempt.durationMilliseconds, now,
                    state == .pending ? nil : now, attempt.deliveryID)
            }
            try db.execute("UPDATE webhook_endpoints SET consecutive_failures = ? WHERE id = ?", failures, endpointID)
            if let disable {
                try db.execute("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?",
                               disable.rawValue, now, endpointID)
                try Self.failPending(db, endpointID: endpointID, reason: "the endpoint was disabled", now: now)
                _ = try self.jobs.enqueue([NewJob(BillingJob.webhookEndpointDisabled,
                                             WebhookEndpointDisabled(tenantId: tenantID, endpointId: endpointID, reason: disable))], in: db)
            }
            let due = try db.queryOne("""
                SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE endpoint_id = ? AND state = 'pending' AND next_attempt_at <= ?)
                """, endpointID, now) { $0.bool(0) } ?? false
            if due && !handOff {
                try db.execute("UPDATE webhook_endpoints SET delivery_lease_until = ? WHERE id = ? AND delivery_lease_owner = ?",
                               leaseUntil, endpointID, owner)
                return db.changes == 1
            }
            try db.execute("""
                UPDATE webhook_endpoints SET delivery_lease_owner = NULL, delivery_lease_until = NULL, delivery_generation = delivery_generation + 1
                WHERE id = ? AND delivery_lease_owner = ?
                """, endpointID, owner)
            // A run that lost its lease leaves the waking to the run that holds it now.
            guard db.changes == 1 else { return false }
            if due {
                try self.wakeDelivery(db, tenantID: tenantID, endpointID: endpointID, now: now)
            } else if let retry = try db.queryOne("""
                SELECT min(next_attempt_at) FROM webhook_deliveries WHERE endpoint_id = ? AND state = 'pending'
                """, endpointID, map: { $0.optionalDate(0) }) ?? nil {
                try self.wakeDelivery(db, tenantID: tenantID, endpointID: endpointID, at: retry)
            }
            return false
        }
    }

    public func webhookDeliveries(tenantID: Int64, endpointID: Int64, limit: Int, before: Int64?) async throws -> [WebhookDelivery] {
        try await database.read { db in
            try Self.requireEndpoint(db, tenantID: tenantID, endpointID: endpointID)
            return try db.query("""
                SELECT \(Self.deliveryColumns) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE d.endpoint_id = ? AND d.tenant_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?
                """, endpointID, tenantID, before ?? Int64.max, limit, map: Self.delivery)
        }
    }

    public func retryWebhookDelivery(tenantID: Int64, endpointID: Int64, deliveryID: Int64) async throws -> WebhookDelivery {
        let now = clock.now()
        return try await database.write { db in
            try Self.requireEnabledEndpoint(db, tenantID: tenantID, endpointID: endpointID)
            try db.execute("""
                UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ?, completed_at = NULL
                WHERE id = ? AND endpoint_id = ? AND tenant_id = ?
                """, now, deliveryID, endpointID, tenantID)
            guard db.changes == 1 else { throw BillingError.notFound("webhook delivery") }
            try self.wakeDelivery(db, tenantID: tenantID, endpointID: endpointID, now: now)
            return try Self.delivery(db, id: deliveryID)
        }
    }

    public func sendTestEvent(tenantID: Int64, endpointID: Int64) async throws -> WebhookDelivery {
        let now = clock.now()
        let body = try Self.eventEncoder.encode(EventEnvelope(type: "ping", timestamp: ISO8601.format(now, fractional: true),
                                                              data: ["endpointId": endpointID]))
        return try await database.write { db in
            try Self.requireEnabledEndpoint(db, tenantID: tenantID, endpointID: endpointID)
            let eventRowID = try db.insert("INSERT INTO webhook_events (tenant_id, message_id, type, body, created_at) VALUES (?, ?, 'ping', ?, ?)",
                                           tenantID, "msg_" + SecureRandom.base64URL(byteCount: 16), String(decoding: body, as: UTF8.self), now)
            let id = try self.queueDelivery(db, tenantID: tenantID, endpointID: endpointID, eventRowID: eventRowID, now: now)
            return try Self.delivery(db, id: id)
        }
    }

    public func pruneWebhookDeliveries(before: Date) async throws -> Int {
        var total = 0
        while true {
            // Chunks keep each write transaction short.
            let deleted = try await database.write { db in
                try db.execute("""
                    DELETE FROM webhook_deliveries WHERE id IN (
                        SELECT id FROM webhook_deliveries WHERE created_at < ? AND state != 'pending' LIMIT 2000)
                    """, before)
                var count = db.changes
                try db.execute("""
                    DELETE FROM webhook_events WHERE id IN (
                        SELECT id FROM webhook_events e WHERE e.created_at < ?
                        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id) LIMIT 2000)
                    """, before)
                count += db.changes
                return count
            }
            total += deleted
            if deleted == 0 { return total }
        }
    }

    // MARK: Rows

    private static let deliveryColumns = """
        d.id, d.endpoint_id, e.message_id, e.type, d.state, d.attempts, d.last_status, d.last_response, d.last_error, d.last_duration_ms,
        d.created_at, d.last_attempt_at, d.next_attempt_at, d.completed_at
        """

    private static func delivery(_ row: any SQLRow) -> WebhookDelivery {
        WebhookDelivery(id: row.int64(0), endpointID: row.int64(1), messageID: row.string(2), eventType: row.string(3),
                        state: WebhookDelivery.State(rawValue: row.string(4)) ?? .failed, attempts: row.int(5),
                        lastStatus: row.optionalInt64(6).map(Int.init), lastResponse: row.optionalString(7), lastError: row.optionalString(8),
                        lastDurationMilliseconds: row.optionalInt64(9).map(Int.init), createdAt: row.date(10), lastAttemptAt: row.optionalDate(11),
                        nextAttemptAt: row.optionalDate(12), completedAt: row.optionalDate(13))
    }

    private static func delivery(_ db: any SQLConnection, id: Int64) throws -> WebhookDelivery {
        guard let delivery = try db.queryOne("""
            SELECT \(deliveryColumns) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = ?
            """, id, map: delivery) else { throw BillingError.notFound("webhook delivery") }
        return delivery
    }

    private static func requireEndpoint(_ db: any SQLConnection, tenantID: Int64, endpointID: Int64) throws {
        guard try db.queryOne("SELECT 1 FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", tenantID, endpointID, map: { _ in true }) != nil
        else { throw BillingError.notFound("webhook endpoint") }
    }

    private static func requireEnabledEndpoint(_ db: any SQLConnection, tenantID: Int64, endpointID: Int64) throws {
        guard let enabled = try db.queryOne("SELECT enabled FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", tenantID, endpointID,
                                            map: { $0.bool(0) }) else { throw BillingError.notFound("webhook endpoint") }
        guard enabled else {
            throw BillingError.conflict(code: "endpoint_disabled", message: "the webhook endpoint is disabled; enable it first (PATCH enabled: true)")
        }
    }

    /// Ends every pending delivery of a disabled endpoint; a tenant can replay them once it is enabled again.
    private static func failPending(_ db: any SQLConnection, endpointID: Int64, reason: String, now: Date) throws {
        try db.execute("""
            UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, last_error = ?, completed_at = ?
            WHERE endpoint_id = ? AND state = 'pending'
            """, reason, now, endpointID)
    }
}
