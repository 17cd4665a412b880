import Billing
import Foundation
import Relational
import SQLite

extension SQLTenantStore {
    public func notificationSettings(tenantID: Int64) async throws -> TenantNotificationSettings {
        try await database.read { db in try Self.notificationSettings(db, tenantID: tenantID) }
    }

    public func updateNotificationSettings(tenantID: Int64, _ settings: TenantNotificationSettings) async throws -> TenantNotificationSettings {
        let recipients = String(decoding: try JSONEncoder().encode(settings.recipients), as: UTF8.self)
        let events = String(decoding: try JSONEncoder().encode(settings.events.map(\.rawValue)), as: UTF8.self)
        let now = clock.now()
        return try await database.write { db in
            try db.execute("""
                INSERT INTO tenant_notification_settings (tenant_id, recipients, events, window_minutes, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET recipients = excluded.recipients, events = excluded.events,
                    window_minutes = excluded.window_minutes, updated_at = excluded.updated_at
                """, tenantID, recipients, events, settings.windowMinutes, now)
            return try Self.notificationSettings(db, tenantID: tenantID)
        }
    }
}

extension SQLStore {
    /// The tenant's notification settings as stored, the defaults (nothing sent) until it decides.
    static func notificationSettings(_ db: any SQLConnection, tenantID: Int64) throws -> TenantNotificationSettings {
        try db.queryOne("SELECT recipients, events, window_minutes FROM tenant_notification_settings WHERE tenant_id = ?", tenantID) { row in
            let decoder = JSONDecoder()
            let recipients = (try? decoder.decode([String].self, from: Data(row.string(0).utf8))) ?? []
            let names = (try? decoder.decode([String].self, from: Data(row.string(1).utf8))) ?? []
            return TenantNotificationSettings(recipients: recipients, events: names.compactMap(WebhookEventType.init(rawValue:)),
                                              windowMinutes: row.int(2))
        } ?? TenantNotificationSettings()
    }
}
