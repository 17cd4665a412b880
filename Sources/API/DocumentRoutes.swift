import BillportCore
import Documents
import Foundation
import HTTPServer
import QRCode
import Billing
import Tokens

/// PDF downloads: from share and emailed links, with a portal's 60-second media token, and the
/// tenant's own copy.
struct DocumentRoutes {
    let stores: BillingStores
    let pdfs: InvoicePDFService
    let signer: JWTSigner
    let clock: any WallClock
    let tracking: ViewTracking
    let pages: PublicAnswerCache<RenderedPage>

    /// A buyer's page as rendered for one link, with what its views are recorded against.
    struct RenderedPage: LinkAnswer {
        let tenantID: Int64, invoiceID: Int64, linkID: Int64, source: ViewSource, linkExpiresAt: Date?
        let html: [UInt8]
    }

    var routes: [Route] {
        [
            Route(.get, "/invoice/{token}", .publicLink) { try await invoicePage($0) },
            Route(.get, "/assets/billport.css", .operations) { _ in Self.stylesheet },
            Route(.get, "/assets/brand.css", .operations) { context in
                HTTPResponse(status: 200, headers: ["Content-Type": "text/css; charset=utf-8"],
                             body: Array(InvoicePage.brandStylesheet(hex: context.request.queryValue("c")).utf8))
            },
            Route(.get, "/api/invoices/view/{token}/pdf", .publicLink) { try await linkPDF($0) },
            Route(.get, "/invoice/{token}/pdf", .publicLink) { try await linkPDF($0) },
            Route(.get, "/api/public/billing/invoices/{publicId}/pdf", .publicLink) { try await mediaPDF($0) },
            Route(.get, "/portal/{token}/invoices/{publicId}", .publicLink) { context in
                try await PortalRoutes.page(context) {
                    let (session, invoice) = try await portalInvoice(context)
                    guard let sheet = try await pdfs.sheet(tenantID: session.tenant.id, invoiceID: invoice) else { throw APIError.linkNotFound }
                    await tracking.note(context.request, tenantID: session.tenant.id, invoiceID: invoice, linkID: nil, source: .portal)
                    let base = "/portal/\(context.parameters["token"] ?? "")"
                    let path = "\(base)/invoices/\(sheet.invoice.publicID)"
                    let payment = try await payment(sheet, tenantID: session.tenant.id, path + "/pay")
                    return InvoicePage.render(sheet, pdfPath: path + "/pdf", backPath: base, payPath: payment.path, pending: payment.pending,
                                              eInvoicePath: Self.eInvoicePath(sheet, path), paymentCode: Self.paymentCode(sheet))
                }
            },
            Route(.get, "/portal/{token}/invoices/{publicId}/pdf", .publicLink) { context in
                let (session, invoice) = try await portalInvoice(context)
                let response = try await pdfResponse(tenantID: session.tenant.id, invoiceID: invoice, notFound: .linkNotFound)
                await tracking.note(context.request, tenantID: session.tenant.id, invoiceID: invoice, linkID: nil, source: .portal)
                return response
            },
            Route(.get, "/api/credit-notes/{id}/pdf", .tenant(permission: nil)) { context in
                let tenantID = try context.tenantID
                guard let found = try await stores.invoices.creditNote(tenantID: tenantID, id: try context.id("id", "credit note")) else {
                    throw APIError.notFound("credit note")
                }
                return try await creditNotePDF(found.note, tenantID: tenantID, notFound: .notFound("credit note"))
            },
            Route(.get, "/portal/{token}/credit-notes/{publicId}/pdf", .publicLink) { context in
                let session = try await PortalGate(stores: stores).open(context.parameters["token"])
                guard session.settings.showCreditNotes,
                      let found = try await stores.invoices.portalCreditNote(tenantID: session.tenant.id, customerID: session.customer.id,
                                                                             publicID: context.parameters["publicId"] ?? "") else {
                    throw APIError.linkNotFound
                }
                return try await creditNotePDF(found.note, tenantID: session.tenant.id, notFound: .linkNotFound)
            },
            Route(.get, "/api/invoices/{id}/pdf", .tenant(permission: nil)) { context in
                try await pdfResponse(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"), notFound: .notFound("invoice"))
            },
        ]
    }

    /// `base/einvoice.xml` when the invoice has an e-invoice (the sheet carries its XML).
    static func eInvoicePath(_ sheet: InvoiceSheet, _ base: String) -> String? {
        sheet.eInvoiceXML == nil ? nil : base + "/einvoice.xml"
    }

    /// The EPC payment code for what is due now, to the account the invoice names.
    static func paymentCode(_ sheet: InvoiceSheet) -> QRMatrix? {
        EPCPaymentCode.matrix(for: sheet.invoice, account: sheet.document.bankAccount)
    }

    static let stylesheet = HTTPResponse(status: 200, headers: ["Content-Type": "text/css; charset=utf-8"], body: Array(InvoicePage.stylesheet.utf8))
    static let pageNotFound = HTMLBody.response(status: 404, InvoicePage.notFound)

    /// The buyer's HTML page; every bad link gets the same 404 page. Rendered pages are kept
    /// while nothing changed (`PublicAnswerCache`), so a busy link costs no database read.
    private func invoicePage(_ context: RequestContext) async throws -> HTTPResponse {
        let token = context.parameters["token"] ?? ""
        let rendered = try await pages.value(token) { () async throws -> RenderedPage? in
            guard let hash = SecretToken.hash(ofPresented: token), let link = try await stores.links.linkedInvoice(tokenHash: hash),
                  let sheet = try await pdfs.sheet(tenantID: link.tenantID, invoiceID: link.invoiceID) else { return nil }
            let payment = try await payment(sheet, tenantID: link.tenantID, "/invoice/\(token)/pay")
            return RenderedPage(tenantID: link.tenantID, invoiceID: link.invoiceID, linkID: link.linkID, source: link.emailed ? .email : .link,
                                linkExpiresAt: link.expiresAt,
                                html: Array(InvoicePage.render(sheet, pdfPath: "/invoice/\(token)/pdf", payPath: payment.path,
                                                               pending: payment.pending, eInvoicePath: Self.eInvoicePath(sheet, "/invoice/\(token)"),
                                                               paymentCode: Self.paymentCode(sheet)).utf8))
        }
        guard let rendered else { return Self.pageNotFound }
        await tracking.note(context.request, tenantID: rendered.tenantID, invoiceID: rendered.invoiceID, linkID: rendered.linkID,
                            source: rendered.source)
        return HTMLBody.response(bytes: rendered.html)
    }

    /// `path` when the buyer can pay online (the tenant takes payments and something is due),
    /// and the money already on its way.
    private func payment(_ sheet: InvoiceSheet, tenantID: Int64, _ path: String) async throws -> (path: String?, pending: Int64) {
        guard sheet.invoice.isPayable else { return (nil, 0) }
        let pending = try await stores.payments.pendingPayments(tenantID: tenantID, invoiceID: sheet.invoice.id)
        return (try await stores.payments.paymentSettings(tenantID: tenantID).acceptsOnlinePayments ? path : nil, pending)
    }

    private func linkPDF(_ context: RequestContext) async throws -> HTTPResponse {
        guard let hash = SecretToken.hash(ofPresented: context.parameters["token"] ?? ""),
              let link = try await stores.links.linkedInvoice(tokenHash: hash) else { throw APIError.linkNotFound }
        let response = try await pdfResponse(tenantID: link.tenantID, invoiceID: link.invoiceID, notFound: .linkNotFound)
        await tracking.note(context.request, tenantID: link.tenantID, invoiceID: link.invoiceID, linkID: link.linkID,
                            source: link.emailed ? .email : .link)
        return response
    }

    /// An invoice opened from the portal: the token must open the portal, and the invoice must
    /// be that customer's (anything else is the same 404 as a bad link).
    private func portalInvoice(_ context: RequestContext) async throws -> (PortalSession, Int64) {
        let session = try await PortalGate(stores: stores).open(context.parameters["token"])
        guard let invoice = try await stores.links.customerInvoice(tenantSlug: session.tenant.slug, customerID: session.customer.id,
                                                            publicID: context.parameters["publicId"] ?? "") else { throw APIError.linkNotFound }
        return (session, invoice.invoiceID)
    }

    /// `?t=` must be a live media token whose portal still opens; the invoice must be its customer's.
    private func mediaPDF(_ context: RequestContext) async throws -> HTTPResponse {
        let session = try await MediaTokens(signer: signer, gate: PortalGate(stores: stores), clock: clock).open(context.request.queryValue("t"))
        guard let invoice = try await stores.links.customerInvoice(tenantSlug: session.tenant.slug, customerID: session.customer.id,
                                                            publicID: context.parameters["publicId"] ?? "") else {
            throw APIError.notFound("invoice")
        }
        let response = try await pdfResponse(tenantID: invoice.tenantID, invoiceID: invoice.invoiceID, notFound: .notFound("invoice"))
        await tracking.note(context.request, tenantID: invoice.tenantID, invoiceID: invoice.invoiceID, linkID: nil, source: .portal)
        return response
    }

    func pdfResponse(tenantID: Int64, invoiceID: Int64, notFound: APIError) async throws -> HTTPResponse {
        try await pdfResponse(notFound: notFound) { try await pdfs.pdf(tenantID: tenantID, invoiceID: invoiceID) }
    }

    private func creditNotePDF(_ note: CreditNote, tenantID: Int64, notFound: APIError) async throws -> HTTPResponse {
        try await pdfResponse(notFound: notFound) {
            guard let parts = try await stores.documents.documentParts(tenantID: tenantID, invoiceID: note.invoiceID) else { return nil }
            return try await pdfs.creditNotePDF(note, parts: parts)
        }
    }

    /// The PDF `make` gives as a download; its failures as the tenant can read them.
    private func pdfResponse(notFound: APIError, _ make: () async throws -> (bytes: [UInt8], fileName: String)?) async throws -> HTTPResponse {
        let document: (bytes: [UInt8], fileName: String)?
        do {
            document = try await make()
        } catch let failure as RenderFailure {
            throw APIError(status: 500, code: "pdf_render_failed", message: "the PDF could not be made: \(failure.description)")
        } catch is RenderBusy {
            throw APIError(status: 503, code: "pdf_busy", message: "too many PDFs are being made right now; try again in a second", retryAfter: 1)
        }
        guard let document else { throw notFound }
        return HTTPResponse(status: 200, headers: [
            "Content-Type": "application/pdf",
            "Content-Disposition": "attachment; filename=\"\(document.fileName)\"",
        ], body: document.bytes)
    }
}
