import Relational
import SQLite

extension BillingSchema {
    /// Tenants' webhook endpoints. `event_types` is NULL for every type, else the names joined
    /// by commas. `previous_secret` signs beside `secret` until `previous_secret_expires_at`
    /// (a rotation's overlap). Deleting a tenant deletes its endpoints.
    static let webhookEndpoints = Migration(id: "portal.014_webhook_endpoints", sql: """
        CREATE TABLE webhook_endpoints (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            event_types TEXT,
            enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            secret TEXT NOT NULL,
            previous_secret TEXT,
            previous_secret_expires_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, id);
        """)
}
