import Billing
import BillportCore
import Foundation

/// The history of one big customer, as the `scale` group builds it: `count` invoices whose due
/// dates run from a year ago to a month ahead (oldest first, one id after another), one to four
/// lines each, mostly in EUR with some in USD. Old invoices are mostly paid; recent ones are
/// open, partly paid or paid; a few are credited, a few cancelled, and the two newest are still
/// drafts. Every aging bucket of the statement holds something. Pure and deterministic.
struct ScaleShape {
    let count: Int
    /// The day the server calls today (`CalendarDate.daysSinceEpoch`).
    let today: Int

    /// Days from the oldest due date to the newest.
    static let span = 395
    /// Due dates run up to this many days ahead of today.
    static let ahead = 30

    /// One invoice as it is stored: its row, lines, and what was paid and credited.
    struct GeneratedInvoice: Sendable {
        let index: Int
        let number: String
        let currency: Currency
        let issueDay: Int
        let dueDay: Int
        let lines: [InvoiceLine]
        let totals: InvoiceTotals
        let status: InvoiceStatus
        /// False for drafts, which never reached the buyer.
        let issued: Bool
        let paid: Int64
        let credited: Int64
    }

    private static let euro = Currency(code: "EUR")!
    private static let dollar = Currency(code: "USD")!

    func invoice(_ index: Int) throws -> GeneratedInvoice {
        let age = Double(count - 1 - index) / Double(max(count - 1, 1))
        let dueDay = today + Self.ahead - Int((age * Double(Self.span)).rounded())
        let daysLate = today - dueDay
        let slot = index % 40
        let currency = index % 25 == 3 ? Self.dollar : Self.euro
        let (computed, totals) = try InvoiceMath.compute(Self.lines(index))
        let credited = slot == 13 || slot == 29 ? totals.total / 10 : 0
        let owed = totals.total - credited
        let draft = index >= count - 2
        let payment: Payment = draft || slot == 7 ? .unpaid : Self.payment(slot: slot, daysLate: daysLate)
        let paid: Int64 = switch payment {
        case .unpaid: 0
        case .partly: owed / 2
        case .fully: owed
        }
        let status: InvoiceStatus = draft ? .draft : slot == 7 ? .cancelled : payment == .fully ? .paid : .issued
        return GeneratedInvoice(index: index, number: String(format: "SC-%06d", index), currency: currency,
                                issueDay: dueDay - 30, dueDay: dueDay, lines: computed, totals: totals, status: status,
                                issued: !draft, paid: paid, credited: credited)
    }

    private enum Payment { case unpaid, partly, fully }

    /// What the customer paid by now: the older the invoice, the likelier it is settled.
    private static func payment(slot: Int, daysLate: Int) -> Payment {
        switch daysLate {
        case 91...: slot == 0 ? .unpaid : slot == 1 ? .partly : .fully
        case 31...90: slot < 4 ? .unpaid : slot < 6 ? .partly : .fully
        default: slot < 20 ? .unpaid : slot < 26 ? .partly : .fully
        }
    }

    private static func lines(_ index: Int) -> [(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate)] {
        let all: [(description: String, quantity: Quantity, unitPrice: Int64, taxRate: TaxRate)] = [
            ("Wholesale order \(index)", Quantity(tenThousandths: 10_000), 4_990 + Int64(index % 97) * 1_000, TaxRate(hundredthsOfPercent: 1_900)),
            ("Delivery", Quantity(tenThousandths: 25_000), 1_250, TaxRate(hundredthsOfPercent: 700)),
            ("Consumables", Quantity(tenThousandths: 120_000), 375, TaxRate(hundredthsOfPercent: 1_900)),
            ("Setup", Quantity(tenThousandths: 10_000), 15_000, TaxRate(hundredthsOfPercent: 0)),
        ]
        return Array(all.prefix(1 + index % 4))
    }

    /// The invoice as the stores would read it back, for the statement the portal must show.
    func stored(_ invoice: GeneratedInvoice, id: Int64, customerID: Int64) -> Invoice {
        Invoice(id: id, publicID: "", customerID: customerID, type: .ar, number: invoice.number, status: invoice.status,
                deliveryStatus: invoice.issued ? .sent : .notSent, currency: invoice.currency,
                issueDate: Self.date(invoice.issueDay), dueDate: Self.date(invoice.dueDay), notes: nil, allowPartialPayments: true,
                minimumPaymentAmount: nil, lines: invoice.lines, totals: invoice.totals, amountPaid: invoice.paid,
                amountCredited: invoice.credited, createdAt: Self.instant(invoice.issueDay),
                issuedAt: invoice.issued ? Self.instant(invoice.issueDay) : nil)
    }

    static func date(_ day: Int) -> CalendarDate {
        CalendarDate(utc: Date(timeIntervalSince1970: Double(day) * 86_400))
    }

    /// 09:00 UTC on `day`.
    static func instant(_ day: Int) -> Date {
        Date(timeIntervalSince1970: Double(day) * 86_400 + 9 * 3_600)
    }
}
