import BillportCore
import Foundation
import Portal

/// Turns an invoice sheet into PDF bytes: the pure compose step, injected so that rules and
/// routes can be tested apart from the writer.
public protocol InvoiceRenderer: Sendable {
    func render(_ sheet: InvoiceSheet) throws -> [UInt8]
}

/// A render that failed: shown to the tenant as an error, never served as a blank file.
public struct RenderFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Serves an invoice's PDF from the cache keyed by content hash, rendering on a miss.
public struct InvoicePDFService: Sendable {
    let store: SQLitePortalStore
    let renderer: any InvoiceRenderer

    public init(store: SQLitePortalStore, renderer: any InvoiceRenderer) {
        self.store = store
        self.renderer = renderer
    }

    /// The sheet for an invoice, nil if it does not exist.
    public func sheet(tenantID: Int64, invoiceID: Int64) async throws -> InvoiceSheet? {
        guard let parts = try await store.documentParts(tenantID: tenantID, invoiceID: invoiceID) else { return nil }
        return InvoiceSheet(vendorName: parts.vendorName, branding: parts.branding, customerName: parts.customer.name,
                            customerEmail: parts.customer.email, invoice: parts.invoice)
    }

    /// The PDF and its file name: cached when the content is unchanged, else rendered now and
    /// cached. Rendering runs off the caller's executor (it is CPU work of a millisecond or two).
    public func pdf(tenantID: Int64, invoiceID: Int64) async throws -> (bytes: [UInt8], fileName: String)? {
        guard let sheet = try await sheet(tenantID: tenantID, invoiceID: invoiceID) else { return nil }
        let hash = sheet.contentHash
        if let cached = try await store.cachedPDF(invoiceID: invoiceID, contentHash: hash) {
            return (cached, sheet.fileName)
        }
        let renderer = self.renderer
        let bytes = try await Task.detached { try renderer.render(sheet) }.value
        try await store.storePDF(invoiceID: invoiceID, contentHash: hash, pdf: bytes)
        return (bytes, sheet.fileName)
    }
}
