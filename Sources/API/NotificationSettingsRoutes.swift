import Billing
import BillportCore
import HTTPServer

/// `GET/PATCH /api/settings/notifications`: which events email the tenant's own people, and where.
struct NotificationSettingsRoutes {
    let stores: BillingStores

    /// The settings as the API shows them.
    struct Body: Encodable {
        let recipients: [String]
        let events: [String]
        let windowMinutes: Int
        /// Every event name `events` may hold.
        let available: [String]

        init(_ settings: TenantNotificationSettings) {
            recipients = settings.recipients
            events = settings.events.map(\.rawValue)
            windowMinutes = settings.windowMinutes
            available = TenantNotificationSettings.notifiable.map(\.rawValue)
        }
    }

    /// A change: only the fields sent change; none may be null.
    struct Change: Decodable, KnownKeys {
        var recipients: [String]?, events: [String]?, windowMinutes: Int?
        enum CodingKeys: String, CodingKey, CaseIterable { case recipients, events, windowMinutes }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            recipients = try container.decodeUnlessAbsent(forKey: .recipients)
            events = try container.decodeUnlessAbsent(forKey: .events)
            windowMinutes = try container.decodeUnlessAbsent(forKey: .windowMinutes)
        }
    }

    var routes: [Route] {
        [
            Route(.get, "/api/settings/notifications", .tenant(permission: nil)) { context in
                JSONBody.response(Body(try await stores.tenants.notificationSettings(tenantID: try context.tenantID)))
            },
            // PUT is the same partial update as PATCH: no field is erased by being left out.
            Route(.patch, "/api/settings/notifications", .tenant(permission: .settingsManage)) { try await update($0) },
            Route(.put, "/api/settings/notifications", .tenant(permission: .settingsManage)) { try await update($0) },
        ]
    }

    private func update(_ context: RequestContext) async throws -> HTTPResponse {
        let change = try JSONBody.decode(Change.self, from: context.request)
        let tenantID = try context.tenantID
        var settings = try await stores.tenants.notificationSettings(tenantID: tenantID)
        if let recipients = change.recipients { settings.recipients = try TenantNotificationSettings.recipients(recipients) }
        if let events = change.events { settings.events = try TenantNotificationSettings.events(events) }
        if let minutes = change.windowMinutes { settings.windowMinutes = try TenantNotificationSettings.windowMinutes(minutes) }
        return JSONBody.response(Body(try await stores.tenants.updateNotificationSettings(tenantID: tenantID, settings)))
    }
}
