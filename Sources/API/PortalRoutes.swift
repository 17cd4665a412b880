import BillportCore
import Foundation
import HTTPServer
import Portal
import Tokens

/// Portal settings for the tenant, and the customer portal's JSON.
struct PortalRoutes {
    let store: SQLitePortalStore
    let clock: any WallClock

    var routes: [Route] {
        [
            Route(.get, "/api/settings/portal", .tenant(permission: nil)) { context in
                JSONBody.response(try await store.portalSettings(tenantID: try context.tenantID))
            },
            Route(.put, "/api/settings/portal", .tenant(permission: SettingsRoutes.settings)) { context in
                struct Request: Decodable {
                    let enabled: Bool?, tokenExpiryDays: Int?, showCreditNotes: Bool?, showStatement: Bool?, welcomeMessage: String?
                }
                let body = try JSONBody.decode(Request.self, from: context.request)
                let tenantID = try context.tenantID
                var settings = try await store.portalSettings(tenantID: tenantID)
                settings.enabled = body.enabled ?? settings.enabled
                settings.tokenExpiryDays = body.tokenExpiryDays ?? settings.tokenExpiryDays
                settings.showCreditNotes = body.showCreditNotes ?? settings.showCreditNotes
                settings.showStatement = body.showStatement ?? settings.showStatement
                if let welcome = body.welcomeMessage { settings.welcomeMessage = welcome.isEmpty ? nil : welcome }
                return JSONBody.response(try await store.updatePortalSettings(tenantID: tenantID, settings))
            },
            Route(.get, "/api/portal/{token}", .publicLink) { try await portal($0) },
        ]
    }

    /// Unknown or revoked token → the link 404; expired → 403 access denied; portal switched
    /// off → 503 whatever the token's state.
    private func portal(_ context: RequestContext) async throws -> HTTPResponse {
        guard let hash = SecretToken.hash(ofPresented: context.parameters["token"] ?? ""),
              let access = try await store.portalCustomer(tokenHash: hash),
              let tenant = try await store.tenant(id: access.tenantID) else { throw APIError.linkNotFound }
        let settings = try await store.portalSettings(tenantID: access.tenantID)
        guard settings.enabled else {
            throw APIError(status: 503, code: "portal_unavailable", message: "Portal not available.")
        }
        guard !access.expired else {
            throw APIError(status: 403, code: "access_denied", message: "Access denied: this portal link has expired. Ask \(tenant.name) for a new one.")
        }
        guard let customer = try await store.customer(tenantID: access.tenantID, id: access.customerID) else { throw APIError.linkNotFound }
        let limit = Int(try context.queryInt("limit", default: 20, range: 1...100) ?? 20)
        let start = Int(try context.queryInt("offset", default: 0, range: 0...1_000_000) ?? 0)
        let invoices = try await store.portalInvoices(tenantID: access.tenantID, customerID: access.customerID)
        let balances = PortalBalance.of(invoices, today: CalendarDate(utc: clock.now()))
        let page = Array(invoices.dropFirst(start).prefix(limit))
        struct Line: Encodable {
            let publicId: String, number: String, issueDate: String, dueDate: String, status: String, currency: String
            let total: Int64, amountDue: Int64, overdue: Bool, pdfUrl: String
        }
        struct Balance: Encodable { let currency: String; let outstanding: Int64; let overdue: Int64 }
        struct Body: Encodable {
            let vendorName: String, customerName: String, welcomeMessage: String?
            let overdue: Bool, balances: [Balance], creditNotes: [CreditLine]?
            let statement: Statement?, invoices: [Line], nextOffset: Int?
        }
        struct CreditLine: Encodable { let invoiceNumber: String; let currency: String; let credited: Int64 }
        struct Statement: Encodable { let asOf: String; let balances: [PortalBalance] }
        let today = CalendarDate(utc: clock.now())
        let lines = page.map { invoice in
            Line(publicId: invoice.publicID, number: invoice.number, issueDate: invoice.issueDate.description, dueDate: invoice.dueDate.description,
                 status: invoice.status.rawValue, currency: invoice.currency.code, total: invoice.totals.total, amountDue: invoice.amountDue,
                 overdue: invoice.status == .issued && invoice.amountDue > 0 && invoice.dueDate < today,
                 pdfUrl: "/api/public/billing/invoices/\(invoice.publicID)/pdf")
        }
        let credits = settings.showCreditNotes
            ? invoices.filter { $0.amountCredited > 0 }.map { CreditLine(invoiceNumber: $0.number, currency: $0.currency.code, credited: $0.amountCredited) }
            : nil
        return JSONBody.response(Body(
            vendorName: tenant.name, customerName: customer.name, welcomeMessage: settings.welcomeMessage,
            overdue: balances.contains { $0.overdue > 0 },
            balances: balances.map { Balance(currency: $0.currency, outstanding: $0.outstanding, overdue: $0.overdue) }, creditNotes: credits,
            statement: settings.showStatement ? Statement(asOf: today.description, balances: balances) : nil,
            invoices: lines, nextOffset: start + limit < invoices.count ? start + limit : nil))
    }
}
