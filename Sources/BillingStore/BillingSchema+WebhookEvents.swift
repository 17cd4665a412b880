import Relational
import SQLite

extension BillingSchema {
    /// The outbox of events for tenants' systems: one row per event, written in the transaction of
    /// the change that causes it. `message_id` is the Standard Webhooks `webhook-id` (the same on
    /// every attempt of every delivery of the event); `body` is the exact JSON delivered
    /// (`{"type","timestamp","data"}`), so every attempt signs the same bytes. `customer_id` names
    /// the customer an event is about, so erasing the customer finds and blanks its events.
    static let webhookEvents = Migration(id: "portal.016_webhook_events", sql: """
        CREATE TABLE webhook_events (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            customer_id INTEGER,
            message_id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX webhook_events_tenant ON webhook_events (tenant_id, id);
        CREATE INDEX webhook_events_customer ON webhook_events (customer_id) WHERE customer_id IS NOT NULL;
        """)
}
