import Testing
@testable import Billing

/// The EPC069-12 version 002 text a banking app reads from an invoice's payment code.
@Suite struct EPCPaymentTextTests {
    static func lines(_ payment: EPCPaymentText?) -> [String]? {
        payment.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    static func payment(name: String = "Billport Demo GmbH", iban: String = "DE89 3704 0044 0532 0130 00", bic: String? = "COBADEFFXXX",
                        cents: Int64 = 135_660, remittance: String = "INV-2026-0042") -> EPCPaymentText? {
        EPCPaymentText(beneficiaryName: name, iban: iban, bic: bic, amountMinorUnits: cents, remittance: remittance)
    }

    @Test func everyLineOfANormalPayment() throws {
        let payment = try #require(Self.payment())
        #expect(payment.text == "BCD\n002\n1\nSCT\nCOBADEFFXXX\nBillport Demo GmbH\nDE89370400440532013000\nEUR1356.60\n\n\nINV-2026-0042")
        #expect(payment.bytes == Array(payment.text.utf8))
        #expect(!payment.text.hasSuffix("\n"))
    }

    @Test func theBICIsOptionalAndAnInvalidOneIsLeftOut() {
        #expect(Self.lines(Self.payment(bic: nil))?[4] == "")
        #expect(Self.lines(Self.payment(bic: "coba de ff"))?[4] == "COBADEFF")
        #expect(Self.lines(Self.payment(bic: "COBADE"))?[4] == "")
        #expect(Self.lines(Self.payment(bic: "COBA12FF"))?[4] == "")
        #expect(Self.lines(Self.payment(bic: "COBADEFF\nEUR1"))?[4] == "")
        #expect(Self.lines(Self.payment(bic: nil))?.count == 11)
    }

    @Test(arguments: [(Int64(1), "EUR0.01"), (10, "EUR0.10"), (100, "EUR1.00"), (135_660, "EUR1356.60"), (100_000_000, "EUR1000000.00"),
                      (99_999_999_999, "EUR999999999.99")])
    func amountsHaveTwoDecimalsAndNoSeparators(cents: Int64, line: String) {
        #expect(Self.lines(Self.payment(cents: cents))?[7] == line)
    }

    @Test(arguments: [Int64(0), -1, 100_000_000_000, 1_000_000_000_000, .max, .min])
    func anAmountOutsideTheGuidelinesRangeMakesNoCode(cents: Int64) {
        #expect(Self.payment(cents: cents) == nil)
    }

    @Test func theIBANLosesItsSpacesAndMustBeOne() {
        #expect(Self.lines(Self.payment(iban: "de89 3704 0044 0532 0130 00"))?[6] == "DE89370400440532013000")
        #expect(Self.payment(iban: "DE88 3704 0044 0532 0130 00") == nil)        // check digits wrong
        #expect(Self.payment(iban: "") == nil)
        #expect(Self.payment(iban: "DE89 3704") == nil)
        #expect(Self.payment(iban: "DE89370400440532013000\nEUR1") == nil)
        #expect(Self.payment(iban: "DE8937040044053201300ß") == nil)
        #expect(Self.payment(iban: String(repeating: "1", count: 10_000)) == nil)
    }

    @Test func theNameIsCutAt70CharactersOnACharacterBoundary() throws {
        let long = String(repeating: "Zoë & Søn ", count: 10)
        let name = try #require(Self.lines(Self.payment(name: long)))[5]
        #expect(name.count == 70)
        #expect(long.hasPrefix(name))
        // A flag is one character of several scalars: it is kept whole or not at all.
        let flags = try #require(Self.lines(Self.payment(name: String(repeating: "A", count: 69) + "🇩🇪🇩🇪")))[5]
        #expect(flags == String(repeating: "A", count: 69) + "🇩🇪")
    }

    @Test func anEmptyNameMakesNoCode() {
        #expect(Self.payment(name: "") == nil)
        #expect(Self.payment(name: " \n\t ") == nil)
    }

    /// A newline in a field would move every later field: control characters become single spaces.
    @Test func fieldsStayOnTheirLine() throws {
        let lines = try #require(Self.lines(Self.payment(name: "  Acme\r\nGmbH\u{2028}Berlin ", remittance: "INV-1\nEUR0.01")))
        #expect(lines.count == 11)
        #expect(lines[5] == "Acme GmbH Berlin")
        #expect(lines[10] == "INV-1 EUR0.01")
    }

    @Test func theRemittanceIsTheInvoiceNumberCutAt140Characters() throws {
        let number = String(repeating: "INV-0123456789-", count: 12)
        let remittance = try #require(Self.lines(Self.payment(remittance: number)))[10]
        #expect(remittance.count == 140)
        #expect(number.hasPrefix(remittance))
        // Without a remittance, the text ends with the amount.
        #expect(Self.payment(remittance: "")?.text.hasSuffix("\nEUR1356.60") == true)
    }

    @Test func theWholeTextStaysWithin331BytesEvenWithEveryFieldAtItsLimit() throws {
        let hostile = String(repeating: "e\u{301}\u{302}\u{303}", count: 5_000)
        for (name, remittance) in [(String(repeating: "W", count: 200), String(repeating: "9", count: 500)),
                                   (String(repeating: "Ø", count: 200), String(repeating: "€", count: 500)),
                                   (String(repeating: "𝔄", count: 200), String(repeating: "𝔅", count: 500)),
                                   (hostile, hostile)] {
            let payment = try #require(Self.payment(name: name, iban: "LC55HEMM000100010012001200023015", bic: "HEMMLCLCXXX",
                                                    cents: EPCPaymentText.maximumAmountMinorUnits, remittance: remittance))
            #expect(payment.bytes.count <= EPCPaymentText.maximumByteCount)
            let lines = try #require(Self.lines(payment))
            #expect(lines.count <= 11 && lines.count >= 8)
            #expect(lines[5].count <= 70 && !lines[5].isEmpty)
        }
        // ASCII fields at their limits all fit whole: 78 fixed bytes, 70 of name, 140 of remittance.
        let ascii = try #require(Self.payment(name: String(repeating: "W", count: 70), iban: "LC55HEMM000100010012001200023015",
                                              bic: "HEMMLCLCXXX", cents: EPCPaymentText.maximumAmountMinorUnits,
                                              remittance: String(repeating: "9", count: 140)))
        #expect(ascii.bytes.count == 288)
    }
}
