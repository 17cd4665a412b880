import Billing
import BillportCore
import Foundation
import Relational
import SQLite

/// `WebhookEndpointStore` on SQLite.
public final class SQLWebhookEndpointStore: WebhookEndpointStore, SQLStore {
    let context: BillingStoreContext

    init(_ context: BillingStoreContext) { self.context = context }

    private static let columns = "id, url, description, event_types, enabled, created_at, updated_at, previous_secret_expires_at, alert_email, disabled_reason"

    public func createWebhookEndpoint(tenantID: Int64, _ fields: WebhookEndpointFields, secret: String) async throws -> WebhookEndpoint {
        do { try fields.validate() } catch { throw BillingError.invalid(error) }
        guard let url = fields.url else { throw BillingError.invalid(FieldError("url", "is required")) }
        let now = clock.now()
        return try await database.write { db in
            let count = try db.queryOne("SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?", tenantID) { $0.int(0) } ?? 0
            guard count < WebhookEndpointFields.maxEndpointsPerTenant else {
                throw BillingError.conflict(code: "too_many_endpoints",
                                            message: "a tenant may have at most \(WebhookEndpointFields.maxEndpointsPerTenant) webhook endpoints")
            }
            let id = try db.insert("""
                INSERT INTO webhook_endpoints (tenant_id, url, description, event_types, enabled, secret, created_at, updated_at, alert_email)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tenantID, url, fields.description ?? "", Self.eventTypesColumn(fields.eventTypes ?? nil), fields.enabled ?? true,
                secret, now, now, Self.trimmed(fields.alertEmail ?? nil))
            return try Self.endpoint(db, tenantID: tenantID, id: id)
        }
    }

    public func webhookEndpoints(tenantID: Int64) async throws -> [WebhookEndpoint] {
        try await database.read { db in
            try db.query("SELECT \(Self.columns) FROM webhook_endpoints WHERE tenant_id = ? ORDER BY id", tenantID, map: Self.endpoint)
        }
    }

    public func webhookEndpoint(tenantID: Int64, id: Int64) async throws -> WebhookEndpoint? {
        try await database.read { db in
            try db.queryOne("SELECT \(Self.columns) FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", tenantID, id, map: Self.endpoint)
        }
    }

    public func updateWebhookEndpoint(tenantID: Int64, id: Int64, _ fields: WebhookEndpointFields) async throws -> WebhookEndpoint {
        do { try fields.validate() } catch { throw BillingError.invalid(error) }
        let now = clock.now()
        return try await database.write { db in
            // COALESCE keeps what was not sent; event types are set only when sent (NULL there means all).
            // Enabling starts the count of failed deliveries afresh. Flags are compared with 1: PostgreSQL's
            // CASE wants a boolean, and flags travel as integers.
            try db.execute("""
                UPDATE webhook_endpoints SET url = COALESCE(?, url), description = COALESCE(?, description),
                    enabled = COALESCE(?, enabled), event_types = CASE WHEN ? = 1 THEN ? ELSE event_types END, updated_at = ?,
                    consecutive_failures = CASE WHEN ? = 1 THEN 0 ELSE consecutive_failures END,
                    disabled_reason = CASE WHEN ? = 1 THEN NULL ELSE disabled_reason END,
                    alert_email = CASE WHEN ? = 1 THEN ? ELSE alert_email END
                WHERE tenant_id = ? AND id = ?
                """, fields.url, fields.description, fields.enabled, fields.eventTypes != nil, Self.eventTypesColumn(fields.eventTypes ?? nil),
                now, fields.enabled == true, fields.enabled == true, fields.alertEmail != nil, Self.trimmed(fields.alertEmail ?? nil), tenantID, id)
            guard db.changes == 1 else { throw BillingError.notFound("webhook endpoint") }
            return try Self.endpoint(db, tenantID: tenantID, id: id)
        }
    }

    public func deleteWebhookEndpoint(tenantID: Int64, id: Int64) async throws {
        try await database.write { db in
            try db.execute("DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", tenantID, id)
            guard db.changes == 1 else { throw BillingError.notFound("webhook endpoint") }
        }
    }

    public func rotateWebhookSecret(tenantID: Int64, id: Int64, secret: String, overlap: Duration) async throws -> WebhookEndpoint {
        let now = clock.now()
        let expires = now.addingTimeInterval(Double(overlap.components.seconds) + Double(overlap.components.attoseconds) / 1e18)
        return try await database.write { db in
            try db.execute("""
                UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ?, updated_at = ?
                WHERE tenant_id = ? AND id = ?
                """, expires, secret, now, tenantID, id)
            guard db.changes == 1 else { throw BillingError.notFound("webhook endpoint") }
            return try Self.endpoint(db, tenantID: tenantID, id: id)
        }
    }

    public func signingSecrets(tenantID: Int64, id: Int64) async throws -> [String] {
        let now = clock.now()
        return try await database.read { db in
            guard let secrets = try db.queryOne("""
                SELECT secret, previous_secret, previous_secret_expires_at FROM webhook_endpoints WHERE tenant_id = ? AND id = ?
                """, tenantID, id, map: { row -> [String] in
                    guard let previous = row.optionalString(1), let until = row.optionalDate(2), until > now else { return [row.string(0)] }
                    return [row.string(0), previous]
                }) else { throw BillingError.notFound("webhook endpoint") }
            return secrets
        }
    }

    private static func endpoint(_ db: any SQLConnection, tenantID: Int64, id: Int64) throws -> WebhookEndpoint {
        guard let endpoint = try db.queryOne("SELECT \(columns) FROM webhook_endpoints WHERE tenant_id = ? AND id = ?", tenantID, id, map: endpoint)
        else { throw BillingError.notFound("webhook endpoint") }
        return endpoint
    }

    private static func endpoint(_ row: any SQLRow) -> WebhookEndpoint {
        WebhookEndpoint(id: row.int64(0), url: row.string(1), description: row.string(2),
                        eventTypes: row.optionalString(3).map { $0.split(separator: ",").compactMap { WebhookEventType(rawValue: String($0)) } },
                        enabled: row.bool(4), createdAt: row.date(5), updatedAt: row.date(6), previousSecretExpiresAt: row.optionalDate(7),
                        alertEmail: row.optionalString(8), disabledReason: row.optionalString(9).flatMap(WebhookDisableReason.init))
    }

    private static func trimmed(_ address: String?) -> String? { address?.trimmingCharacters(in: .whitespaces) }

    private static func eventTypesColumn(_ types: [WebhookEventType]?) -> String? {
        types.map { $0.map(\.rawValue).joined(separator: ",") }
    }
}
