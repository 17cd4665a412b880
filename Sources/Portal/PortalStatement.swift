import BillportCore
import Foundation

/// What the tenant decides about its customer portal.
public struct PortalSettings: Sendable, Hashable, Codable {
    /// Master switch: off, every portal link answers "Portal not available".
    public var enabled: Bool
    /// Days a new portal token lasts, 1–365.
    public var tokenExpiryDays: Int
    public var showCreditNotes: Bool
    public var showStatement: Bool
    public var showSalesOrders: Bool
    /// Whether customers may write to the tenant from the portal (off until the tenant opts in,
    /// so that nobody writes into a box no one reads).
    public var allowMessages: Bool
    /// Shown at the top of the portal, at most 500 characters.
    public var welcomeMessage: String?

    public init(enabled: Bool = true, tokenExpiryDays: Int = 30, showCreditNotes: Bool = true, showStatement: Bool = true,
                showSalesOrders: Bool = true, allowMessages: Bool = false, welcomeMessage: String? = nil) {
        self.enabled = enabled
        self.tokenExpiryDays = tokenExpiryDays
        self.showCreditNotes = showCreditNotes
        self.showStatement = showStatement
        self.showSalesOrders = showSalesOrders
        self.allowMessages = allowMessages
        self.welcomeMessage = welcomeMessage
    }

    /// The first rule the settings break, naming the field.
    public func validate() throws(FieldError) {
        guard (1...365).contains(tokenExpiryDays) else { throw FieldError("tokenExpiryDays", "must be between 1 and 365 (got \(tokenExpiryDays))") }
        if let welcomeMessage, welcomeMessage.count > 500 {
            throw FieldError("welcomeMessage", "must be at most 500 characters (got \(welcomeMessage.count))")
        }
    }
}

/// What a customer owes, by currency, and how late: the statement rules, without I/O.
public struct PortalBalance: Sendable, Hashable, Encodable {
    public let currency: String
    /// Amount due across every unpaid issued invoice.
    public var outstanding: Int64 = 0
    /// Of which past its due date.
    public var overdue: Int64 = 0
    /// Aging of the outstanding amount by days past due.
    public var current: Int64 = 0
    public var days1to30: Int64 = 0
    public var days31to60: Int64 = 0
    public var days61to90: Int64 = 0
    public var over90: Int64 = 0

    public init(currency: String) { self.currency = currency }

    /// Balances per currency (sorted by code) of `invoices` on `today`; drafts, paid and
    /// cancelled invoices owe nothing.
    public static func of(_ invoices: [Invoice], today: CalendarDate) -> [PortalBalance] {
        var byCurrency: [String: PortalBalance] = [:]
        for invoice in invoices where invoice.status == .issued && invoice.amountDue > 0 {
            var balance = byCurrency[invoice.currency.code] ?? PortalBalance(currency: invoice.currency.code)
            let due = invoice.amountDue
            balance.outstanding += due
            let late = today.daysSinceEpoch - invoice.dueDate.daysSinceEpoch
            switch late {
            case ...0: balance.current += due
            case 1...30: balance.days1to30 += due
            case 31...60: balance.days31to60 += due
            case 61...90: balance.days61to90 += due
            default: balance.over90 += due
            }
            if late > 0 { balance.overdue += due }
            byCurrency[invoice.currency.code] = balance
        }
        return byCurrency.keys.sorted().map { byCurrency[$0]! }
    }
}
