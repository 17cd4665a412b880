import SQLite

extension SQLiteStore {
    /// Queues the notification email the tenant opted in to for `event`, if any.
    func queueTenantNotifications(_ db: Connection, for event: RecordedEvent) throws {}
}
