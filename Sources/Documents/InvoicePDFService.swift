import BillportCore
import Foundation
import Billing
import EInvoice

/// Turns an invoice sheet into PDF bytes: the pure compose step, injected so that rules and
/// routes can be tested apart from the writer.
public protocol InvoiceRenderer: Sendable {
    func render(_ sheet: InvoiceSheet) throws -> [UInt8]

    /// A credit note's PDF.
    func render(_ sheet: CreditNoteSheet) throws -> [UInt8]
}

extension InvoiceRenderer {
    /// Renderers that only know invoices (test stand-ins) refuse credit notes.
    public func render(_ sheet: CreditNoteSheet) throws -> [UInt8] {
        throw RenderFailure("this renderer makes no credit notes")
    }
}

/// A render that failed: shown to the tenant as an error, never served as a blank file.
public struct RenderFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Serves an invoice's PDF from the cache keyed by content hash, rendering on a miss through
/// the process's render pool.
public struct InvoicePDFService: Sendable {
    /// Makes an invoice's e-invoice XML (Factur-X CII) from what is stored, or nil when the
    /// invoice gets none (the PDF then stays a plain one).
    public typealias EInvoiceMaker = @Sendable (DocumentParts) throws -> [UInt8]?

    let store: any DocumentStore
    let pool: PDFRenderPool
    let eInvoice: EInvoiceMaker?

    /// Factur-X (EN 16931) for every invoice that can have one: invoices whose e-invoice is not
    /// available (`EInvoiceFile.Unavailable`) stay plain PDFs.
    public static let facturX: EInvoiceMaker = { parts in try? EInvoiceFile.invoice(parts, profile: .en16931) }

    public init(store: any DocumentStore, pool: PDFRenderPool, eInvoice: EInvoiceMaker? = InvoicePDFService.facturX) {
        self.store = store
        self.pool = pool
        self.eInvoice = eInvoice
    }

    /// A service with a pool of its own (tools and tests; a server shares one pool).
    public init(store: any DocumentStore, renderer: any InvoiceRenderer, eInvoice: EInvoiceMaker? = InvoicePDFService.facturX) {
        self.init(store: store, pool: PDFRenderPool(renderer: renderer), eInvoice: eInvoice)
    }

    /// The sheet for an invoice, nil if it does not exist; with its e-invoice XML when the
    /// service makes one, so the XML is part of the cache key.
    public func sheet(tenantID: Int64, invoiceID: Int64) async throws -> InvoiceSheet? {
        guard let parts = try await store.documentParts(tenantID: tenantID, invoiceID: invoiceID) else { return nil }
        var sheet = InvoiceSheet(vendorName: parts.vendorName, branding: parts.branding, customerName: parts.customer.name,
                                 customerEmail: parts.customer.email, invoice: parts.invoice, company: parts.company,
                                 buyer: parts.customer.details)
        sheet.eInvoiceXML = try eInvoice?(parts)
        return sheet
    }

    /// The PDF and its file name: cached when the content is unchanged, else rendered on the
    /// pool (joining a render of the same content already under way) and cached. Throws
    /// `RenderBusy` when the pool's queue is full. The payment code is encoded only for a render:
    /// it follows from fields the key already holds (amount due, bank account, number), so a
    /// cached download does not pay for it.
    public func pdf(tenantID: Int64, invoiceID: Int64) async throws -> (bytes: [UInt8], fileName: String)? {
        guard var sheet = try await sheet(tenantID: tenantID, invoiceID: invoiceID) else { return nil }
        let hash = sheet.contentHash
        if let cached = try await store.cachedPDF(invoiceID: invoiceID, contentHash: hash) {
            return (cached, sheet.fileName)
        }
        sheet.paymentCode = EPCPaymentCode.matrix(for: sheet.invoice, account: sheet.document.bankAccount).map(PaymentCodeMatrix.init)
        let store = self.store
        let bytes = try await pool.pdf(PDFRenderPool.Key(tenantID: tenantID, invoiceID: invoiceID, contentHash: hash), sheet: sheet) { bytes in
            try await store.storePDF(invoiceID: invoiceID, contentHash: hash, pdf: bytes)
        }
        return (bytes, sheet.fileName)
    }

    /// A credit note's PDF and its file name, rendered on the pool (credit notes are rarely
    /// downloaded, so they are not cached); PDF/A-3b with its Factur-X XML when the service makes
    /// e-invoices and the credit note can have one. Nil for a credit note without lines.
    public func creditNotePDF(_ note: CreditNote, parts: DocumentParts) async throws -> (bytes: [UInt8], fileName: String)? {
        let xml = eInvoice == nil ? nil : try? EInvoiceFile.creditNote(note, parts, profile: .en16931)
        guard let sheet = CreditNoteSheet(note, parts: parts, eInvoiceXML: xml) else { return nil }
        let renderer = pool.renderer
        return (try await pool.offload { try renderer.render(sheet) }, sheet.fileName)
    }
}
