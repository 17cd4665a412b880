import SQLite

extension SQLiteStore {
    /// Queues one delivery of `event` to each of the tenant's enabled endpoints that wants it.
    func queueWebhookDeliveries(_ db: Connection, for event: RecordedEvent) throws {}
}
