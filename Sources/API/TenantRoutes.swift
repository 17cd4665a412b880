import BillportCore
import Foundation
import HTTPServer
import Billing

/// Customers and invoices for an authenticated tenant.
struct TenantRoutes {
    let stores: BillingStores
    let configuration: APIConfiguration
    let clock: any WallClock

    var routes: [Route] {
        [
            Route(.post, "/api/customers", .tenant(permission: .invoicesWrite)) { try await createCustomer($0) },
            Route(.get, "/api/customers/{id}", .tenant(permission: nil)) { context in
                guard let customer = try await stores.customers.customer(tenantID: try context.tenantID, id: try context.id("id", "customer")) else {
                    throw APIError.notFound("customer")
                }
                return JSONBody.response(CustomerRepresentation(customer))
            },
            Route(.post, "/api/invoices", .tenant(permission: .invoicesWrite)) { context in
                let request = try JSONBody.decode(CreateInvoiceRequest.self, from: context.request)
                let invoice = try await stores.invoices.createInvoice(tenantID: try context.tenantID, draft: try InvoiceDraft.validate(request))
                return JSONBody.response(status: 201, InvoiceRepresentation(invoice))
            },
            Route(.get, "/api/invoices", .tenant(permission: nil)) { context in
                try context.requireKnownQuery(["limit", "before", "status", "customerId", "dueBefore", "dueAfter"])
                let limit = try context.queryInt("limit", default: 50, range: 1...200) ?? 50
                let before = try context.queryInt("before", default: nil, range: 1...Int64.max)
                let filter = InvoiceListFilter(status: try context.queryEnum("status", InvoiceStatus.self),
                                               customerID: try context.queryInt("customerId", default: nil, range: 1...Int64.max),
                                               dueBefore: try context.queryDate("dueBefore"), dueAfter: try context.queryDate("dueAfter"))
                let invoices = try await stores.invoices.invoices(tenantID: try context.tenantID, filter: filter, limit: Int(limit), beforeID: before)
                return JSONBody.response(InvoiceListBody(data: invoices.map(InvoiceRepresentation.init),
                                                     nextBefore: invoices.count == Int(limit) ? invoices.last?.id : nil))
            },
            Route(.get, "/api/invoices/{id}", .tenant(permission: nil)) { context in
                let tenantID = try context.tenantID
                guard let invoice = try await stores.invoices.invoice(tenantID: tenantID, id: try context.id("id", "invoice")) else {
                    throw APIError.notFound("invoice")
                }
                var body = InvoiceRepresentation(invoice)
                body.views = ViewStatsRepresentation(try await stores.views.viewStats(tenantID: tenantID, invoiceID: invoice.id), now: clock.now())
                body.payments = try await stores.payments.payments(tenantID: tenantID, invoiceID: invoice.id).map(PaymentRepresentation.init)
                return JSONBody.response(body)
            },
            Route(.get, "/api/invoices/{id}/views", .tenant(permission: nil)) { context in
                let tenantID = try context.tenantID
                let id = try context.id("id", "invoice")
                guard try await stores.invoices.invoice(tenantID: tenantID, id: id) != nil else { throw APIError.notFound("invoice") }
                let limit = Int(try context.queryInt("limit", default: 100, range: 1...1000) ?? 100)
                let log = try await stores.views.views(tenantID: tenantID, invoiceID: id, limit: limit).map {
                    ViewRepresentation(logLine: $0.record, counted: $0.counted)
                }
                return JSONBody.response(["data": log])
            },
            // PUT is the same partial update as PATCH: no field is erased by being left out.
            Route(.patch, "/api/invoices/{id}", .tenant(permission: .invoicesWrite)) { try await updateDraft($0) },
            Route(.put, "/api/invoices/{id}", .tenant(permission: .invoicesWrite)) { try await updateDraft($0) },
            Route(.post, "/api/invoices/{id}/issue", .tenant(permission: .invoicesWrite)) { context in
                JSONBody.response(InvoiceRepresentation(try await stores.invoices.issue(tenantID: try context.tenantID, id: try context.id("id", "invoice"))))
            },
            Route(.post, "/api/invoices/{id}/cancel", .tenant(permission: .invoicesWrite)) { context in
                JSONBody.response(InvoiceRepresentation(try await stores.invoices.cancel(tenantID: try context.tenantID, id: try context.id("id", "invoice"))))
            },
            Route(.post, "/api/invoices/{id}/credit-notes", .tenant(permission: .invoicesWrite)) { context in
                let body = try JSONBody.decode(CreateCreditNoteRequest.self, from: context.request)
                let today = CalendarDate(utc: clock.now())
                let note = try await stores.invoices.createCreditNote(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice")) { invoice in
                    do throws(FieldError) { return try CreditNoteDraft.validate(body, for: invoice, today: today) } catch { throw BillingError.invalid(error) }
                }
                return JSONBody.response(status: 201, CreditNoteBody(note))
            },
            Route(.get, "/api/invoices/{id}/credit-notes", .tenant(permission: nil)) { context in
                let notes = try await stores.invoices.creditNotes(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"))
                return JSONBody.response(["data": notes.map(CreditNoteBody.init)])
            },
            Route(.put, "/api/invoices/{id}/delivery-status", .tenant(permission: .invoicesWrite)) { context in
                struct Request: Decodable, KnownKeys {
                    let deliveryStatus: String
                    enum CodingKeys: String, CodingKey, CaseIterable { case deliveryStatus }
                }
                let body = try JSONBody.decode(Request.self, from: context.request)
                guard let status = DeliveryStatus(rawValue: body.deliveryStatus), status == .sent || status == .notSent else {
                    throw APIError(status: 422, code: "invalid_field", message: "deliveryStatus must be sent or not_sent", field: "deliveryStatus")
                }
                let invoice = try await stores.invoices.setDeliveryStatus(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"), status: status)
                return JSONBody.response(InvoiceRepresentation(invoice))
            },
            Route(.post, "/api/invoices/{id}/share", .tenant(permission: .invoicesManage)) { try await share($0) },
            Route(.delete, "/api/invoices/{id}/share", .tenant(permission: .invoicesManage)) { context in
                try await stores.links.revokeLinks(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"))
                return HTTPResponse(status: 204)
            },
        ]
    }

    private func updateDraft(_ context: RequestContext) async throws -> HTTPResponse {
        let change = try JSONBody.decode(InvoiceChange.self, from: context.request)
        let invoice = try await stores.invoices.updateDraft(tenantID: try context.tenantID, id: try context.id("id", "invoice")) { current in
            try InvoiceDraft.validate(change.applied(to: current))
        }
        return JSONBody.response(InvoiceRepresentation(invoice))
    }

    private func createCustomer(_ context: RequestContext) async throws -> HTTPResponse {
        struct Request: Decodable, KnownKeys {
            let name: String
            let email: String
            let preferences: Customer.Preferences?
            let address: PostalAddress.Input?
            let vatId: String?
            let buyerReference: String?
            enum CodingKeys: String, CodingKey, CaseIterable { case name, email, preferences, address, vatId, buyerReference }
            static var nested: [String: any KnownKeys.Type] { ["preferences": Customer.Preferences.self, "address": PostalAddress.Input.self] }
        }
        let body = try JSONBody.decode(Request.self, from: context.request)
        let details: BuyerDetails
        do throws(FieldError) {
            details = BuyerDetails(address: try body.address.map { v throws(FieldError) in try PostalAddress(v, field: "address") },
                                   vatID: try body.vatId.map { v throws(FieldError) in try VATIdentifier(v, field: "vatId") },
                                   buyerReference: try body.buyerReference.map { v throws(FieldError) in try BuyerDetails.buyerReference(v) })
        } catch {
            throw BillingError.invalid(error)
        }
        let customer = try await stores.customers.createCustomer(tenantID: try context.tenantID, name: body.name, email: body.email,
                                                      preferences: body.preferences ?? .init(), details: details)
        return JSONBody.response(status: 201, CustomerRepresentation(customer))
    }

    /// 201 with the token once; 200 `alreadyShared` without it afterwards.
    private func share(_ context: RequestContext) async throws -> HTTPResponse {
        let regenerate = try context.queryBool("regenerate")
        let result = try await stores.links.share(tenantID: try context.tenantID, invoiceID: try context.id("id", "invoice"), regenerate: regenerate)
        struct Body: Encodable {
            let shareToken: String?
            let shareUrl: String?
            let alreadyShared: Bool
            let shareTokenCreatedAt: String

            // Nulls are part of the contract: encode them rather than leave the keys out.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(shareToken, forKey: .shareToken)
                try container.encode(shareUrl, forKey: .shareUrl)
                try container.encode(alreadyShared, forKey: .alreadyShared)
                try container.encode(shareTokenCreatedAt, forKey: .shareTokenCreatedAt)
            }
            enum CodingKeys: String, CodingKey { case shareToken, shareUrl, alreadyShared, shareTokenCreatedAt }
        }
        let url = result.token.map { "\(configuration.publicBaseURL)/invoice/\($0)" }
        return JSONBody.response(status: result.alreadyShared ? 200 : 201,
                                 Body(shareToken: result.token, shareUrl: url, alreadyShared: result.alreadyShared,
                                      shareTokenCreatedAt: ISO8601.format(result.createdAt)))
    }
}
