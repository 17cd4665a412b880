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
    /// The invoice's Factur-X (CII, EN 16931) XML: with it the PDF is PDF/A-3b and carries the XML
    /// as `factur-x.xml`; without it the PDF is a plain one.
    public var eInvoiceXML: [UInt8]?

    public init(vendorName: String, branding: Branding, customerName: String, customerEmail: String, invoice: Invoice) {
        self.vendorName = vendorName
        self.branding = branding
        self.customerName = customerName
        self.customerEmail = customerEmail
        self.invoice = invoice
    }

    /// `Invoice-INV-2026-0042.pdf`, with characters unsafe in a file name replaced.
    public var fileName: String {
        let safe = invoice.number.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))) ? Character(scalar) : "_"
        }
        return "Invoice-\(String(safe)).pdf"
    }

    /// The document's fixed date: when it was issued, else created (so the same invoice renders
    /// the same bytes).
    public var documentDate: Date { invoice.issuedAt ?? invoice.createdAt }

    /// The cache key: SHA-256 of `canonicalText`, hex.
    public var contentHash: String { Digest.sha256(canonicalText).hex }

    /// Text for every field the PDF shows, in a fixed order; its SHA-256 keys the cache, so a
    /// payment or a status change makes a new PDF.
    public var canonicalText: String {
        var parts: [String] = [
            "v1", vendorName, branding.brandColor ?? "", branding.pageSize.rawValue, branding.paymentInstructions ?? "",
            String(branding.logo?.count ?? 0), customerName, customerEmail, invoice.number, invoice.type.rawValue,
            invoice.status.rawValue, invoice.currency.code, invoice.issueDate.description, invoice.dueDate.description,
            invoice.notes ?? "", String(invoice.totals.total), String(invoice.amountPaid), String(invoice.amountCredited),
            ISO8601.format(documentDate),
        ]
        for line in invoice.lines {
            parts += [line.description, String(line.quantity.tenThousandths), String(line.unitPrice), String(line.taxRate.hundredthsOfPercent)]
        }
        // Only a sheet with XML gets this part, so plain PDFs keep their cache keys.
        if let eInvoiceXML { parts.append("factur-x " + Digest.sha256(eInvoiceXML).hex) }
        return parts.map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }.joined(separator: "\u{1F}")
    }
}
