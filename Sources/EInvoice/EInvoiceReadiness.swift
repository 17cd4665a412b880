import Billing
import BillportCore

/// Why no valid e-invoice can be made of a document: the EN 16931 (and XRechnung) rules that
/// depend on data the tenant or the customer has not given. `CIIWriter` writes what there is;
/// these reasons say what the file would lack, in words a tenant can act on.
public enum EInvoiceReadiness {
    /// One sentence per missing piece, each naming the rule; empty when the XML will be valid.
    public static func problems(_ document: InvoiceDocument, profile: EInvoiceProfile) -> [String] {
        var problems = sellerProblems(document) + buyerProblems(document) + categoryProblems(document)
        if profile == .xRechnung { problems += xRechnungProblems(document) }
        return problems
    }

    private static func sellerProblems(_ document: InvoiceDocument) -> [String] {
        let seller = document.seller
        var problems: [String] = []
        if seller.name.allSatisfy(\.isWhitespace) { problems.append("The seller's legal name is missing (BR-06): set legalName in the company settings.") }
        if seller.address == nil { problems.append("The seller's postal address is missing (BR-08): set address in the company settings.") }
        if seller.vatID == nil, seller.taxNumber == nil {
            problems.append("The seller's VAT id or tax number is missing (BR-CO-26, BR-S-02): set vatId or taxNumber in the company settings.")
        } else if usesOutsideScope(document), seller.registration == nil, seller.taxNumber == nil {
            problems.append("An invoice outside the scope of VAT may not show VAT ids (BR-O-02), so the seller needs a tax number or a company registration to be identified (BR-CO-26).")
        }
        return problems
    }

    private static func buyerProblems(_ document: InvoiceDocument) -> [String] {
        var problems: [String] = []
        if document.buyer.name.allSatisfy(\.isWhitespace) { problems.append("The buyer's name is missing (BR-07).") }
        if document.buyer.address == nil { problems.append("The customer's postal address is missing (BR-10): set address on the customer.") }
        if document.lines.isEmpty { problems.append("The document has no lines (BR-16).") }
        return problems
    }

    /// What reverse charge, intra-community supply, export and exemption require of the parties.
    private static func categoryProblems(_ document: InvoiceDocument) -> [String] {
        let categories = Set(document.lines.map(\.vatCategory)).union(document.allowanceCharges.map(\.vatCategory))
        var problems: [String] = []
        if categories.contains(.reverseCharge) {
            if document.seller.vatID == nil, document.seller.taxNumber == nil { problems.append("Reverse charge (AE) needs the seller's VAT id (BR-AE-02).") }
            if document.buyer.vatID == nil { problems.append("Reverse charge (AE) needs the customer's VAT id (BR-AE-02): set vatId on the customer.") }
        }
        if categories.contains(.intraCommunity) {
            if document.seller.vatID == nil { problems.append("Intra-community supply (K) needs the seller's VAT id (BR-IC-02).") }
            if document.buyer.vatID == nil { problems.append("Intra-community supply (K) needs the customer's VAT id (BR-IC-02): set vatId on the customer.") }
            if document.supply == nil { problems.append("Intra-community supply (K) needs a supply date or service period (BR-IC-11).") }
        }
        if categories.contains(.export), document.seller.vatID == nil { problems.append("Export (G) needs the seller's VAT id (BR-G-02).") }
        if document.totals.taxes.contains(where: { $0.category == .exempt && $0.exemptionReason == nil }) {
            problems.append("Exempt lines (E) need an exemption reason (BR-E-10).")
        }
        if categories.contains(.outsideScope), categories.count > 1 {
            problems.append("Category O (outside the scope of VAT) cannot be mixed with other categories on one invoice (BR-O-11).")
        }
        return problems
    }

    /// The German CIUS's own rules (BR-DE-*, credit notes included) and the electronic addresses it requires.
    private static func xRechnungProblems(_ document: InvoiceDocument) -> [String] {
        let seller = document.seller
        var problems: [String] = []
        if document.buyerReference == nil {
            problems.append("XRechnung needs the buyer reference, for public buyers the Leitweg-ID (BR-DE-15): set buyerReference on the customer.")
        }
        if seller.contactName == nil || seller.phone == nil || seller.email == nil {
            problems.append("XRechnung needs the seller's contact name, phone and email (BR-DE-2, BR-DE-5, BR-DE-6, BR-DE-7): set contactName, contactPhone and contactEmail in the company settings.")
        }
        if let address = seller.address, address.postalCode == nil {
            problems.append("XRechnung needs the seller's postal code (BR-DE-4).")
        }
        if let address = document.buyer.address, address.postalCode == nil {
            problems.append("XRechnung needs the customer's postal code (BR-DE-9).")
        }
        if document.buyer.email == nil { problems.append("XRechnung needs the customer's email as electronic address (BT-49).") }
        if document.bankAccount == nil {
            problems.append("XRechnung needs payment instructions (BR-DE-1): set bankAccount in the company settings.")
        }
        return problems
    }

    private static func usesOutsideScope(_ document: InvoiceDocument) -> Bool {
        document.lines.contains { $0.vatCategory == .outsideScope } || document.allowanceCharges.contains { $0.vatCategory == .outsideScope }
    }
}
