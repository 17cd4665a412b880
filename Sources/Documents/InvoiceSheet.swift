import BillportCore
import Foundation
import Billing
import Tokens

/// Everything an invoice PDF shows, gathered from the store: the input of the layout and of
/// the content hash that keys the PDF cache.
public struct InvoiceSheet: Sendable, Hashable {
    public var vendorName: String
    public var branding: Branding
    public var customerName: String
    public var customerEmail: String
    public var invoice: Invoice
    /// The seller's legal details now; empty until the tenant fills them in (the page then shows
    /// the plain layout). An issued invoice prints the parties it recorded (`Invoice.parties`).
    public var company: CompanyProfile
    /// The buyer's address, VAT id and reference now.
    public var buyer: BuyerDetails
    /// The EPC payment QR code, printed in the payment area when set (EUR invoices with an IBAN and something due).
    public var paymentCode: PaymentCodeMatrix?
    /// The invoice's Factur-X (CII, EN 16931) XML: with it the PDF is PDF/A-3b and carries the XML
    /// as `factur-x.xml`; without it the PDF is a plain one.
    public var eInvoiceXML: [UInt8]?

    public init(vendorName: String, branding: Branding, customerName: String, customerEmail: String, invoice: Invoice,
                company: CompanyProfile = CompanyProfile(), buyer: BuyerDetails = BuyerDetails(), paymentCode: PaymentCodeMatrix? = nil) {
        self.vendorName = vendorName
        self.branding = branding
        self.customerName = customerName
        self.customerEmail = customerEmail
        self.invoice = invoice
        self.company = company
        self.buyer = buyer
        self.paymentCode = paymentCode
    }

    /// The legal document this sheet prints (and the e-invoice encodes): with the parties the
    /// invoice recorded when it was issued, else (a draft) the current company and buyer details.
    public var document: InvoiceDocument {
        let customer = Customer(id: invoice.customerID, name: customerName, email: customerEmail, preferences: .init(),
                                createdAt: invoice.createdAt, details: buyer)
        return InvoiceDocument(invoice: invoice, current: InvoiceParties(company: company, tenantName: vendorName, customer: customer))
    }

    /// `Invoice-INV-2026-0042.pdf`, with characters unsafe in a file name replaced.
    public var fileName: String { DocumentFileName.make("Invoice", number: invoice.number, extension: "pdf") }

    /// The document's fixed date: when it was issued, else created (so the same invoice renders
    /// the same bytes).
    public var documentDate: Date { invoice.issuedAt ?? invoice.createdAt }

    /// The cache key: SHA-256 of `canonicalText`, hex.
    public var contentHash: String { Digest.sha256(canonicalText).hex }

    /// Text for every field the PDF shows, in a fixed order; its SHA-256 keys the cache, so a
    /// payment, a status change or a new address makes a new PDF.
    public var canonicalText: String {
        var parts: [String] = [
            "v2", vendorName, branding.brandColor ?? "", branding.pageSize.rawValue, branding.paymentInstructions ?? "",
            String(branding.logo?.count ?? 0), customerName, customerEmail, invoice.number, invoice.type.rawValue,
            invoice.status.rawValue, invoice.currency.code, invoice.issueDate.description, invoice.dueDate.description,
            invoice.notes ?? "", String(invoice.totals.total), String(invoice.amountPaid), String(invoice.amountCredited),
            ISO8601.format(documentDate),
        ]
        parts += document.canonicalParts
        parts.append(paymentCode.map { code in "\(code.size) " + String(code.dark.map { $0 ? "1" : "0" }) } ?? "")
        // Only a sheet with XML gets this part.
        if let eInvoiceXML { parts.append("factur-x " + Digest.sha256(eInvoiceXML).hex) }
        return CanonicalText.join(parts)
    }
}
