import BillportCore

/// Billport's job kinds with their payloads: declared here once, used by the stores that
/// enqueue them and by the handlers that run them.
public enum BillingJob {
    /// Renders an invoice's PDF into the cache, so that it is warm when a buyer opens the link.
    public static let renderPDF = JobKind<RenderPDF>("pdf.render")
    /// Sends one message (invoice, portal link, reminder, marketing) to one customer.
    public static let sendEmail = JobKind<SendEmail>("email.send", queue: "mail")
    /// Tells the tenant's own people about an event they opted in to (`TenantNotificationSettings`).
    public static let notifyTenant = JobKind<NotifyTenant>("notification.send", queue: "mail")
    /// Applies one stored provider event to the payment ledger.
    public static let applyPaymentEvent = JobKind<ApplyPaymentEvent>("payment.event")
    /// Enqueues today's overdue reminders (scheduled).
    public static let overdueReminders = JobKind<NoPayload>("reminders.overdue")
    /// Folds raw views into per-invoice stats (scheduled).
    public static let aggregateViews = JobKind<NoPayload>("views.aggregate")
    /// Deletes raw views and blanks addresses past their retention (scheduled).
    public static let pruneViews = JobKind<NoPayload>("views.prune")
    /// Marks portal tokens past their expiry (scheduled).
    public static let expireLinks = JobKind<NoPayload>("links.expire")
}

/// The payload of `pdf.render`.
public struct RenderPDF: Codable, Sendable, Equatable {
    public let tenantId: Int64
    public let invoiceId: Int64

    public init(tenantId: Int64, invoiceId: Int64) {
        self.tenantId = tenantId
        self.invoiceId = invoiceId
    }
}

/// The payload of `email.send`: one message (category) about one invoice or customer.
public struct SendEmail: Codable, Sendable, Equatable {
    public let tenantId: Int64
    public let customerId: Int64
    public let invoiceId: Int64?
    public let category: EmailCategory
    /// Overrides the customer's own address.
    public let recipients: [String]?
    /// The tenant's words, above the standard text.
    public let message: String?
    /// For reminders: days after the due date.
    public let reminderOffset: Int?
    /// For marketing: the tenant's subject line.
    public let subject: String?
    /// For the portal email: whether the new link replaces the customer's other portal links
    /// (nil, from jobs queued before it existed, is false: they stay valid until they expire).
    public let revokeExisting: Bool?

    public init(tenantId: Int64, customerId: Int64, invoiceId: Int64?, category: EmailCategory, recipients: [String]? = nil,
                message: String? = nil, reminderOffset: Int? = nil, subject: String? = nil, revokeExisting: Bool? = nil) {
        self.tenantId = tenantId
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.category = category
        self.recipients = recipients
        self.message = message
        self.reminderOffset = reminderOffset
        self.subject = subject
        self.revokeExisting = revokeExisting
    }
}

/// The payload of `payment.event`: the stored event to apply.
public struct ApplyPaymentEvent: Codable, Sendable, Equatable {
    public let eventRowId: Int64
    public init(eventRowId: Int64) { self.eventRowId = eventRowId }
}

/// The payload of `notification.send`: one notification to the tenant's own addresses, worded
/// when the event was recorded.
public struct NotifyTenant: Codable, Sendable, Equatable {
    public let tenantId: Int64
    public let recipients: [String]
    public let subject: String
    public let text: String

    public init(tenantId: Int64, recipients: [String], subject: String, text: String) {
        self.tenantId = tenantId
        self.recipients = recipients
        self.subject = subject
        self.text = text
    }
}

extension BillingJob {
    /// Sends what is due to one webhook endpoint, on its own queue so that a slow receiver
    /// never delays other work.
    public static let deliverWebhooks = JobKind<DeliverWebhooks>("webhooks.deliver", queue: "webhooks")
    /// Tells a tenant that one of its webhook endpoints was disabled.
    public static let webhookEndpointDisabled = JobKind<WebhookEndpointDisabled>("webhooks.disabled", queue: "mail")
    /// Deletes deliveries and events past their retention (scheduled).
    public static let pruneWebhookDeliveries = JobKind<NoPayload>("webhooks.prune")
}

/// The payload of `webhooks.deliver`.
public struct DeliverWebhooks: Codable, Sendable, Equatable {
    public let tenantId: Int64
    public let endpointId: Int64
    public init(tenantId: Int64, endpointId: Int64) {
        self.tenantId = tenantId
        self.endpointId = endpointId
    }
}

/// The payload of `webhooks.disabled`.
public struct WebhookEndpointDisabled: Codable, Sendable, Equatable {
    public let tenantId: Int64
    public let endpointId: Int64
    public let reason: WebhookDisableReason
    public init(tenantId: Int64, endpointId: Int64, reason: WebhookDisableReason) {
        self.tenantId = tenantId
        self.endpointId = endpointId
        self.reason = reason
    }
}
