import BillportCore
import Foundation
@testable import Billing
import Testing

/// The ledger's pure rules and what a buyer may pay.
@Suite struct PaymentRuleTests {
    let eur = Currency(code: "EUR")!

    func invoice(total: Int64 = 10_000, paid: Int64 = 0, credited: Int64 = 0, status: InvoiceStatus = .issued, partial: Bool = false,
                 minimum: Int64? = nil, currency: String = "EUR") -> Invoice {
        Invoice(id: 1, publicID: "inv_1", customerID: 1, type: .ar, number: "A-1", status: status, deliveryStatus: .notSent,
                currency: Currency(code: currency)!, issueDate: CalendarDate(parsing: "2026-11-01")!, dueDate: CalendarDate(parsing: "2026-12-01")!,
                notes: nil, allowPartialPayments: partial, minimumPaymentAmount: minimum, lines: [],
                totals: InvoiceTotals(subtotal: total, taxes: [], taxTotal: 0, total: total), amountPaid: paid, amountCredited: credited,
                createdAt: Date(), issuedAt: Date())
    }

    @Test func finalStatesAreNeverUndoneByALateEvent() {
        #expect(PaymentLedger.merge(nil, .pending) == .pending)
        #expect(PaymentLedger.merge(.pending, .succeeded) == .succeeded)
        #expect(PaymentLedger.merge(.succeeded, .pending) == .succeeded)   // "completed, unpaid" arriving after the money
        #expect(PaymentLedger.merge(.failed, .pending) == .failed)
        #expect(PaymentLedger.merge(.succeeded, .failed) == .succeeded)
    }

    @Test func netCountsOnlySucceededMoneyLessRefunds() {
        #expect(PaymentLedger.net(amount: 5000, state: .succeeded, refunded: 0) == 5000)
        #expect(PaymentLedger.net(amount: 5000, state: .succeeded, refunded: 1500) == 3500)
        #expect(PaymentLedger.net(amount: 5000, state: .succeeded, refunded: 9000) == 0)
        #expect(PaymentLedger.net(amount: 5000, state: .pending, refunded: 0) == 0)
        #expect(PaymentLedger.net(amount: 5000, state: .failed, refunded: 0) == 0)
    }

    @Test func balanceIsPaidWhenNothingIsDueAndIssuedAgainAfterARefund() throws {
        let paid = try PaymentLedger.balance(total: 10_000, credited: 0, status: .issued, netPayments: [4000, 6000])
        #expect(paid == .init(amountPaid: 10_000, status: .paid, excess: 0))
        let partial = try PaymentLedger.balance(total: 10_000, credited: 0, status: .issued, netPayments: [4000])
        #expect(partial == .init(amountPaid: 4000, status: .issued, excess: 0))
        let refunded = try PaymentLedger.balance(total: 10_000, credited: 0, status: .paid, netPayments: [0])
        #expect(refunded == .init(amountPaid: 0, status: .issued, excess: 0))
        let credited = try PaymentLedger.balance(total: 10_000, credited: 3000, status: .issued, netPayments: [7000])
        #expect(credited.status == .paid)
    }

    @Test func moneyBeyondTheTotalOrOnACancelledInvoiceIsExcess() throws {
        #expect(try PaymentLedger.balance(total: 10_000, credited: 0, status: .issued, netPayments: [10_000, 2500]).excess == 2500)
        let cancelled = try PaymentLedger.balance(total: 10_000, credited: 0, status: .cancelled, netPayments: [10_000])
        #expect(cancelled == .init(amountPaid: 10_000, status: .cancelled, excess: 10_000))
    }

    @Test func theDefaultAmountIsTheLiveAmountDue() {
        #expect(PaymentAmountRule.amount(requested: nil, invoice: invoice(paid: 2500), providerMinimum: 50) == .success(7500))
        #expect(PaymentAmountRule.amount(requested: nil, invoice: invoice(credited: 1000), providerMinimum: 50) == .success(9000))
    }

    @Test func aSmallerAmountOnlyWherePartialPaymentsAreAllowedAndNotBelowTheMinimums() {
        #expect(PaymentAmountRule.amount(requested: 4000, invoice: invoice(), providerMinimum: 50)
                == .failure(.invalidAmount("this invoice must be paid in full (100.00 EUR)")))
        #expect(PaymentAmountRule.amount(requested: 4000, invoice: invoice(partial: true), providerMinimum: 50) == .success(4000))
        #expect(PaymentAmountRule.amount(requested: 4000, invoice: invoice(partial: true, minimum: 5000), providerMinimum: 50)
                == .failure(.invalidAmount("amount must be at least the invoice's minimum payment (50.00 EUR)")))
        #expect(PaymentAmountRule.amount(requested: 30, invoice: invoice(partial: true), providerMinimum: 50)
                == .failure(.invalidAmount("amount must be at least 0.50 EUR, the smallest card payment in EUR")))
        // The rest of an invoice may be below the invoice's own minimum: it is the whole amount due.
        #expect(PaymentAmountRule.amount(requested: nil, invoice: invoice(paid: 9000, partial: true, minimum: 5000), providerMinimum: 50)
                == .success(1000))
    }

    @Test func moneyBeingProcessedIsNotAskedForTwice() {
        #expect(PaymentAmountRule.amount(requested: nil, invoice: invoice(partial: true), pending: 4000, providerMinimum: 50) == .success(6000))
        #expect(PaymentAmountRule.amount(requested: 7000, invoice: invoice(partial: true), pending: 4000, providerMinimum: 50)
                == .failure(.invalidAmount("amount must not exceed the amount left to pay (60.00 EUR; 40.00 EUR is being processed)")))
        #expect(PaymentAmountRule.amount(requested: nil, invoice: invoice(), pending: 10_000, providerMinimum: 50)
                == .failure(.notPayable("a payment of 100.00 EUR is already being processed for this invoice")))
    }

    @Test func neverAboveTheAmountDueNorOnAnInvoiceThatCannotBePaid() {
        #expect(PaymentAmountRule.amount(requested: 10_001, invoice: invoice(partial: true), providerMinimum: nil)
                == .failure(.invalidAmount("amount must not exceed the amount due (100.00 EUR)")))
        #expect(PaymentAmountRule.amount(requested: 0, invoice: invoice(partial: true), providerMinimum: nil)
                == .failure(.invalidAmount("amount must be greater than 0")))
        for (status, reason) in [(InvoiceStatus.draft, "has not been issued"), (.cancelled, "was cancelled"), (.paid, "already paid")] {
            guard case .failure(.notPayable(let message)) = PaymentAmountRule.amount(requested: nil, invoice: invoice(status: status),
                                                                                    providerMinimum: nil) else {
                Issue.record("\(status) was payable")
                continue
            }
            #expect(message.contains(reason))
        }
    }

    @Test func typedAmountsParseInTheCurrencysMinorUnits() {
        #expect(Money.minorUnits(parsing: "50", currency: eur) == 5000)
        #expect(Money.minorUnits(parsing: " 50.5 ", currency: eur) == 5050)
        #expect(Money.minorUnits(parsing: "1,250.00", currency: eur) == 125_000)
        #expect(Money.minorUnits(parsing: "1500", currency: Currency(code: "JPY")!) == 1500)
        #expect(Money.minorUnits(parsing: "1.5", currency: Currency(code: "JPY")!) == nil)
        #expect(Money.minorUnits(parsing: "1.001", currency: Currency(code: "KWD")!) == 1001)
        for bad in ["", "-5", "5.", ".5", "5.123", "1e3", "five", "5..0", "9999999999999"] {
            #expect(Money.minorUnits(parsing: bad, currency: eur) == nil, "\(bad)")
        }
    }

    @Test func keysAreShownMaskedWithTheirModeAndLastFour() {
        #expect(PaymentSettings.masked("sk_live_51Habcdefghijkl1234") == "sk_live_…1234")
        #expect(PaymentSettings.masked("whsec_abcdefghijklmnop9876") == "whsec_…9876")
        #expect(PaymentSettings.masked("sk_test_short") == "sk_test_…")
        #expect(PaymentSettings(plan: .pro, secretKey: "sk_test_x").acceptsOnlinePayments)
        #expect(!PaymentSettings(plan: .free, secretKey: "sk_test_x").acceptsOnlinePayments)
        #expect(!PaymentSettings(plan: .pro, secretKey: nil).acceptsOnlinePayments)
    }

    @Test func anInvoicesPaymentsAddUpWithoutTrappingHoweverManyThereAre() throws {
        let some = Array(repeating: InvoiceMath.maximumAmount, count: 9)
        let balance = try PaymentLedger.balance(total: 10_000, credited: 500, status: .issued, netPayments: some)
        #expect(balance.status == .paid && balance.excess == 9 * InvoiceMath.maximumAmount - 9_500)
        let many = Array(repeating: InvoiceMath.maximumAmount, count: 10_000)
        #expect(throws: MoneyOverflow.self) { try PaymentLedger.balance(total: 10_000, credited: 500, status: .issued, netPayments: many) }
        #expect(throws: MoneyOverflow.self) { try PaymentLedger.balance(total: 10_000, credited: 0, status: .cancelled, netPayments: [.max, .max]) }
    }
}
