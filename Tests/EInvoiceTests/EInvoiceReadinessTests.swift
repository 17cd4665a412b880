import Billing
import BillportCore
import EInvoice
import Testing

@Suite struct EInvoiceReadinessTests {
    func line(_ category: VATCategory? = nil) -> InvoiceMath.LineInput {
        EInvoiceSamples.line("Item", 10_000, 1_000, rate: category == nil ? 1900 : 0, category: category)
    }

    /// The first rule each reason names, in order.
    func rules(_ problems: [String]) -> [String] {
        problems.map { problem in problem.firstMatch(of: /\((B[RT]-[A-Z0-9-]+)/).map { String($0.output.1) } ?? problem }
    }

    @Test func aCompleteDocumentIsReadyForBothProfiles() throws {
        let document = try EInvoiceSamples.document("INV-1", lines: [line()], buyerReference: "04011000-12345-03")
        #expect(EInvoiceReadiness.problems(document, profile: .en16931) == [])
        #expect(EInvoiceReadiness.problems(document, profile: .xRechnung) == [])
    }

    @Test func aSellerWithoutAddressOrTaxIdsAndABuyerWithoutAddressAreNamed() throws {
        var document = try EInvoiceSamples.document("INV-1", lines: [line()])
        document.seller.address = nil
        document.seller.vatID = nil
        document.seller.taxNumber = nil
        document.buyer.address = nil
        #expect(EInvoiceReadiness.problems(document, profile: .en16931) == [
            "The seller's postal address is missing (BR-08): set address in the company settings.",
            "The seller's VAT id or tax number is missing (BR-CO-26, BR-S-02): set vatId or taxNumber in the company settings.",
            "The customer's postal address is missing (BR-10): set address on the customer.",
        ])
    }

    @Test func xRechnungNeedsTheBuyerReferenceTheSellerContactAndPaymentInstructions() throws {
        var document = try EInvoiceSamples.document("INV-1", lines: [line()])
        document.seller.phone = nil
        document.bankAccount = nil
        #expect(EInvoiceReadiness.problems(document, profile: .en16931) == [])
        #expect(rules(EInvoiceReadiness.problems(document, profile: .xRechnung)) == ["BR-DE-15", "BR-DE-2", "BR-DE-1"])
    }

    @Test func anXRechnungCreditNoteNeedsPaymentInstructionsToo() throws {
        var document = try EInvoiceSamples.document("CN-1", kind: .creditNote, lines: [line()], buyerReference: "991-12345-67",
                                                    corrected: .init(number: "INV-1", issueDate: CalendarDate(year: 2026, month: 11, day: 2)))
        #expect(EInvoiceReadiness.problems(document, profile: .xRechnung) == [])
        document.bankAccount = nil
        #expect(rules(EInvoiceReadiness.problems(document, profile: .xRechnung)) == ["BR-DE-1"])
        #expect(EInvoiceReadiness.problems(document, profile: .en16931) == [])
    }

    @Test func xRechnungNeedsPostalCodesAndTheBuyersEmail() throws {
        var document = try EInvoiceSamples.document("INV-1", lines: [line()], buyerReference: "991-12345-67")
        document.seller.address = EInvoiceSamples.address(["Main Street 1"], nil, "Berlin", "DE")
        document.buyer.address = EInvoiceSamples.address(["Rue 2"], nil, "Paris", "FR")
        document.buyer.email = nil
        #expect(rules(EInvoiceReadiness.problems(document, profile: .xRechnung)) == ["BR-DE-4", "BR-DE-9", "BT-49"])
    }

    @Test func reverseChargeAndIntraCommunitySupplyNeedTheCustomersVATIdAndKASupplyDate() throws {
        var buyer = try EInvoiceSamples.buyer()
        buyer.vatID = nil
        let reverse = try EInvoiceSamples.document("INV-1", lines: [line(.reverseCharge)], buyer: buyer)
        #expect(EInvoiceReadiness.problems(reverse, profile: .en16931) == [
            "Reverse charge (AE) needs the customer's VAT id (BR-AE-02): set vatId on the customer.",
        ])
        let intraCommunity = try EInvoiceSamples.document("INV-2", lines: [line(.intraCommunity)], buyer: buyer, supply: nil)
        #expect(rules(EInvoiceReadiness.problems(intraCommunity, profile: .en16931)) == ["BR-IC-02", "BR-IC-11"])
    }

    @Test func outsideTheScopeOfVATNeedsAnIdentifierOtherThanTheVATId() throws {
        var seller = try EInvoiceSamples.seller()
        seller.taxNumber = nil
        seller.registration = nil
        let document = try EInvoiceSamples.document("INV-1", lines: [line(.outsideScope)], seller: seller)
        #expect(rules(EInvoiceReadiness.problems(document, profile: .en16931)) == ["BR-O-02"])
        seller.registration = "HRB 1"
        #expect(EInvoiceReadiness.problems(try EInvoiceSamples.document("INV-1", lines: [line(.outsideScope)], seller: seller),
                                           profile: .en16931) == [])
    }

    @Test func exportNeedsTheSellersVATId() throws {
        var seller = try EInvoiceSamples.seller()
        seller.vatID = nil
        let document = try EInvoiceSamples.document("INV-1", lines: [line(.export)], seller: seller)
        #expect(EInvoiceReadiness.problems(document, profile: .en16931) == ["Export (G) needs the seller's VAT id (BR-G-02)."])
    }
}
