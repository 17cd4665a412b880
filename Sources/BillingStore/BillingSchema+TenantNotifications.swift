import Relational
import SQLite

extension BillingSchema {
    /// What each tenant asked to be told by email (`recipients` and `events` as JSON arrays),
    /// and when it was last told about each invoice (or customer) and event type, so that a
    /// window holds at most one email per subject and type.
    static let tenantNotifications = Migration(id: "portal.018_tenant_notifications", sql: """
        CREATE TABLE tenant_notification_settings (
            tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
            recipients TEXT NOT NULL DEFAULT '[]',
            events TEXT NOT NULL DEFAULT '[]',
            window_minutes INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE tenant_notifications_sent (
            tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            event_type TEXT NOT NULL,
            subject TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, event_type, subject)
        ) STRICT, WITHOUT ROWID;
        """)
}
