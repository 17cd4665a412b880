import BillportCore
import Foundation
@testable import Billing
import Testing

/// Sums of money never trap: they are exact, or a `MoneyOverflow` naming what was summed.
@Suite struct MoneyArithmeticTests {
    @Test func sumsAreExactUpToInt64AndAnErrorBeyond() throws {
        #expect(try MoneyArithmetic.sum([1, 2, 3], "x") == 6)
        #expect(try MoneyArithmetic.sum([Int64.max - 1, 1], "x") == Int64.max)
        #expect(try MoneyArithmetic.sum([Int64.max, 5, -5], "x") == Int64.max, "an intermediate step beyond Int64 is fine in Int128")
        #expect(throws: MoneyOverflow("amount paid")) { try MoneyArithmetic.sum([5_000_000_000_000_000_000, 5_000_000_000_000_000_000], "amount paid") }
        #expect(throws: MoneyOverflow("x")) { try MoneyArithmetic.add(Int64.max, 1, "x") }
        #expect(MoneyOverflow("amount paid").description == "amount paid adds up to more than 9223372036854775807 minor units")
    }

    @Test func whatIsLeftNeverGoesBelowZeroNorTraps() {
        #expect(MoneyArithmetic.remainder(of: 10_000, less: 3000, 2000) == 5000)
        #expect(MoneyArithmetic.remainder(of: 10_000, less: 13_000) == 0)
        #expect(MoneyArithmetic.remainder(of: 0, less: Int64.max, Int64.max) == 0)
        #expect(MoneyArithmetic.remainder(of: Int64.max, less: Int64.min) == Int64.max)
    }

    @Test func theLedgerRefusesPaymentsThatAddUpBeyondInt64() {
        #expect(throws: MoneyOverflow("amount paid")) {
            try PaymentLedger.balance(total: 100, credited: 0, status: .issued, netPayments: [Int64.max, Int64.max])
        }
    }

    @Test func overpaymentIsWhatPaymentsAndCreditsExceedTheTotalBy() {
        #expect(Invoice.overpaid(total: 10_000, paid: 13_000, credited: 0, status: .paid) == 3000)
        #expect(Invoice.overpaid(total: 10_000, paid: 8000, credited: 3000, status: .paid) == 1000)
        #expect(Invoice.overpaid(total: 10_000, paid: 5000, credited: 0, status: .issued) == 0)
        #expect(Invoice.overpaid(total: 10_000, paid: 5000, credited: 0, status: .cancelled) == 5000)
        #expect(Invoice.amountDue(total: 10_000, paid: 13_000, credited: 0, status: .paid) == 0)
        #expect(Invoice.amountDue(total: 10_000, paid: Int64.max, credited: Int64.max, status: .issued) == 0)
    }

    @Test func aStatementBeyondInt64IsAnErrorNamingTheCurrency() throws {
        let big = Self.invoice(total: InvoiceMath.maximumAmount)
        let today = try #require(CalendarDate(parsing: "2026-12-15"))
        let fine = try CustomerBalance.of(Array(repeating: big, count: 9000), today: today)
        #expect(fine.first?.outstanding == 9000 * InvoiceMath.maximumAmount)
        #expect(fine.first?.days1to30 == 9000 * InvoiceMath.maximumAmount)
        #expect(throws: MoneyOverflow("the amount owed in EUR")) { try CustomerBalance.of(Array(repeating: big, count: 9300), today: today) }
    }

    static func invoice(total: Int64) -> Invoice {
        Invoice(id: 1, publicID: "inv_1", customerID: 1, type: .ar, number: "A-1", status: .issued, deliveryStatus: .sent,
                currency: Currency(code: "EUR")!, issueDate: CalendarDate(parsing: "2026-11-01")!, dueDate: CalendarDate(parsing: "2026-12-01")!,
                notes: nil, allowPartialPayments: false, minimumPaymentAmount: nil, lines: [],
                totals: InvoiceTotals(subtotal: total, taxes: [], taxTotal: 0, total: total), amountPaid: 0, amountCredited: 0,
                createdAt: Date(), issuedAt: Date())
    }
}
