import Billing
import BillportCore
import EInvoice
import Testing

@Suite struct CIIWriterTests {
    func text(_ document: InvoiceDocument, _ profile: EInvoiceProfile = .en16931) -> String {
        String(decoding: CIIWriter.xml(document, profile: profile), as: UTF8.self)
    }

    /// The opening tags in document order.
    func tags(_ xml: String) -> [String] {
        xml.matches(of: /<((?:rsm|ram|udt|qdt):[A-Za-z]+)/).map { String($0.output.1) }
    }

    /// The texts of every element whose name ends in `Amount`.
    func amounts(_ xml: String) -> [String] {
        xml.matches(of: /<ram:[A-Za-z]*Amount(?: [^>]*)?>([^<]*)</).map { String($0.output.1) }
    }

    @Test func aMinimalInvoiceHasItsElementsInTheOrderTheSchemaDemands() throws {
        var document = try EInvoiceSamples.document("INV-1", lines: [EInvoiceSamples.line("Item", 10_000, 1_000)], supply: nil)
        document.bankAccount = nil
        document.seller.contactName = nil
        document.seller.phone = nil
        document.seller.email = nil
        document.seller.taxNumber = nil
        document.seller.registration = nil
        document.buyer.email = nil
        let xml = text(document)
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rsm:CrossIndustryInvoice "))
        #expect(tags(xml) == [
            "rsm:CrossIndustryInvoice",
            "rsm:ExchangedDocumentContext", "ram:GuidelineSpecifiedDocumentContextParameter", "ram:ID",
            "rsm:ExchangedDocument", "ram:ID", "ram:TypeCode", "ram:IssueDateTime", "udt:DateTimeString",
            "rsm:SupplyChainTradeTransaction",
            "ram:IncludedSupplyChainTradeLineItem", "ram:AssociatedDocumentLineDocument", "ram:LineID",
            "ram:SpecifiedTradeProduct", "ram:Name",
            "ram:SpecifiedLineTradeAgreement", "ram:NetPriceProductTradePrice", "ram:ChargeAmount",
            "ram:SpecifiedLineTradeDelivery", "ram:BilledQuantity",
            "ram:SpecifiedLineTradeSettlement", "ram:ApplicableTradeTax", "ram:TypeCode", "ram:CategoryCode", "ram:RateApplicablePercent",
            "ram:SpecifiedTradeSettlementLineMonetarySummation", "ram:LineTotalAmount",
            "ram:ApplicableHeaderTradeAgreement",
            "ram:SellerTradeParty", "ram:Name", "ram:PostalTradeAddress", "ram:PostcodeCode", "ram:LineOne", "ram:LineTwo", "ram:CityName",
            "ram:CountryID", "ram:SpecifiedTaxRegistration", "ram:ID",
            "ram:BuyerTradeParty", "ram:Name", "ram:PostalTradeAddress", "ram:PostcodeCode", "ram:LineOne", "ram:CityName", "ram:CountryID",
            "ram:SpecifiedTaxRegistration", "ram:ID",
            "ram:ApplicableHeaderTradeDelivery",
            "ram:ApplicableHeaderTradeSettlement", "ram:InvoiceCurrencyCode",
            "ram:ApplicableTradeTax", "ram:CalculatedAmount", "ram:TypeCode", "ram:BasisAmount", "ram:CategoryCode", "ram:RateApplicablePercent",
            "ram:SpecifiedTradePaymentTerms", "ram:Description", "ram:DueDateDateTime", "udt:DateTimeString",
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation", "ram:LineTotalAmount", "ram:TaxBasisTotalAmount", "ram:TaxTotalAmount",
            "ram:GrandTotalAmount", "ram:DuePayableAmount",
        ])
        #expect(xml.contains("<ram:TaxTotalAmount currencyID=\"EUR\">1.90</ram:TaxTotalAmount><ram:GrandTotalAmount>11.90</ram:GrandTotalAmount>"))
    }

    @Test func everyTextIsEscapedAndForbiddenCharactersAreDropped() throws {
        var document = try EInvoiceSamples.document("A&B", lines: [EInvoiceSamples.line("<b>\"x\" & 'y'</b>\u{1}\u{FFFF}🧾 عربى\r\n", 10_000, 100)])
        document.buyer.name = "O'Brien & Sons"
        let xml = text(document)
        #expect(xml.contains("<ram:ID>A&amp;B</ram:ID>"))
        #expect(xml.contains("<ram:Name>&lt;b&gt;&quot;x&quot; &amp; &apos;y&apos;&lt;/b&gt;🧾 عربى&#13;\n</ram:Name>"))
        #expect(xml.contains("<ram:Name>O&apos;Brien &amp; Sons</ram:Name>"))
        #expect(!xml.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0xFFFF })
    }

    @Test func xRechnungNamesItsSpecificationAndTheBusinessProcess() throws {
        let document = try EInvoiceSamples.document("INV-X", lines: [EInvoiceSamples.line("Beratung", 10_000, 9_500)], buyerReference: "04011000-12345-03")
        let xml = text(document, .xRechnung)
        #expect(xml.contains("<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ram:ID>"))
        #expect(xml.contains("<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>"))
        #expect(xml.contains("<ram:BuyerReference>04011000-12345-03</ram:BuyerReference>"))
        #expect(!text(document).contains("BusinessProcess"))
    }

    @Test func aCreditNoteNamesTheInvoiceItCorrectsAndStatesPositiveAmounts() throws {
        let document = try EInvoiceSamples.document("CN-1", kind: .creditNote, lines: [EInvoiceSamples.line("Refund", 10_000, 49_900)],
                                                    corrected: .init(number: "INV-7", issueDate: CalendarDate(year: 2026, month: 11, day: 2)))
        let xml = text(document)
        #expect(xml.contains("<ram:TypeCode>381</ram:TypeCode>"))
        #expect(xml.contains("<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>INV-7</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format=\"102\">20261102</qdt:DateTimeString>"))
        #expect(!xml.contains("PaymentReference"))
        #expect(!amounts(xml).isEmpty)
        #expect(amounts(xml).allSatisfy { !$0.hasPrefix("-") })
        #expect(xml.contains("<ram:GrandTotalAmount>593.81</ram:GrandTotalAmount><ram:DuePayableAmount>593.81</ram:DuePayableAmount>"))
    }

    @Test func outsideTheScopeOfVATShowsNoVATIdAndNoRate() throws {
        let document = try EInvoiceSamples.document("INV-O", lines: [EInvoiceSamples.line("Fee", 10_000, 12_000, rate: 0, category: .outsideScope)])
        let xml = text(document)
        #expect(!xml.contains("schemeID=\"VA\""))
        #expect(!xml.contains("RateApplicablePercent"))
        #expect(xml.contains("<ram:ExemptionReason>Not subject to VAT</ram:ExemptionReason>"))
        #expect(xml.contains("<ram:ExemptionReasonCode>VATEX-EU-O</ram:ExemptionReasonCode>"))
    }

    @Test func aSellerWithoutVATIdIsIdentifiedByItsTaxNumber() throws {
        var seller = try EInvoiceSamples.seller()
        seller.vatID = nil
        seller.registration = nil
        let xml = text(try EInvoiceSamples.document("INV-T", lines: [EInvoiceSamples.line("Service", 10_000, 10_000)], seller: seller))
        #expect(xml.contains("<ram:SellerTradeParty><ram:ID>29/815/08150</ram:ID><ram:Name>"))
        #expect(xml.contains("<ram:ID schemeID=\"FC\">29/815/08150</ram:ID>"))
        #expect(!xml.contains("<ram:SellerTradeParty><ram:ID>DE"))
    }

    @Test func intraCommunitySupplyNamesTheDeliverToCountryAndDate() throws {
        let document = try EInvoiceSamples.document("INV-K", lines: [EInvoiceSamples.line("Parts", 10_000, 5_000, rate: 0, category: .intraCommunity)])
        let xml = text(document)
        #expect(xml.contains("<ram:ShipToTradeParty><ram:Name>Client SARL</ram:Name><ram:PostalTradeAddress>"))
        #expect(xml.contains("<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:ShipToTradeParty>"))
        #expect(xml.contains("<ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime><udt:DateTimeString format=\"102\">20261130</udt:DateTimeString>"))
        #expect(xml.contains("<ram:ExemptionReasonCode>VATEX-EU-IC</ram:ExemptionReasonCode>"))
    }

    @Test func aBankAccountBecomesACreditTransferWithIBANAndBIC() throws {
        let xml = text(try EInvoiceSamples.document("INV-B", lines: [EInvoiceSamples.line("Item", 10_000, 1_000)], amountPaid: 500))
        #expect(xml.contains("<ram:PaymentReference>INV-B</ram:PaymentReference><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>"))
        #expect(xml.contains("<ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE89370400440532013000</ram:IBANID>"))
        #expect(xml.contains("<ram:BICID>COBADEFFXXX</ram:BICID>"))
        #expect(xml.contains("<ram:GrandTotalAmount>11.90</ram:GrandTotalAmount><ram:TotalPrepaidAmount>5.00</ram:TotalPrepaidAmount><ram:DuePayableAmount>6.90</ram:DuePayableAmount>"))
    }

    @Test func aServicePeriodAndAllowancesAndChargesAreInTheSettlement() throws {
        let document = try EInvoiceSamples.document(
            "INV-P", lines: [EInvoiceSamples.line("Hosting", 10_000, 10_000)],
            allowanceCharges: [AllowanceCharge(kind: .allowance, amount: 1_000, reason: "Discount", vatCategory: .standard,
                                               taxRate: TaxRate(hundredthsOfPercent: 1900))],
            supply: .period(start: CalendarDate(year: 2026, month: 11, day: 1), end: CalendarDate(year: 2026, month: 11, day: 30)))
        let xml = text(document)
        #expect(xml.contains("<ram:BillingSpecifiedPeriod><ram:StartDateTime><udt:DateTimeString format=\"102\">20261101</udt:DateTimeString></ram:StartDateTime><ram:EndDateTime><udt:DateTimeString format=\"102\">20261130</udt:DateTimeString>"))
        #expect(xml.contains("<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>10.00</ram:ActualAmount><ram:Reason>Discount</ram:Reason><ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent>"))
        #expect(xml.contains("<ram:LineTotalAmount>100.00</ram:LineTotalAmount><ram:ChargeTotalAmount>0.00</ram:ChargeTotalAmount><ram:AllowanceTotalAmount>10.00</ram:AllowanceTotalAmount><ram:TaxBasisTotalAmount>90.00</ram:TaxBasisTotalAmount>"))
    }
}
