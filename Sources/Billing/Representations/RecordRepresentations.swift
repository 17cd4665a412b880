import BillportCore
import Foundation

/// A customer as the tenant API shows it and `customer.preferences_changed` carries it.
public struct CustomerRepresentation: Encodable, Sendable {
    let id: Int64
    let name: String
    let email: String
    let preferences: Customer.Preferences
    let createdAt: String
    /// Set once the customer's personal data was erased.
    let erasedAt: String?
    let address: PostalAddress.Input?
    let vatId: String?
    let buyerReference: String?

    public init(_ customer: Customer) {
        id = customer.id
        name = customer.name
        email = customer.email
        preferences = customer.preferences
        createdAt = ISO8601.format(customer.createdAt)
        erasedAt = customer.erasedAt.map { ISO8601.format($0) }
        address = customer.details.address?.input
        vatId = customer.details.vatID?.value
        buyerReference = customer.details.buyerReference
    }
}

/// One line of the email log as the tenant sees it and the `email.*` events carry it.
public struct EmailLogRepresentation: Encodable, Sendable {
    let id: Int64, invoiceId: Int64?, customerId: Int64
    let category: String, recipient: String, status: String, detail: String?, messageId: String?, createdAt: String, updatedAt: String

    public init(_ entry: EmailLogEntry) {
        id = entry.id
        invoiceId = entry.invoiceID
        customerId = entry.customerID
        category = entry.category.rawValue
        recipient = entry.recipient
        status = entry.status.rawValue
        detail = entry.detail
        messageId = entry.messageID
        createdAt = ISO8601.format(entry.createdAt)
        updatedAt = ISO8601.format(entry.updatedAt)
    }
}

/// A customer's portal message as the tenant's inbox shows it and `portal.message_received` carries it.
public struct MessageRepresentation: Encodable, Sendable {
    let id: Int64, customerId: Int64, customerName: String, message: String, createdAt: String, readAt: String?

    public init(_ message: CustomerMessage) {
        id = message.id
        customerId = message.customerID
        customerName = message.customerName
        self.message = message.body
        createdAt = ISO8601.format(message.createdAt)
        readAt = message.readAt.map { ISO8601.format($0) }
    }
}

/// A portal token as `GET /api/portal-tokens` lists it and `portal_token.expired` carries it:
/// never the token itself.
public struct PortalTokenRepresentation: Encodable, Sendable {
    let customerId: Int64, createdAt: String, expiresAt: String, status: String

    public init(_ token: PortalToken, now: Date) {
        customerId = token.customerID
        createdAt = ISO8601.format(token.createdAt)
        expiresAt = ISO8601.format(token.expiresAt)
        status = token.revokedAt != nil ? "revoked" : token.expiresAt <= now ? "expired" : "active"
    }
}

/// One open of an invoice as `GET /api/invoices/{id}/views` lists it. `invoice.viewed` carries
/// it without the address (`ip` nil is left out), with the invoice it is about.
public struct ViewRepresentation: Encodable, Sendable {
    let invoiceId: Int64?
    let invoiceNumber: String?
    let viewedAt: String, source: String, ip: String?, userAgent: String?, counted: Bool

    /// A line of the tenant's view log.
    public init(logLine record: ViewRecord, counted: Bool) {
        invoiceId = nil
        invoiceNumber = nil
        viewedAt = ISO8601.format(record.viewedAt, fractional: true)
        source = record.source.rawValue
        ip = record.ip
        userAgent = record.userAgent
        self.counted = counted
    }

    /// A counted view as its event tells it: the facts of the open, never the buyer's address.
    public init(countedView record: ViewRecord, invoiceNumber: String) {
        invoiceId = record.invoiceID
        self.invoiceNumber = invoiceNumber
        viewedAt = ISO8601.format(record.viewedAt, fractional: true)
        source = record.source.rawValue
        ip = nil
        userAgent = record.userAgent
        counted = true
    }
}
