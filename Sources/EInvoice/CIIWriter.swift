import Billing
import BillportCore

/// Writes an `InvoiceDocument` as a UN/CEFACT Cross Industry Invoice (D16B), the XML of
/// Factur-X / ZUGFeRD and XRechnung, every element in the order the CII schema demands.
///
/// The writer is total: it writes whatever the document holds. Whether the result passes the EN
/// 16931 rules depends on data only the tenant can add (addresses, VAT ids, …);
/// `EInvoiceReadiness.problems` names what is missing, and is empty when the file will be valid.
public enum CIIWriter {
    /// The UTF-8 bytes of the CII file of `document` for `profile`.
    public static func xml(_ document: InvoiceDocument, profile: EInvoiceProfile) -> [UInt8] {
        var writer = CIIDocumentWriter(document: document, profile: profile)
        writer.write()
        return writer.xml.bytes
    }
}

/// One document being written; the header parts live in `CIIWriter+Parties.swift` and `CIIWriter+Settlement.swift`.
struct CIIDocumentWriter {
    let document: InvoiceDocument
    let profile: EInvoiceProfile
    var xml: XMLBytes
    /// Category O ("not subject to VAT") forbids every VAT identifier on the invoice (BR-O-02 to BR-O-04).
    let omitsVATIdentifiers: Bool

    init(document: InvoiceDocument, profile: EInvoiceProfile) {
        self.document = document
        self.profile = profile
        xml = XMLBytes(capacity: 4096 + document.lines.count * 1100)
        omitsVATIdentifiers = document.lines.contains { $0.vatCategory == .outsideScope }
            || document.allowanceCharges.contains { $0.vatCategory == .outsideScope }
            || document.totals.taxes.contains { $0.category == .outsideScope }
    }

    mutating func write() {
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        xml.raw("<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"")
        xml.raw(" xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\"")
        xml.raw(" xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\"")
        xml.raw(" xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">")
        writeContext()
        writeExchangedDocument()
        xml.open("rsm:SupplyChainTradeTransaction")
        for (index, line) in document.lines.enumerated() { writeLine(line, number: index + 1) }
        writeAgreement()
        writeDelivery()
        writeSettlement()
        xml.close("rsm:SupplyChainTradeTransaction")
        xml.close("rsm:CrossIndustryInvoice")
        xml.raw("\n")
    }

    private mutating func writeContext() {
        xml.open("rsm:ExchangedDocumentContext")
        if let process = profile.businessProcessID { xml.element("ram:BusinessProcessSpecifiedDocumentContextParameter", "ram:ID", process) }
        xml.element("ram:GuidelineSpecifiedDocumentContextParameter", "ram:ID", profile.guidelineID)
        xml.close("rsm:ExchangedDocumentContext")
    }

    private mutating func writeExchangedDocument() {
        xml.open("rsm:ExchangedDocument")
        xml.element("ram:ID", document.number)
        xml.element("ram:TypeCode", document.kind.typeCode)
        dateTime("ram:IssueDateTime", document.issueDate)
        if let note = document.note { xml.element("ram:IncludedNote", "ram:Content", note) }
        xml.close("rsm:ExchangedDocument")
    }

    private mutating func writeLine(_ line: InvoiceLine, number: Int) {
        xml.open("ram:IncludedSupplyChainTradeLineItem")
        xml.element("ram:AssociatedDocumentLineDocument", "ram:LineID", String(number))
        xml.element("ram:SpecifiedTradeProduct", "ram:Name", line.description)
        xml.open("ram:SpecifiedLineTradeAgreement")
        xml.element("ram:NetPriceProductTradePrice", "ram:ChargeAmount", CIINumbers.unitPrice(line.unitPrice, document.currency))
        xml.close("ram:SpecifiedLineTradeAgreement")
        xml.open("ram:SpecifiedLineTradeDelivery")
        xml.element("ram:BilledQuantity", attribute: "unitCode", value: line.unitCode.code, CIINumbers.quantity(line.quantity))
        xml.close("ram:SpecifiedLineTradeDelivery")
        xml.open("ram:SpecifiedLineTradeSettlement")
        categoryTax("ram:ApplicableTradeTax", line.vatCategory, line.taxRate)
        xml.element("ram:SpecifiedTradeSettlementLineMonetarySummation", "ram:LineTotalAmount", amount(line.net))
        xml.close("ram:SpecifiedLineTradeSettlement")
        xml.close("ram:IncludedSupplyChainTradeLineItem")
    }

    // MARK: Shared pieces

    func amount(_ minorUnits: Int64) -> String { CIINumbers.amount(minorUnits, document.currency) }

    /// `<name><udt:DateTimeString format="102">YYYYMMDD</udt:DateTimeString></name>`.
    mutating func dateTime(_ name: StaticString, _ date: CalendarDate) {
        xml.open(name)
        xml.element("udt:DateTimeString", attribute: "format", value: "102", CIINumbers.date(date))
        xml.close(name)
    }

    /// The VAT category and rate of a line, an allowance or a charge, in the group `name`.
    mutating func categoryTax(_ name: StaticString, _ category: VATCategory, _ taxRate: TaxRate) {
        xml.open(name)
        xml.element("ram:TypeCode", "VAT")
        xml.element("ram:CategoryCode", category.rawValue)
        rate(taxRate, category: category)
        xml.close(name)
    }

    /// The rate of a line, allowance, charge or breakdown row; none for category O (BR-O-05 to BR-O-07, BR-48).
    mutating func rate(_ rate: TaxRate, category: VATCategory) {
        guard category != .outsideScope else { return }
        xml.element("ram:RateApplicablePercent", CIINumbers.percent(rate))
    }
}
