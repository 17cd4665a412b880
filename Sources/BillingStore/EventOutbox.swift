import Billing
import BillportCore
import Foundation
import Relational
import SQLite
import Tokens

/// An event as the outbox recorded it, handed to what fans it out.
struct RecordedEvent: Sendable {
    let rowID: Int64
    let tenantID: Int64
    /// The Standard Webhooks `webhook-id`: `msg_` + 16 random bytes, base64url.
    let messageID: String
    let type: WebhookEventType
    let createdAt: Date
}

/// The body every delivery of an event carries, as Standard Webhooks describes it.
struct EventEnvelope<Payload: Encodable>: Encodable {
    let type: String
    let timestamp: String
    let data: Payload
}

extension SQLStore {
    /// Records an event for the tenant's systems in the caller's transaction, then queues its
    /// webhook deliveries and tenant notifications in the same transaction: the change and its
    /// event commit together or not at all. `data` is the object as the tenant API shows it
    /// (never a token or a secret); `customerID` the customer it is about, whose erasure blanks it.
    @discardableResult
    func recordEvent(_ db: any SQLConnection, tenantID: Int64, customerID: Int64?, type: WebhookEventType, data: some Encodable) throws -> RecordedEvent {
        let now = clock.now()
        let body = try Self.eventEncoder.encode(EventEnvelope(type: type.rawValue, timestamp: ISO8601.format(now, fractional: true), data: data))
        let messageID = "msg_" + SecureRandom.base64URL(byteCount: 16)
        let rowID = try db.insert("INSERT INTO webhook_events (tenant_id, customer_id, message_id, type, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                  tenantID, customerID, messageID, type.rawValue, String(decoding: body, as: UTF8.self), now)
        let event = RecordedEvent(rowID: rowID, tenantID: tenantID, messageID: messageID, type: type, createdAt: now)
        try queueWebhookDeliveries(db, for: event)
        try queueTenantNotifications(db, for: event)
        return event
    }

    static var eventEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
