import BillportCore
import Foundation

/// What a webhook endpoint can be told about: the event types tenants subscribe to, declared once.
public enum WebhookEventType: String, Sendable, Codable, CaseIterable {
    case invoiceIssued = "invoice.issued"
    case invoiceShared = "invoice.shared"
    /// Each counted view, after deduplication.
    case invoiceViewed = "invoice.viewed"
    case invoicePaid = "invoice.paid"
    case invoicePaymentFailed = "invoice.payment_failed"
    case invoiceRefunded = "invoice.refunded"
    case invoiceCancelled = "invoice.cancelled"
    case emailSent = "email.sent"
    case emailSuppressed = "email.suppressed"
    case emailFailed = "email.failed"
    case portalMessageReceived = "portal.message_received"
    case customerPreferencesChanged = "customer.preferences_changed"
    case portalTokenExpired = "portal_token.expired"
}

/// A tenant's receiver of signed events. The secret is not part of it: it is shown once, when
/// made or rotated, and read only by what signs.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var description: String
    /// The subscribed types; nil: every type, including those added later.
    public var eventTypes: [WebhookEventType]?
    public var enabled: Bool
    public var createdAt: Date
    public var updatedAt: Date
    /// Until when the secret before the last rotation still signs (nil: only one secret signs).
    public var previousSecretExpiresAt: Date?
    /// Who is told by email when Billport disables the endpoint.
    public var alertEmail: String?
    /// Why Billport disabled it; nil when enabled or disabled by the tenant.
    public var disabledReason: WebhookDisableReason?

    public init(id: Int64, url: String, description: String, eventTypes: [WebhookEventType]?, enabled: Bool, createdAt: Date, updatedAt: Date,
                previousSecretExpiresAt: Date?, alertEmail: String? = nil, disabledReason: WebhookDisableReason? = nil) {
        self.alertEmail = alertEmail
        self.disabledReason = disabledReason
        self.id = id
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.previousSecretExpiresAt = previousSecretExpiresAt
    }

    /// Whether an event of `type` goes to this endpoint.
    public func wants(_ type: WebhookEventType) -> Bool { enabled && (eventTypes?.contains(type) ?? true) }
}

/// The fields of an endpoint a tenant sets: all of them when creating, those sent when changing.
public struct WebhookEndpointFields: Sendable, Equatable {
    public var url: String?
    public var description: String?
    /// `.some(nil)`: every event type.
    public var eventTypes: [WebhookEventType]??
    public var enabled: Bool?
    /// `.some(nil)`: nobody is told when the endpoint is disabled.
    public var alertEmail: String??

    public init(url: String? = nil, description: String? = nil, eventTypes: [WebhookEventType]?? = nil, enabled: Bool? = nil,
                alertEmail: String?? = nil) {
        self.alertEmail = alertEmail
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
    }

    /// The most endpoints one tenant may have: each event is signed and sent once per endpoint.
    public static let maxEndpointsPerTenant = 20
    static let maxURLLength = 2048
    static let maxDescriptionLength = 500

    /// `eventTypes` as sent: `["*"]` (or absent on creation) for every type, else known names,
    /// each once. An unknown name is a `FieldError` naming its position.
    public static func eventTypes(_ names: [String]) throws(FieldError) -> [WebhookEventType]? {
        if names == ["*"] { return nil }
        guard !names.isEmpty else { throw FieldError("eventTypes", "must name at least one event type, or be [\"*\"] for all") }
        var types: [WebhookEventType] = []
        for (index, name) in names.enumerated() {
            guard let type = WebhookEventType(rawValue: name) else {
                let known = WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")
                throw FieldError("eventTypes[\(index)]", "is not an event type (\(name == "*" ? "\"*\" stands alone" : "known: \(known)"))")
            }
            if !types.contains(type) { types.append(type) }
        }
        return types
    }

    /// Length rules of what was sent (the URL's destination has its own check,
    /// `WebhookDestinationPolicy`).
    public func validate() throws(FieldError) {
        if let url, url.utf8.count > Self.maxURLLength { throw FieldError("url", "must be at most \(Self.maxURLLength) bytes") }
        if let description, description.limitedLength > Self.maxDescriptionLength {
            throw FieldError("description", "must be at most \(Self.maxDescriptionLength) characters")
        }
        if case .some(.some(let address)) = alertEmail { _ = try EmailAddress(address, field: "alertEmail") }
    }
}
