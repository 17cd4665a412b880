import BillportCore
import Foundation

/// Where a sales order stands; the portal shows it, the tenant moves it along.
public enum SalesOrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, confirmed, fulfilled, cancelled

    public init(from decoder: any Decoder) throws { self = try decoder.decodeChoice() }
}

/// An order the customer placed that is not (yet) an invoice, shown in the portal when the
/// tenant switches `showSalesOrders` on.
public struct SalesOrder: Sendable, Hashable {
    public let id: Int64
    public let customerID: Int64
    public let number: String
    public let status: SalesOrderStatus
    public let total: Money
    public let orderDate: CalendarDate
    /// When the tenant expects to deliver, if it says.
    public let expectedDate: CalendarDate?
    public let createdAt: Date

    public init(id: Int64, customerID: Int64, number: String, status: SalesOrderStatus, total: Money, orderDate: CalendarDate, expectedDate: CalendarDate?, createdAt: Date) {
        self.id = id
        self.customerID = customerID
        self.number = number
        self.status = status
        self.total = total
        self.orderDate = orderDate
        self.expectedDate = expectedDate
        self.createdAt = createdAt
    }
}

/// What a tenant sends to create a sales order; `validate` names the first wrong field.
public struct SalesOrderDraft: Sendable, Hashable, Decodable, KnownKeys {
    public var customerId: Int64
    public var number: String
    public var status: SalesOrderStatus?
    public var currency: Currency
    public var total: Int64
    public var orderDate: CalendarDate
    public var expectedDate: CalendarDate?

    public enum CodingKeys: String, CodingKey, CaseIterable { case customerId, number, status, currency, total, orderDate, expectedDate }

    /// As synthesized, except that `total` must be an integer amount in minor units.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customerId = try container.decode(Int64.self, forKey: .customerId)
        number = try container.decode(String.self, forKey: .number)
        status = try container.decodeIfPresent(SalesOrderStatus.self, forKey: .status)
        currency = try container.decode(Currency.self, forKey: .currency)
        total = try container.decodeMinorUnits(forKey: .total)
        orderDate = try container.decode(CalendarDate.self, forKey: .orderDate)
        expectedDate = try container.decodeIfPresent(CalendarDate.self, forKey: .expectedDate)
    }

    public init(customerId: Int64, number: String, status: SalesOrderStatus? = nil, currency: Currency, total: Int64,
                orderDate: CalendarDate, expectedDate: CalendarDate? = nil) {
        self.customerId = customerId
        self.number = number
        self.status = status
        self.currency = currency
        self.total = total
        self.orderDate = orderDate
        self.expectedDate = expectedDate
    }

    public func validate() throws(FieldError) {
        guard (1...64).contains(number.trimmingCharacters(in: .whitespaces).limitedLength) else { throw FieldError("number", "must be 1 to 64 characters") }
        guard total >= 0 else { throw FieldError("total", "must not be negative (minor units)") }
        guard total <= InvoiceMath.maximumAmount else { throw FieldError("total", "is too large") }
        if let expectedDate, expectedDate < orderDate { throw FieldError("expectedDate", "must not be before orderDate") }
    }
}

/// A message a customer wrote from the portal; the tenant reads it through the API.
public struct CustomerMessage: Sendable, Hashable {
    public let id: Int64
    public let customerID: Int64
    public let customerName: String
    public let body: String
    public let createdAt: Date
    public let readAt: Date?

    /// Longest message accepted, in characters.
    public static let maximumLength = 2000

    /// The text as stored: trimmed, 1…2000 characters, no control characters but line breaks and tabs.
    public static func validated(_ text: String) throws(FieldError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw FieldError("message", "must not be empty") }
        guard trimmed.limitedLength <= maximumLength else { throw FieldError("message", "must be at most \(maximumLength) characters (got \(trimmed.limitedLength))") }
        let allowed: Set<Unicode.Scalar> = ["\n", "\r", "\t"]
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) else {
            throw FieldError("message", "must not contain control characters")
        }
        return trimmed
    }

    public init(id: Int64, customerID: Int64, customerName: String, body: String, createdAt: Date, readAt: Date?) {
        self.id = id
        self.customerID = customerID
        self.customerName = customerName
        self.body = body
        self.createdAt = createdAt
        self.readAt = readAt
    }
}
