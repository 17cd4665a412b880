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
        var byCurrency: [String: CustomerBalance] = [:]
        for invoice in invoices where invoice.status == .issued && invoice.amountDue > 0 {
            let code = invoice.currency.code
            var balance = byCurrency[code] ?? CustomerBalance(currency: code)
            let due = invoice.amountDue
            let add = { (sum: Int64) throws(MoneyOverflow) -> Int64 in try MoneyArithmetic.add(sum, due, "the amount owed in \(code)") }
            balance.outstanding = try add(balance.outstanding)
            let late = today.daysSinceEpoch - invoice.dueDate.daysSinceEpoch
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
}
