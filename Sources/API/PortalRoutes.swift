import BillportCore
import Documents
import Foundation
import HTTPServer
import Billing

/// Portal settings for the tenant, and the customer portal as JSON and HTML.
struct PortalRoutes {
    let stores: BillingStores
    let clock: any WallClock
    var messageQuota = MessageQuota()
    var gate: PortalGate { PortalGate(stores: stores) }

    var routes: [Route] {
        [
            Route(.get, "/api/settings/portal", .tenant(permission: nil)) { context in
                JSONBody.response(try await stores.tenants.portalSettings(tenantID: try context.tenantID))
            },
            // PUT is the same partial update as PATCH: no field is erased by being left out.
            Route(.patch, "/api/settings/portal", .tenant(permission: .settingsManage)) { try await updateSettings($0) },
            Route(.put, "/api/settings/portal", .tenant(permission: .settingsManage)) { try await updateSettings($0) },
            Route(.get, "/api/portal/{token}", .publicLink) { context in
                JSONBody.response(try await snapshot(context))
            },
            Route(.get, "/portal/{token}", .publicLink) { context in
                try await Self.page(context) {
                    PortalPage.render(try await snapshot(context), token: context.parameters["token"] ?? "",
                                      notice: context.request.queryValue("sent") == "1" ? "Thank you — your message was sent." : nil)
                }
            },
            Route(.post, "/api/portal/{token}/messages", .publicLink) { context in
                struct Request: Decodable, KnownKeys {
                    let message: String
                    enum CodingKeys: String, CodingKey, CaseIterable { case message }
                }
                let request = try JSONBody.decode(Request.self, from: context.request)
                let message = try await leaveMessage(context, text: request.message)
                return JSONBody.response(status: 201, ["createdAt": ISO8601.format(message.createdAt)])
            },
            // The no-JavaScript form: posts, then lands back on the portal with a thank-you.
            Route(.post, "/portal/{token}/messages", .publicLink) { context in
                let token = context.parameters["token"] ?? ""
                return try await Self.page(context) {
                    _ = try await leaveMessage(context, text: context.request.formValue("message") ?? "")
                    return nil
                } redirect: { "/portal/\(token)?sent=1" }
            },
        ]
    }

    /// An absent field stays as it is; `welcomeMessage: null` (or "") clears the message; the
    /// switches and the expiry cannot be null.
    private func updateSettings(_ context: RequestContext) async throws -> HTTPResponse {
        struct Change: Decodable, KnownKeys {
            var enabled: Bool?, tokenExpiryDays: Int?, showCreditNotes: Bool?, showStatement: Bool?, showSalesOrders: Bool?
            var allowMessages: Bool?, welcomeMessage: String??
            enum CodingKeys: String, CodingKey, CaseIterable {
                case enabled, tokenExpiryDays, showCreditNotes, showStatement, showSalesOrders, allowMessages, welcomeMessage
            }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                enabled = try container.decodeUnlessAbsent(forKey: .enabled)
                tokenExpiryDays = try container.decodeUnlessAbsent(forKey: .tokenExpiryDays)
                showCreditNotes = try container.decodeUnlessAbsent(forKey: .showCreditNotes)
                showStatement = try container.decodeUnlessAbsent(forKey: .showStatement)
                showSalesOrders = try container.decodeUnlessAbsent(forKey: .showSalesOrders)
                allowMessages = try container.decodeUnlessAbsent(forKey: .allowMessages)
                welcomeMessage = try container.decodeChange(forKey: .welcomeMessage)
            }
        }
        let change = try JSONBody.decode(Change.self, from: context.request)
        let tenantID = try context.tenantID
        var settings = try await stores.tenants.portalSettings(tenantID: tenantID)
        settings.enabled = change.enabled ?? settings.enabled
        settings.tokenExpiryDays = change.tokenExpiryDays ?? settings.tokenExpiryDays
        settings.showCreditNotes = change.showCreditNotes ?? settings.showCreditNotes
        settings.showStatement = change.showStatement ?? settings.showStatement
        settings.showSalesOrders = change.showSalesOrders ?? settings.showSalesOrders
        settings.allowMessages = change.allowMessages ?? settings.allowMessages
        if let welcome = change.welcomeMessage { settings.welcomeMessage = welcome?.isEmpty == false ? welcome : nil }
        return JSONBody.response(try await stores.tenants.updatePortalSettings(tenantID: tenantID, settings))
    }

    private func leaveMessage(_ context: RequestContext, text: String) async throws -> CustomerMessage {
        let session = try await gate.open(context.parameters["token"])
        return try await stores.salesOrders.addCustomerMessage(tenantID: session.tenant.id, customerID: session.customer.id, text: text,
                                                  quota: messageQuota)
    }

    /// An HTML portal response: the page `render` makes (or a 303 to `redirect`), or the page for
    /// the refusal the gate threw — 404 for bad links, 403 expired or switched off.
    static func page(_ context: RequestContext, render: () async throws -> String?,
                     redirect: () -> String = { "" }) async throws -> HTTPResponse {
        do {
            guard let html = try await render() else {
                return HTTPResponse(status: 303, headers: ["Location": redirect()])
            }
            return HTMLBody.response(html)
        } catch {
            let refusal = APIError.from(error)
            let html: String
            switch refusal.status {
            case 400, 404: html = InvoicePage.notFound
            case 403 where refusal.code == PortalGate.unavailable.code:
                html = PortalPage.refusal(title: "Portal not available", message: refusal.message)
            case 403: html = PortalPage.refusal(title: "Access denied", message: refusal.message)
            case 422 where refusal.field == "before":
                html = PortalPage.refusal(title: "Page not available", message: refusal.message)
            case 422 where refusal.code == "amount_overflow":
                html = PortalPage.refusal(title: "Statement not available", message: refusal.message)
            case 409, 422, 429: html = PortalPage.refusal(title: "Your message was not sent", message: refusal.message)
            default: throw error
            }
            var response = HTMLBody.response(status: refusal.status, html)
            if let retryAfter = refusal.retryAfter { response.headers.set("Retry-After", String(retryAfter)) }
            return response
        }
    }

    /// The credit-note list shows the newest credit notes, at most this many.
    static let creditNotesShown = 100

    func snapshot(_ context: RequestContext) async throws -> PortalBody {
        let session = try await gate.open(context.parameters["token"])
        let (tenantID, customerID, settings) = (session.tenant.id, session.customer.id, session.settings)
        let limit = Int(try context.queryInt("limit", default: 20, range: 1...100) ?? 20)
        let start = Int(try context.queryInt("offset", default: 0, range: 0...1_000_000) ?? 0)
        let before = context.request.queryValue("before")
        guard let page = try await stores.invoices.portalInvoicePage(tenantID: tenantID, customerID: customerID, limit: limit,
                                                                     offset: start, before: before) else {
            throw APIError(status: 422, code: "invalid_field", message: "before must be an invoice of this portal", field: "before")
        }
        let today = CalendarDate(utc: clock.now())
        let balances = try await stores.invoices.customerBalances(tenantID: tenantID, customerID: customerID, today: today)
        let online = try await stores.payments.paymentSettings(tenantID: tenantID).acceptsOnlinePayments
        let lines = page.invoices.map { invoice in
            PortalBody.Line(publicId: invoice.publicID, number: invoice.number, issueDate: invoice.issueDate.description,
                            dueDate: invoice.dueDate.description, status: invoice.status.rawValue, currency: invoice.currency.code,
                            total: invoice.total, amountDue: invoice.amountDue, amountOverpaid: invoice.amountOverpaid,
                            overdue: invoice.status == .issued && invoice.amountDue > 0 && invoice.dueDate < today,
                            pdfUrl: "/api/public/billing/invoices/\(invoice.publicID)/pdf",
                            payable: online && invoice.isPayable)
        }
        let credits = settings.showCreditNotes
            ? try await stores.invoices.portalCreditNotes(tenantID: tenantID, customerID: customerID, limit: Self.creditNotesShown).map {
                PortalBody.CreditLine(publicId: $0.publicID, number: $0.number, issueDate: $0.issueDate.description, invoiceNumber: $0.invoiceNumber,
                                      currency: $0.currency, credited: $0.amount, hasDocument: $0.hasDocument)
            }
            : nil
        let orders = settings.showSalesOrders
            ? try await stores.salesOrders.salesOrders(tenantID: tenantID, customerID: customerID).map {
                PortalBody.Order(number: $0.number, status: $0.status.rawValue, orderDate: $0.orderDate.description,
                                 expectedDate: $0.expectedDate?.description, currency: $0.total.currency.code, total: $0.total.minorUnits)
            }
            : nil
        let brand = try await stores.tenants.branding(tenantID: tenantID).brandColor.flatMap { Branding.isValidColor($0) ? $0 : nil }
        return PortalBody(
            vendorName: session.tenant.name, brandColor: brand ?? InvoicePage.defaultBrand, customerName: session.customer.name, welcomeMessage: settings.welcomeMessage,
            overdue: balances.contains { $0.overdue > 0 },
            balances: balances.map { PortalBody.Balance(currency: $0.currency, outstanding: $0.outstanding, overdue: $0.overdue) },
            creditNotes: credits, salesOrders: orders,
            statement: settings.showStatement ? PortalBody.Statement(asOf: today.description, balances: balances) : nil,
            messagesEnabled: settings.allowMessages,
            invoices: lines, nextOffset: page.hasMore ? start + limit : nil,
            nextCursor: page.hasMore ? page.invoices.last?.publicID : nil)
    }
}

/// What a customer's portal shows (JSON and HTML alike). No internal ids, no tokens.
struct PortalBody: Encodable {
    struct Line: Encodable {
        let publicId: String, number: String, issueDate: String, dueDate: String, status: String, currency: String
        let total: Int64, amountDue: Int64
        /// Money received beyond the total, which the tenant refunds; never negative.
        let amountOverpaid: Int64
        let overdue: Bool, pdfUrl: String
        /// Whether "Pay now" is offered on its page (the tenant takes online payments, something is due).
        let payable: Bool
    }
    struct Balance: Encodable { let currency: String; let outstanding: Int64; let overdue: Int64 }
    /// `hasDocument`: a PDF at `/portal/{token}/credit-notes/{publicId}/pdf` (credit notes made before they had lines have none).
    struct CreditLine: Encodable {
        let publicId: String, number: String, issueDate: String, invoiceNumber: String, currency: String, credited: Int64, hasDocument: Bool
    }
    struct Order: Encodable { let number: String, status: String, orderDate: String, expectedDate: String?, currency: String, total: Int64 }
    struct Statement: Encodable { let asOf: String; let balances: [CustomerBalance] }

    let vendorName: String, brandColor: String, customerName: String, welcomeMessage: String?
    let overdue: Bool, balances: [Balance], creditNotes: [CreditLine]?, salesOrders: [Order]?
    let statement: Statement?, messagesEnabled: Bool, invoices: [Line], nextOffset: Int?
    /// The next page as `before=`: the last invoice of this page, so the next page stays the
    /// same when new invoices arrive (`nextOffset` shifts by one with each).
    let nextCursor: String?
}
