import BillportCore
import Foundation

/// What a customer owes, by currency, and how late: the statement rules, without I/O.
public struct CustomerBalance: Sendable, Hashable, Encodable {
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
    /// cancelled invoices owe nothing. Many large invoices can add up beyond Int64: that is a
    /// `MoneyOverflow` naming the currency, never a trap.
    public static func of(_ invoices: [Invoice], today: CalendarDate) throws(MoneyOverflow) -> [CustomerBalance] {
        try of(openItems: invoices.compactMap(OpenItem.init), today: today)
    }

    /// The same rule over open items alone: what a store reads when it does not sum in SQL.
    public static func of(openItems: [OpenItem], today: CalendarDate) throws(MoneyOverflow) -> [CustomerBalance] {
        var byCurrency: [String: CustomerBalance] = [:]
        for item in openItems where item.amountDue > 0 {
            let code = item.currency
            var balance = byCurrency[code] ?? CustomerBalance(currency: code)
            let due = item.amountDue
            let add = { (sum: Int64) throws(MoneyOverflow) -> Int64 in try MoneyArithmetic.add(sum, due, "the amount owed in \(code)") }
            balance.outstanding = try add(balance.outstanding)
            let late = today.daysSinceEpoch - item.dueDate.daysSinceEpoch
            switch late {
            case ...0: balance.current = try add(balance.current)
            case 1...30: balance.days1to30 = try add(balance.days1to30)
            case 31...60: balance.days31to60 = try add(balance.days31to60)
            case 61...90: balance.days61to90 = try add(balance.days61to90)
            default: balance.over90 = try add(balance.over90)
            }
            if late > 0 { balance.overdue = try add(balance.overdue) }
            byCurrency[code] = balance
        }
        return byCurrency.keys.sorted().map { byCurrency[$0]! }
    }

    /// The one quantity the statement owns on an invoice: an issued invoice with something due.
    public struct OpenItem: Sendable, Hashable {
        public let currency: String
        public let dueDate: CalendarDate
        public let amountDue: Int64

        public init(currency: String, dueDate: CalendarDate, amountDue: Int64) {
            self.currency = currency
            self.dueDate = dueDate
            self.amountDue = amountDue
        }

        /// The invoice as an open item, nil unless it is issued with an amount due.
        public init?(_ invoice: Invoice) {
            guard invoice.status == .issued, invoice.amountDue > 0 else { return nil }
            self.init(currency: invoice.currency.code, dueDate: invoice.dueDate, amountDue: invoice.amountDue)
        }
    }

    /// The earliest due date of each aging bucket on `today`, for a store that sums the buckets
    /// in SQL by comparing due dates: due on or after `current` is current, on or after
    /// `late30` is 1–30 days late, on or after `late60` 31–60, on or after `late90` 61–90, before
    /// it over 90 — the same days `of` counts.
    public struct AgingBoundaries: Sendable, Hashable {
        public let current: CalendarDate, late30: CalendarDate, late60: CalendarDate, late90: CalendarDate

        public init(today: CalendarDate) {
            let day = today.daysSinceEpoch
            current = today
            late30 = CalendarDate(daysSinceEpoch: day - 30)
            late60 = CalendarDate(daysSinceEpoch: day - 60)
            late90 = CalendarDate(daysSinceEpoch: day - 90)
        }
    }
}

/// An invoice as the portal lists it: its head without lines, so a page reads its own rows only.
public struct InvoiceSummary: Sendable, Hashable {
    public let publicID: String
    public let number: String
    public let status: InvoiceStatus
    public let currency: Currency
    public let issueDate: CalendarDate
    public let dueDate: CalendarDate
    public let total: Int64
    public let amountPaid: Int64
    public let amountCredited: Int64

    public init(publicID: String, number: String, status: InvoiceStatus, currency: Currency, issueDate: CalendarDate,
                dueDate: CalendarDate, total: Int64, amountPaid: Int64, amountCredited: Int64) {
        self.publicID = publicID
        self.number = number
        self.status = status
        self.currency = currency
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.total = total
        self.amountPaid = amountPaid
        self.amountCredited = amountCredited
    }

    /// What the buyer still owes (`Invoice.amountDue`).
    public var amountDue: Int64 { Invoice.amountDue(total: total, paid: amountPaid, credited: amountCredited, status: status) }

    /// Money received beyond what was due (`Invoice.amountOverpaid`).
    public var amountOverpaid: Int64 { Invoice.overpaid(total: total, paid: amountPaid, credited: amountCredited, status: status) }

    /// Whether "Pay now" may be offered (`Invoice.isPayable`).
    public var isPayable: Bool { Invoice.isPayable(status: status, amountDue: amountDue) }
}

/// One page of a customer's invoices, newest first; `hasMore` when older ones follow.
public struct InvoicePage: Sendable, Hashable {
    public let invoices: [InvoiceSummary]
    public let hasMore: Bool

    public init(invoices: [InvoiceSummary], hasMore: Bool) {
        self.invoices = invoices
        self.hasMore = hasMore
    }
}

/// One credit note in the buyer's portal.
public struct PortalCreditNote: Sendable, Hashable {
    public let publicID: String
    public let number: String
    public let issueDate: CalendarDate
    public let invoiceNumber: String
    public let amount: Int64
    public let currency: String
    /// Whether it has lines, so a PDF of it exists (credit notes from before lines have none).
    public let hasDocument: Bool

    public init(publicID: String, number: String, issueDate: CalendarDate, invoiceNumber: String, amount: Int64, currency: String, hasDocument: Bool) {
        self.publicID = publicID
        self.number = number
        self.issueDate = issueDate
        self.invoiceNumber = invoiceNumber
        self.amount = amount
        self.currency = currency
        self.hasDocument = hasDocument
    }
}
