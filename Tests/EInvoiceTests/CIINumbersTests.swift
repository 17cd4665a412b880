import Billing
import BillportCore
import EInvoice
import Testing

@Suite struct CIINumbersTests {
    let eur = Currency(code: "EUR")!, jpy = Currency(code: "JPY")!, kwd = Currency(code: "KWD")!

    @Test func amountsHaveTheCurrencysDecimalsCappedAtTwo() {
        #expect(CIINumbers.amount(123_45, eur) == "123.45")
        #expect(CIINumbers.amount(5, eur) == "0.05")
        #expect(CIINumbers.amount(0, eur) == "0.00")
        #expect(CIINumbers.amount(1_190, jpy) == "1190")
        #expect(CIINumbers.amount(0, jpy) == "0")
        #expect(CIINumbers.amount(1_250, kwd) == "1.25")
        // A KWD amount in fils that is not on the 2-decimal step is rounded half away from zero.
        #expect(CIINumbers.amount(1_255, kwd) == "1.26")
        #expect(CIINumbers.amount(1_254, kwd) == "1.25")
    }

    @Test func extremeAmountsNeverTrap() {
        #expect(CIINumbers.amount(Int64.max, eur) == "92233720368547758.07")
        #expect(CIINumbers.amount(Int64.min, eur) == "-92233720368547758.08")
        #expect(CIINumbers.amount(Int64.min, kwd) == "-9223372036854775.81")
    }

    @Test func unitPricesKeepEveryDecimalOfTheCurrency() {
        #expect(CIINumbers.unitPrice(1_275, kwd) == "1.275")
        #expect(CIINumbers.unitPrice(1_999, eur) == "19.99")
        #expect(CIINumbers.unitPrice(999, jpy) == "999")
    }

    @Test func quantitiesAndRatesHaveNoTrailingZeros() {
        #expect(CIINumbers.quantity(Quantity(tenThousandths: 15_000)) == "1.5")
        #expect(CIINumbers.quantity(Quantity(tenThousandths: 3_333)) == "0.3333")
        #expect(CIINumbers.quantity(Quantity(tenThousandths: 20_000)) == "2")
        #expect(CIINumbers.quantity(Quantity(tenThousandths: 1)) == "0.0001")
        #expect(CIINumbers.percent(TaxRate(hundredthsOfPercent: 1_900)) == "19")
        #expect(CIINumbers.percent(TaxRate(hundredthsOfPercent: 770)) == "7.7")
        #expect(CIINumbers.percent(TaxRate(hundredthsOfPercent: 0)) == "0")
        #expect(CIINumbers.percent(TaxRate(hundredthsOfPercent: 1)) == "0.01")
    }

    @Test func datesAreFormat102() {
        #expect(CIINumbers.date(CalendarDate(year: 2026, month: 1, day: 5)) == "20260105")
        #expect(CIINumbers.date(CalendarDate(year: 999, month: 12, day: 31)) == "09991231")
    }
}
