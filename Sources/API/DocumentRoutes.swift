import BillportCore
import Documents
import Foundation
import HTTPServer
import Portal
import Tokens

/// PDF downloads: from share and emailed links, with a portal's 60-second media token, and the
/// tenant's own copy.
struct DocumentRoutes {
    let store: SQLitePortalStore
    let pdfs: InvoicePDFService
    let signer: JWTSigner
    let clock: any WallClock

    var routes: [Route] {
        [
            Route(.get, "/api/invoices/view/{token}/pdf", .publicLink) { try await linkPDF($0) },
            Route(.get, "/invoice/{token}/pdf", .publicLink) { try await linkPDF($0) },
            Route(.get, "/api/public/billing/invoices/{publicId}/pdf", .publicLink) { try await mediaPDF($0) },
            Route(.get, "/api/invoices/{id}/pdf", .tenant(permission: nil)) { context in
                try await pdfResponse(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"), notFound: .notFound("invoice"))
            },
        ]
    }

    private func linkPDF(_ context: RequestContext) async throws -> HTTPResponse {
        guard let hash = SecretToken.hash(ofPresented: context.parameters["token"] ?? ""),
              let link = try await store.linkedInvoice(tokenHash: hash) else { throw APIError.linkNotFound }
        return try await pdfResponse(tenantID: link.tenantID, invoiceID: link.invoiceID, notFound: .linkNotFound)
    }

    /// `?t=` must be a live media token; the invoice must be its customer's.
    private func mediaPDF(_ context: RequestContext) async throws -> HTTPResponse {
        let unauthorized = APIError(status: 401, code: "unauthorized", message: "a valid media token is required (?t=…)")
        guard let jwt = context.request.queryValue("t"), let claims = try? signer.verify(jwt, now: clock.now()),
              claims.scope == "media", let customer = claims.customer else { throw unauthorized }
        guard let invoice = try await store.customerInvoice(tenantSlug: claims.tenant, customerID: customer,
                                                            publicID: context.parameters["publicId"] ?? "") else {
            throw APIError.notFound("invoice")
        }
        return try await pdfResponse(tenantID: invoice.tenantID, invoiceID: invoice.invoiceID, notFound: .notFound("invoice"))
    }

    private func pdfResponse(tenantID: Int64, invoiceID: Int64, notFound: APIError) async throws -> HTTPResponse {
        let document: (bytes: [UInt8], fileName: String)?
        do {
            document = try await pdfs.pdf(tenantID: tenantID, invoiceID: invoiceID)
        } catch let failure as RenderFailure {
            throw APIError(status: 500, code: "pdf_render_failed", message: "the PDF could not be made: \(failure.description)")
        }
        guard let document else { throw notFound }
        return HTTPResponse(status: 200, headers: [
            "Content-Type": "application/pdf",
            "Content-Disposition": "attachment; filename=\"\(document.fileName)\"",
        ], body: document.bytes)
    }
}
