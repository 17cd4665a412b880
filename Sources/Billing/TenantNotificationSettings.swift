import Foundation

/// Which events the tenant's own people hear about by email, and where. Off until the tenant
/// names at least one address and one event.
public struct TenantNotificationSettings: Sendable, Hashable {
    /// Addresses the notifications go to (at most `maxRecipients`).
    public var recipients: [String]
    /// The events that send a notification, a subset of `notifiable`.
    public var events: [WebhookEventType]
    /// At most one email per invoice (or customer, for events about no invoice) and event type
    /// in this many minutes: a buyer refreshing the page does not flood the inbox.
    public var windowMinutes: Int

    public static let maxRecipients = 10
    public static let windowRange = 1...10_080
    public static let defaultWindowMinutes = 60
    /// What a person wants to hear about; the rest (issued, shared, emails sent…) are the
    /// tenant's own actions or routine, left to webhooks.
    public static let notifiable: [WebhookEventType] = [.invoiceViewed, .invoicePaid, .invoicePaymentFailed, .invoiceRefunded,
                                                        .portalMessageReceived, .emailFailed]

    public init(recipients: [String] = [], events: [WebhookEventType] = [], windowMinutes: Int = Self.defaultWindowMinutes) {
        self.recipients = recipients
        self.events = events
        self.windowMinutes = windowMinutes
    }

    /// Whether an event of `type` sends a notification.
    public func wants(_ type: WebhookEventType) -> Bool { !recipients.isEmpty && events.contains(type) }

    /// `recipients` as sent: each a valid address (trimmed), each once, at most `maxRecipients`.
    public static func recipients(_ raw: [String]) throws(FieldError) -> [String] {
        guard raw.count <= maxRecipients else { throw FieldError("recipients", "must name at most \(maxRecipients) addresses (got \(raw.count))") }
        var addresses: [String] = []
        for (index, text) in raw.enumerated() {
            let address = try EmailAddress(text, field: "recipients[\(index)]").value
            if !addresses.contains(where: { $0.lowercased() == address.lowercased() }) { addresses.append(address) }
        }
        return addresses
    }

    /// `events` as sent: names from `notifiable`, each once. Any other name is a `FieldError`
    /// naming its position.
    public static func events(_ names: [String]) throws(FieldError) -> [WebhookEventType] {
        var types: [WebhookEventType] = []
        for (index, name) in names.enumerated() {
            guard let type = WebhookEventType(rawValue: name), notifiable.contains(type) else {
                throw FieldError("events[\(index)]", "is not an event that sends a notification (known: \(notifiable.map(\.rawValue).joined(separator: ", ")))")
            }
            if !types.contains(type) { types.append(type) }
        }
        return types
    }

    public static func windowMinutes(_ minutes: Int) throws(FieldError) -> Int {
        guard windowRange.contains(minutes) else {
            throw FieldError("windowMinutes", "must be between \(windowRange.lowerBound) and \(windowRange.upperBound) (got \(minutes))")
        }
        return minutes
    }
}

/// What a notification says about one event, from the facts its `data` carries.
public struct TenantNotification: Sendable, Equatable {
    public let subject: String
    public let text: String

    /// The facts of an event a notification needs.
    public struct Facts: Sendable, Equatable {
        public var invoiceNumber: String?
        public var customerName: String?
        public var amount: Money?
        public var recipient: String?
        public var message: String?

        public init(invoiceNumber: String? = nil, customerName: String? = nil, amount: Money? = nil, recipient: String? = nil, message: String? = nil) {
            self.invoiceNumber = invoiceNumber
            self.customerName = customerName
            self.amount = amount
            self.recipient = recipient
            self.message = message
        }
    }

    /// The notification for `type`, nil for a type that sends none.
    public static func compose(_ type: WebhookEventType, _ facts: Facts) -> TenantNotification? {
        let invoice = facts.invoiceNumber ?? "an invoice"
        let customer = facts.customerName ?? "A customer"
        let amount = facts.amount.map { " (\($0.formatted))" } ?? ""
        let subject: String
        switch type {
        case .invoiceViewed: subject = "\(customer) opened invoice \(invoice)"
        case .invoicePaid: subject = "\(invoice) was paid\(amount)"
        case .invoicePaymentFailed: subject = "A payment for \(invoice) failed"
        case .invoiceRefunded: subject = "A payment for \(invoice) was refunded"
        case .portalMessageReceived: subject = "New message from \(customer)"
        case .emailFailed: subject = "Email to \(facts.recipient ?? "a customer") failed" + (facts.invoiceNumber.map { " (invoice \($0))" } ?? "")
        default: return nil
        }
        var lines = [subject + "."]
        if let message = facts.message { lines += ["", message] }
        lines += ["", "You get this email because your Billport notification settings ask for it; change them with PUT /api/settings/notifications."]
        return TenantNotification(subject: subject, text: lines.joined(separator: "\n"))
    }
}
