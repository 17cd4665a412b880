import BillportCore
import Documents
import Foundation
import Portal
import Queue

extension JobHandlers {
    /// `pdf.render {"tenantId", "invoiceId"}`: renders the invoice's PDF into the cache (a cached
    /// one with the same content hash makes it a no-op, so running twice is harmless). A render
    /// that fails is dead at once with its reason: retrying the same input cannot help. A full
    /// render pool (`RenderBusy`) is an ordinary failure, retried later.
    public mutating func registerDocuments(pdfs: InvoicePDFService) {
        register("pdf.render") { context in
            let payload = try context.payload(as: SQLitePortalStore.RenderPDF.self)
            let document: (bytes: [UInt8], fileName: String)?
            do {
                document = try await pdfs.pdf(tenantID: payload.tenantId, invoiceID: payload.invoiceId)
            } catch let failure as RenderFailure {
                throw JobError.discard("the PDF of invoice \(payload.invoiceId) could not be made: \(failure.description)")
            }
            guard let document else { throw JobError.discard("invoice \(payload.invoiceId) of tenant \(payload.tenantId) does not exist") }
            context.logger.debug("pdf rendered", ["invoice": "\(payload.invoiceId)", "bytes": "\(document.bytes.count)"])
        }
    }
}

extension JobHandlers {
    /// `views.aggregate`: folds raw opens into per-invoice stats; repeated opens of one link from
    /// one address within `window` count once. Idempotent: each view is processed once.
    public mutating func registerViewAggregation(store: SQLitePortalStore, window: Duration) {
        register("views.aggregate") { context in
            var total = 0
            while true {
                let processed = try await store.aggregateViews(window: window)
                total += processed
                if processed < 5000 { break }
            }
            if total > 0 { context.logger.debug("views aggregated", ["views": "\(total)"]) }
        }
    }
}

extension JobHandlers {
    /// `views.prune`: deletes raw views and blanks their addresses past `retention`, in
    /// bounded batches; the per-invoice stats stay.
    public mutating func registerViewRetention(store: SQLitePortalStore, retention: ViewRetention) {
        register("views.prune") { context in
            let pruned = try await store.pruneViews(retention: retention)
            if pruned != ViewPruning() {
                context.logger.info("views pruned", ["deleted": "\(pruned.deleted)", "anonymised": "\(pruned.anonymised)"])
            }
        }
    }

    /// `links.expire`: marks portal tokens past their expiry (idempotent).
    public mutating func registerLinkExpiry(store: SQLitePortalStore) {
        register("links.expire") { context in
            let marked = try await store.markExpiredPortalTokens()
            if marked > 0 { context.logger.info("portal tokens expired", ["tokens": "\(marked)"]) }
        }
    }
}
