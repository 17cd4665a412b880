import Billing
import BillportCore
import Documents
import EInvoice
import HTTPServer
import Tokens

/// E-invoice downloads: the CII XML Factur-X PDFs embed (EN 16931), for the tenant and from the
/// buyer's link and portal, and the XRechnung file for German public buyers (tenant only).
struct EInvoiceRoutes {
    let stores: BillingStores
    let tracking: ViewTracking

    var routes: [Route] {
        [
            Route(.get, "/api/invoices/{id}/einvoice.xml", .tenant(permission: nil)) { context in
                try await tenantInvoice(context, profile: .en16931)
            },
            Route(.get, "/api/invoices/{id}/xrechnung.xml", .tenant(permission: nil)) { context in
                try await tenantInvoice(context, profile: .xRechnung)
            },
            Route(.get, "/api/credit-notes/{id}/einvoice.xml", .tenant(permission: nil)) { context in
                let tenantID = try context.tenantID
                guard let found = try await stores.invoices.creditNote(tenantID: tenantID, id: try context.id("id", "credit note")),
                      let parts = try await stores.documents.documentParts(tenantID: tenantID, invoiceID: found.invoice.id) else {
                    throw APIError.notFound("credit note")
                }
                return try Self.answer(number: found.note.number, prefix: "CreditNote") {
                    try EInvoiceFile.creditNote(found.note, parts, profile: .en16931)
                }
            },
            Route(.get, "/invoice/{token}/einvoice.xml", .publicLink) { context in
                guard let hash = SecretToken.hash(ofPresented: context.parameters["token"] ?? ""),
                      let link = try await stores.links.linkedInvoice(tokenHash: hash) else { throw APIError.linkNotFound }
                let response = try await buyerInvoice(tenantID: link.tenantID, invoiceID: link.invoiceID)
                await tracking.note(context.request, tenantID: link.tenantID, invoiceID: link.invoiceID, linkID: link.linkID,
                                    source: link.emailed ? .email : .link)
                return response
            },
            Route(.get, "/portal/{token}/invoices/{publicId}/einvoice.xml", .publicLink) { context in
                let session = try await PortalGate(stores: stores).open(context.parameters["token"])
                guard let invoice = try await stores.links.customerInvoice(tenantSlug: session.tenant.slug, customerID: session.customer.id,
                                                                           publicID: context.parameters["publicId"] ?? "") else { throw APIError.linkNotFound }
                let response = try await buyerInvoice(tenantID: session.tenant.id, invoiceID: invoice.invoiceID)
                await tracking.note(context.request, tenantID: session.tenant.id, invoiceID: invoice.invoiceID, linkID: nil, source: .portal)
                return response
            },
        ]
    }

    private func tenantInvoice(_ context: RequestContext, profile: EInvoiceProfile) async throws -> HTTPResponse {
        guard let parts = try await stores.documents.documentParts(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice")) else {
            throw APIError.notFound("invoice")
        }
        return try Self.answer(number: parts.invoice.number, prefix: profile == .xRechnung ? "XRechnung" : "Invoice") {
            try EInvoiceFile.invoice(parts, profile: profile)
        }
    }

    /// The buyer gets the XML of an invoice it may see; one without an e-invoice is the link's 404.
    private func buyerInvoice(tenantID: Int64, invoiceID: Int64) async throws -> HTTPResponse {
        guard try await stores.invoices.isBuyerVisible(tenantID: tenantID, invoiceID: invoiceID),
              let parts = try await stores.documents.documentParts(tenantID: tenantID, invoiceID: invoiceID),
              let xml = try? EInvoiceFile.invoice(parts, profile: .en16931) else { throw APIError.linkNotFound }
        return Self.xmlResponse(xml, fileName: DocumentFileName.make("Invoice", number: parts.invoice.number, extension: "xml"))
    }

    /// The XML `make` gives, or 409 `einvoice_unavailable` with its reasons.
    private static func answer(number: String, prefix: String, _ make: () throws -> [UInt8]) throws -> HTTPResponse {
        do {
            return xmlResponse(try make(), fileName: DocumentFileName.make(prefix, number: number, extension: "xml"))
        } catch let unavailable as EInvoiceFile.Unavailable {
            throw APIError(status: 409, code: "einvoice_unavailable", message: "No e-invoice yet. " + unavailable.description)
        }
    }

    static func xmlResponse(_ xml: [UInt8], fileName: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/xml; charset=utf-8",
                                            "Content-Disposition": "attachment; filename=\"\(fileName)\""], body: xml)
    }
}
