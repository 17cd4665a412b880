import BillportCore
@testable import Documents
import Foundation
@testable import Billing
import Testing

/// The rows under an invoice's total: positive figures, an overpayment on its own row.
@Suite struct PaymentSummaryTests {
    static func invoice(total: Int64, paid: Int64, credited: Int64 = 0, status: InvoiceStatus) -> Invoice {
        Invoice(id: 1, publicID: "inv_1", customerID: 1, type: .ar, number: "A-1", status: status, deliveryStatus: .sent,
                currency: Currency(code: "EUR")!, issueDate: CalendarDate(parsing: "2026-11-01")!, dueDate: CalendarDate(parsing: "2026-12-01")!,
                notes: nil, allowPartialPayments: true, minimumPaymentAmount: nil, lines: [],
                totals: InvoiceTotals(subtotal: total, taxes: [], taxTotal: 0, total: total), amountPaid: paid, amountCredited: credited,
                createdAt: Date(), issuedAt: Date())
    }

    @Test func moneyBeyondTheTotalIsAnOverpaidRowAndNothingIsNegative() {
        let rows = PaymentSummary.rows(of: Self.invoice(total: 10_000, paid: 13_000, status: .paid))
        #expect(rows == [.init(label: "Amount paid", amount: 13_000, emphasised: false),
                         .init(label: "Overpaid, to be refunded", amount: 3000, emphasised: false),
                         .init(label: "Amount due", amount: 0, emphasised: true)])
    }

    @Test func aPartlyPaidAndCreditedInvoiceShowsWhatIsLeft() {
        let rows = PaymentSummary.rows(of: Self.invoice(total: 10_000, paid: 5000, credited: 1000, status: .issued))
        #expect(rows == [.init(label: "Amount paid", amount: 5000, emphasised: false),
                         .init(label: "Credited", amount: 1000, emphasised: false),
                         .init(label: "Amount due", amount: 4000, emphasised: true)])
        #expect(PaymentSummary.rows(of: Self.invoice(total: 10_000, paid: 0, status: .issued))
                == [.init(label: "Amount due", amount: 10_000, emphasised: true)])
    }

    @Test func everythingPaidOnACancelledInvoiceIsOverpaid() {
        let rows = PaymentSummary.rows(of: Self.invoice(total: 10_000, paid: 10_000, status: .cancelled))
        #expect(rows.map(\.amount) == [10_000, 10_000, 0])
        #expect(rows.allSatisfy { $0.amount >= 0 })
    }
}
