import BillportCore
import Foundation
@testable import Billing
import Testing

/// Only an AR document that was issued ever reaches a buyer.
@Suite struct BuyerVisibilityRuleTests {
    func invoice(_ type: InvoiceType, _ status: InvoiceStatus, issued: Bool) -> Invoice {
        Invoice(id: 1, publicID: "inv_1", customerID: 1, type: type, number: "A-1", status: status, deliveryStatus: .notSent,
                currency: Currency(code: "EUR")!, issueDate: CalendarDate(parsing: "2026-11-01")!, dueDate: CalendarDate(parsing: "2026-12-01")!,
                notes: nil, allowPartialPayments: false, minimumPaymentAmount: nil, lines: [],
                totals: InvoiceTotals(subtotal: 100, taxes: [], taxTotal: 0, total: 100), amountPaid: 0, amountCredited: 0,
                createdAt: Date(), issuedAt: issued ? Date() : nil)
    }

    @Test func issuedARDocumentsAreVisibleWhateverTheirStatusNow() {
        #expect(invoice(.ar, .issued, issued: true).isBuyerVisible)
        #expect(invoice(.ar, .paid, issued: true).isBuyerVisible)
        #expect(invoice(.ar, .cancelled, issued: true).isBuyerVisible)
    }

    @Test func apBillsDraftsAndNeverIssuedCancellationsAreNot() {
        #expect(!invoice(.ap, .issued, issued: true).isBuyerVisible)
        #expect(!invoice(.ar, .draft, issued: false).isBuyerVisible)
        #expect(!invoice(.ar, .cancelled, issued: false).isBuyerVisible)
        #expect(BuyerVisibility.refusal(invoice(.ap, .issued, issued: true), verb: "shared") == .conflict(code: "not_shareable",
            message: "an AP bill is internal and cannot be shared; only AR invoices reach a buyer"))
        #expect(BuyerVisibility.refusal(invoice(.ar, .cancelled, issued: false), verb: "sent") == .conflict(code: "invalid_status",
            message: "a cancelled invoice cannot be sent; it was never issued"))
        #expect(BuyerVisibility.refusal(invoice(.ar, .draft, issued: false), verb: "shared") == .conflict(code: "invalid_status",
            message: "a draft invoice cannot be shared; issue it first"))
    }
}
