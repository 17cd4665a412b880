import BillportCore
import Foundation
import Billing
import Tokens

/// Everything a credit note's PDF shows: the tenant's name and branding and the credit note as a
/// legal document (its number, date, the invoice it corrects, the reason, lines and VAT).
public struct CreditNoteSheet: Sendable, Hashable {
    public var vendorName: String
    public var branding: Branding
    /// A document of kind `.creditNote`.
    public var document: InvoiceDocument
    /// The credit note's Factur-X XML (type 381): with it the PDF is PDF/A-3b carrying it.
    public var eInvoiceXML: [UInt8]?

    public init(vendorName: String, branding: Branding, document: InvoiceDocument, eInvoiceXML: [UInt8]? = nil) {
        self.vendorName = vendorName
        self.branding = branding
        self.document = document
        self.eInvoiceXML = eInvoiceXML
    }

    /// The sheet of a stored credit note, with the parties of the invoice it corrects (`parts`
    /// are that invoice's); nil for a credit note stored before credit notes had lines.
    public init?(_ creditNote: CreditNote, parts: DocumentParts, eInvoiceXML: [UInt8]? = nil) {
        guard let document = InvoiceDocument(creditNote: creditNote, invoice: parts.invoice, parties: parts.parties) else { return nil }
        self.init(vendorName: parts.vendorName, branding: parts.branding, document: document, eInvoiceXML: eInvoiceXML)
    }

    /// `CreditNote-CN-1.pdf`, with characters unsafe in a file name replaced.
    public var fileName: String { DocumentFileName.make("CreditNote", number: document.number, extension: "pdf") }

    /// The PDF's creation date: the credit note's date at midnight UTC, so the same credit note
    /// renders the same bytes.
    public var documentDate: Date { Date(timeIntervalSince1970: Double(document.issueDate.daysSinceEpoch) * 86_400) }

    /// The cache key: SHA-256 of `canonicalText`, hex.
    public var contentHash: String { Digest.sha256(canonicalText).hex }

    /// Text for every field the PDF shows, in a fixed order.
    public var canonicalText: String {
        CanonicalText.join(["credit-note-v1", vendorName, branding.brandColor ?? "", branding.pageSize.rawValue, String(branding.logo?.count ?? 0),
                            eInvoiceXML.map { "factur-x " + Digest.sha256($0).hex } ?? ""] + document.canonicalParts)
    }
}
