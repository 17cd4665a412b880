import Billing
import BillportCore
import EInvoice
import Testing

@Suite struct EInvoiceReadinessTests {
    func line(_ category: VATCategory? = nil) -> InvoiceMath.LineInput {
        EInvoiceSamples.line("Item", 10_000, 1_000, rate: category == nil ? 1900 : 0, category: category)
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
        let problems = EInvoiceReadiness.problems(document, profile: .en16931)
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("seller's postal address") && $0.contains("BR-08") })
        #expect(problems.contains { $0.contains("VAT id or tax number") && $0.contains("BR-CO-26") })
        #expect(problems.contains { $0.contains("customer's postal address") && $0.contains("BR-10") })
    }

    @Test func xRechnungNeedsTheBuyerReferenceTheSellerContactAndPaymentInstructions() throws {
        var document = try EInvoiceSamples.document("INV-1", lines: [line()])
        document.seller.phone = nil
        document.bankAccount = nil
        #expect(EInvoiceReadiness.problems(document, profile: .en16931) == [])
        let problems = EInvoiceReadiness.problems(document, profile: .xRechnung)
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("Leitweg-ID") && $0.contains("BR-DE-15") })
        #expect(problems.contains { $0.contains("contact name, phone and email") && $0.contains("BR-DE-2") })
        #expect(problems.contains { $0.contains("payment instructions") && $0.contains("BR-DE-1") })
    }

    @Test func xRechnungNeedsPostalCodesAndTheBuyersEmail() throws {
        var document = try EInvoiceSamples.document("INV-1", lines: [line()], buyerReference: "991-12345-67")
        document.seller.address = EInvoiceSamples.address(["Main Street 1"], nil, "Berlin", "DE")
        document.buyer.address = EInvoiceSamples.address(["Rue 2"], nil, "Paris", "FR")
        document.buyer.email = nil
        let problems = EInvoiceReadiness.problems(document, profile: .xRechnung)
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("BR-DE-4") })
        #expect(problems.contains { $0.contains("BR-DE-9") })
        #expect(problems.contains { $0.contains("BT-49") })
    }

    @Test func reverseChargeAndIntraCommunitySupplyNeedTheCustomersVATIdAndKASupplyDate() throws {
        var buyer = try EInvoiceSamples.buyer()
        buyer.vatID = nil
        let reverse = try EInvoiceSamples.document("INV-1", lines: [line(.reverseCharge)], buyer: buyer)
        #expect(EInvoiceReadiness.problems(reverse, profile: .en16931) == [
            "Reverse charge (AE) needs the customer's VAT id (BR-AE-02): set vatId on the customer.",
        ])
        let intraCommunity = try EInvoiceSamples.document("INV-2", lines: [line(.intraCommunity)], buyer: buyer, supply: nil)
        let problems = EInvoiceReadiness.problems(intraCommunity, profile: .en16931)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.contains("BR-IC-02") })
        #expect(problems.contains { $0.contains("BR-IC-11") })
    }

    @Test func outsideTheScopeOfVATNeedsAnIdentifierOtherThanTheVATId() throws {
        var seller = try EInvoiceSamples.seller()
        seller.taxNumber = nil
        seller.registration = nil
        let document = try EInvoiceSamples.document("INV-1", lines: [line(.outsideScope)], seller: seller)
        let problems = EInvoiceReadiness.problems(document, profile: .en16931)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("BR-O-02") == true)
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
