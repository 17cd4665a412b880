import Foundation
import Billing
import Testing

@Suite struct InvoiceMathTests {
    @Test func roundsHalfAwayFromZero() {
        #expect(InvoiceMath.roundedDivision(15, by: 10) == 2)
        #expect(InvoiceMath.roundedDivision(14, by: 10) == 1)
        #expect(InvoiceMath.roundedDivision(-15, by: 10) == -2)
        #expect(InvoiceMath.roundedDivision(-14, by: 10) == -1)
        #expect(InvoiceMath.roundedDivision(25, by: 10) == 3)
    }

    @Test func taxIsComputedOncePerRateOnTheSumOfNets() throws {
        // Three lines of 0.33 at 19 %: per line 0.0627 → 0.06 each (0.18); on the sum 0.99 → 0.1881 → 0.19.
        let line = (description: "x", quantity: Quantity(tenThousandths: 10_000), unitPrice: Int64(33), taxRate: TaxRate(hundredthsOfPercent: 1900))
        let result = try InvoiceMath.compute([line, line, line])
        #expect(result.totals.subtotal == 99)
        #expect(result.totals.taxTotal == 19)
        #expect(result.totals.total == 118)
        #expect(result.totals.taxes.map { [$0.rate.hundredthsOfPercent, $0.base, $0.amount] } == [[1900, 99, 19]])
    }

    @Test func fractionalQuantitiesRoundTheNetToTheMinorUnit() throws {
        let result = try InvoiceMath.compute([(description: "1.5 h", quantity: Quantity(1.5)!, unitPrice: 3333, taxRate: TaxRate(percent: 0)!)])
        #expect(result.lines[0].net == 5000) // 4999.5 → 5000
    }

    @Test func refusesAmountsThatWouldOverflow() {
        let line = (description: "x", quantity: Quantity(tenThousandths: 10_000_000_000), unitPrice: InvoiceMath.maximumAmount,
                    taxRate: TaxRate(hundredthsOfPercent: 0))
        #expect(throws: InvoiceMath.Failure.tooLarge(line: 0)) { try InvoiceMath.compute([line]) }
    }
}

@Suite struct CurrencyAndMoneyTests {
    @Test func exponentsFollowISO4217() {
        #expect(Currency(code: "EUR")?.exponent == 2)
        #expect(Currency(code: "jpy")?.exponent == 0)
        #expect(Currency(code: "KWD")?.exponent == 3)
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "EURO") == nil)
    }

    @Test func formatsPerExponent() {
        #expect(Money(minorUnits: 123_456_789, currency: Currency(code: "EUR")!).formatted == "1,234,567.89 EUR")
        #expect(Money(minorUnits: 1234, currency: Currency(code: "JPY")!).formatted == "1,234 JPY")
        #expect(Money(minorUnits: 5, currency: Currency(code: "KWD")!).formatted == "0.005 KWD")
        #expect(Money(minorUnits: -150, currency: Currency(code: "USD")!).formatted == "-1.50 USD")
    }

    @Test func quantitiesAndRatesRefuseTooManyDecimals() {
        #expect(Quantity(0.25)?.tenThousandths == 2500)
        #expect(Quantity(1.00001) == nil)
        #expect(TaxRate(percent: 7.7)?.hundredthsOfPercent == 770)
        #expect(TaxRate(percent: 7.777) == nil)
        #expect(TaxRate(percent: -1) == nil)
    }
}

@Suite struct InvoiceDraftTests {
    func request(_ json: String) throws -> CreateInvoiceRequest {
        try JSONDecoder().decode(CreateInvoiceRequest.self, from: Data(json.utf8))
    }

    let valid = #"{"customerId": 1, "number": "A-1", "currency": "EUR", "issueDate": "2026-11-01", "dueDate": "2026-12-01", "lines": [{"description": "x", "quantity": 1, "unitPrice": 100}]}"#

    @Test func defaultsToARWithoutTaxOrPartialPayments() throws {
        let draft = try InvoiceDraft.validate(try request(valid))
        #expect(draft.type == .ar)
        #expect(draft.totals.total == 100)
        #expect(draft.allowPartialPayments == false)
    }

    @Test func aMinimumPaymentNeedsPartialPaymentsAndFitsTheTotal() throws {
        var text = valid.replacingOccurrences(of: #""lines""#, with: #""minimumPaymentAmount": 50, "lines""#)
        #expect(throws: FieldError("minimumPaymentAmount", "needs allowPartialPayments: true")) { try InvoiceDraft.validate(try request(text)) }
        text = text.replacingOccurrences(of: #""minimumPaymentAmount": 50"#, with: #""minimumPaymentAmount": 500, "allowPartialPayments": true"#)
        #expect(throws: FieldError("minimumPaymentAmount", "must be between 1 and the invoice total 100")) { try InvoiceDraft.validate(try request(text)) }
    }
}
