import Billing
import BillportCore
import Documents
import Queue

extension JobHandlers {
    /// `pdf.render`: renders the invoice's PDF into the cache (a cached one with the same
    /// content hash makes it a no-op, so running twice is harmless). A render that fails is dead
    /// at once with its reason: retrying the same input cannot help. A full render pool
    /// (`RenderBusy`) is an ordinary failure, retried later.
    public mutating func registerDocuments(pdfs: InvoicePDFService) {
        register(BillingJob.renderPDF) { payload, context in
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
