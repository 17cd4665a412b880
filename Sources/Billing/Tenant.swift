import BillportCore
import Foundation

/// A business that bills its customers through Billport.
public struct Tenant: Sendable, Hashable {
    public let id: Int64
    /// Short stable name used in tokens and URLs (`acme`).
    public let slug: String
    public let name: String
    public let createdAt: Date

    /// Slugs: 2–40 of a-z, 0-9 and '-', starting with a letter.
    public static func isValidSlug(_ slug: String) -> Bool {
        guard (2...40).contains(slug.count), let first = slug.first, first.isLetter else { return false }
        return slug.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    public init(id: Int64, slug: String, name: String, createdAt: Date) {
        self.id = id
        self.slug = slug
        self.name = name
        self.createdAt = createdAt
    }
}

/// A tenant's customer: who invoices go to, and what mail they accept.
public struct Customer: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let email: String
    public let preferences: Preferences
    public let createdAt: Date
    /// When the customer's personal data was erased on request; from then on no email goes out to them.
    public let erasedAt: Date?
    /// Address, VAT id and reference for legally complete invoices.
    public let details: BuyerDetails

    /// What mail the customer accepts, by category.
    public struct Preferences: Sendable, Hashable, Codable, KnownKeys {
        public var document: Bool
        public var reminder: Bool
        public var marketing: Bool

        public enum CodingKeys: String, CodingKey, CaseIterable { case document, reminder, marketing }

        public init(document: Bool = true, reminder: Bool = true, marketing: Bool = false) {
            self.document = document
            self.reminder = reminder
            self.marketing = marketing
        }
    }

    public init(id: Int64, name: String, email: String, preferences: Preferences, createdAt: Date, erasedAt: Date? = nil,
                details: BuyerDetails = BuyerDetails()) {
        self.id = id
        self.name = name
        self.email = email
        self.preferences = preferences
        self.createdAt = createdAt
        self.erasedAt = erasedAt
        self.details = details
    }
}

/// What `POST /api/invoices/{id}/share` answers.
public struct ShareResult: Sendable, Equatable {
    /// The raw token when one was made now; nil when an active link already existed.
    public let token: String?
    public let alreadyShared: Bool
    /// When the active link was made.
    public let createdAt: Date

    public init(token: String?, alreadyShared: Bool, createdAt: Date) {
        self.token = token
        self.alreadyShared = alreadyShared
        self.createdAt = createdAt
    }
}

/// What a buyer's public JSON view shows: nothing internal, no token.
public struct PublicInvoiceView: Sendable, Equatable {
    /// For recording the open; never shown.
    public let tenantID: Int64
    public let invoiceID: Int64
    public let linkID: Int64
    public let emailed: Bool
    /// When the link stops working, if it ever does.
    public let expiresAt: Date?
    public let vendorName: String
    public let invoiceNumber: String
    public let amountDue: Int64
    public let currency: String
    public let issueDate: String
    public let dueDate: String
    public let status: String
    public let deliveryStatus: String

    public init(tenantID: Int64, invoiceID: Int64, linkID: Int64, emailed: Bool, expiresAt: Date?, vendorName: String, invoiceNumber: String, amountDue: Int64, currency: String, issueDate: String, dueDate: String, status: String, deliveryStatus: String) {
        self.tenantID = tenantID
        self.invoiceID = invoiceID
        self.linkID = linkID
        self.emailed = emailed
        self.expiresAt = expiresAt
        self.vendorName = vendorName
        self.invoiceNumber = invoiceNumber
        self.amountDue = amountDue
        self.currency = currency
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.status = status
        self.deliveryStatus = deliveryStatus
    }
}
