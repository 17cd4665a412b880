import Foundation

/// A stored provider event, as the worker reads it back.
public struct StoredProviderEvent: Sendable {
    public let rowID: Int64
    public let tenantID: Int64
    public let tenantSlug: String
    public let provider: String
    public let eventID: String
    public let type: String
    public let payload: [UInt8]
    public let applied: Bool

    public init(rowID: Int64, tenantID: Int64, tenantSlug: String, provider: String, eventID: String, type: String, payload: [UInt8],
                applied: Bool) {
        self.rowID = rowID
        self.tenantID = tenantID
        self.tenantSlug = tenantSlug
        self.provider = provider
        self.eventID = eventID
        self.type = type
        self.payload = payload
        self.applied = applied
    }

    /// The stored outcome of an event refused for `reason`: `ignored: …`, one form for every refusal.
    public static func ignoredOutcome(_ reason: String) -> String { "ignored: " + reason }
}

/// A checkout session Billport opened, with whether its payment has arrived.
public struct CheckoutRecord: Sendable, Equatable {
    public let tenantID: Int64
    public let invoiceID: Int64
    public let invoicePublicID: String
    public let invoiceNumber: String
    public let vendorName: String
    public let amount: Int64
    public let currency: String
    public let createdAt: Date
    public let paymentState: PaymentState?

    public init(tenantID: Int64, invoiceID: Int64, invoicePublicID: String, invoiceNumber: String, vendorName: String, amount: Int64,
                currency: String, createdAt: Date, paymentState: PaymentState?) {
        self.tenantID = tenantID
        self.invoiceID = invoiceID
        self.invoicePublicID = invoicePublicID
        self.invoiceNumber = invoiceNumber
        self.vendorName = vendorName
        self.amount = amount
        self.currency = currency
        self.createdAt = createdAt
        self.paymentState = paymentState
    }
}

/// What applying a provider event did.
public enum EventOutcome: Sendable, Equatable {
    /// Changed the ledger; the text says how (for the log and the event row).
    case applied(String)
    /// Nothing to change: a repeat or an older state.
    case unchanged(String)
    /// Refused, with the reason: the event names a checkout, charge, invoice, amount or
    /// currency Billport did not record for this tenant. It never changes an invoice.
    case ignored(String)
    /// An earlier run already applied it.
    case alreadyApplied

    /// The text stored on the event row.
    public var storedText: String {
        switch self {
        case .applied(let detail), .unchanged(let detail): return detail
        case .ignored(let reason): return StoredProviderEvent.ignoredOutcome(reason)
        case .alreadyApplied: return "already applied"
        }
    }
}
