import Relational
import SQLite

extension BillingSchema {
    /// One row per event and endpoint that wants it. `next_attempt_at` is set while `pending`
    /// (the partial index is the queue of what is due per endpoint, in event order). The
    /// endpoint's `delivery_lease_*` columns let one run at a time send to it, and
    /// `delivery_generation` counts its releases (it keys the queued run, see `wakeDelivery`);
    /// `consecutive_failures` counts deliveries failed for good since the last success.
    /// `alert_email` is told when the endpoint is disabled (`disabled_reason`).
    static let webhookDeliveries = Migration(id: "portal.017_webhook_deliveries", sql: """
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
            event_id INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            last_status INTEGER,
            last_response TEXT,
            last_error TEXT,
            last_duration_ms INTEGER,
            created_at INTEGER NOT NULL,
            last_attempt_at INTEGER,
            completed_at INTEGER
        ) STRICT;
        CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at, id) WHERE state = 'pending';
        CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
        CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);
        CREATE INDEX webhook_events_created ON webhook_events (created_at);
        ALTER TABLE webhook_endpoints ADD COLUMN delivery_lease_owner TEXT;
        ALTER TABLE webhook_endpoints ADD COLUMN delivery_lease_until INTEGER;
        ALTER TABLE webhook_endpoints ADD COLUMN delivery_generation INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE webhook_endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE webhook_endpoints ADD COLUMN disabled_reason TEXT;
        ALTER TABLE webhook_endpoints ADD COLUMN alert_email TEXT;
        """)
}
