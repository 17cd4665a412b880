import BillportCore
import Foundation
import HTTPServer
import Payments
import Billing

/// The tenant's side of payments: plan and provider keys (never returned in full), and each
/// invoice's payments with their history.
struct PaymentSettingsRoutes {
    let stores: BillingStores
    let configuration: APIConfiguration

    struct SettingsBody: Encodable {
        let plan: String
        let provider = "stripe"
        let connected: Bool
        let acceptsOnlinePayments: Bool
        let secretKey: String?
        let webhookSecrets: [String]
        let webhookUrl: String
    }

    var routes: [Route] {
        [
            Route(.get, "/api/settings/payments", .tenant(permission: nil)) { context in
                let tenant = try context.tenantValue
                return JSONBody.response(body(try await stores.payments.paymentSettings(tenantID: tenant.id), slug: tenant.slug))
            },
            // PUT is the same partial update as PATCH: no field is erased by being left out.
            Route(.patch, "/api/settings/payments", .tenant(permission: .settingsManage)) { try await updateSettings($0) },
            Route(.put, "/api/settings/payments", .tenant(permission: .settingsManage)) { try await updateSettings($0) },
            Route(.get, "/api/invoices/{id}/payments", .tenant(permission: nil)) { context in
                let (tenantID, invoiceID) = (try context.tenantID, try context.id("id", "invoice"))
                guard try await stores.invoices.invoice(tenantID: tenantID, id: invoiceID) != nil else { throw APIError.notFound("invoice") }
                struct Body: Encodable { let data: [PaymentRepresentation]; let history: [AuditBody] }
                let payments = try await stores.payments.payments(tenantID: tenantID, invoiceID: invoiceID).map(PaymentRepresentation.init)
                let history = try await stores.payments.paymentAudit(tenantID: tenantID, invoiceID: invoiceID).map(AuditBody.init)
                return JSONBody.response(Body(data: payments, history: history))
            },
        ]
    }

    private func updateSettings(_ context: RequestContext) async throws -> HTTPResponse {
        let tenant = try context.tenantValue
        let update = try JSONBody.decode(PaymentSettingsUpdate.self, from: context.request)
        let current = try await stores.payments.paymentSettings(tenantID: tenant.id)
        let next = try update.applied(to: current)
        // The plan is what the tenant pays the operator for: shown here, changed only
        // with `billport tenant payments SLUG --plan …`. Sending the current plan back is fine.
        guard next.plan == current.plan else {
            throw APIError(status: 403, code: "forbidden", message: "the plan is set by the operator of this Billport; ask them to change it",
                           field: "plan")
        }
        return JSONBody.response(body(try await stores.payments.updatePaymentSettings(tenantID: tenant.id, next), slug: tenant.slug))
    }

    private func body(_ settings: PaymentSettings, slug: String) -> SettingsBody {
        SettingsBody(plan: settings.plan.rawValue, connected: settings.secretKey != nil, acceptsOnlinePayments: settings.acceptsOnlinePayments,
                     secretKey: settings.secretKey.map(PaymentSettings.masked), webhookSecrets: settings.webhookSecrets.map(PaymentSettings.masked),
                     webhookUrl: "\(configuration.publicBaseURL)/webhooks/stripe/\(slug)")
    }
}

/// One line of an invoice's payment history.
struct AuditBody: Encodable {
    let at: String
    let eventId: String
    let action: String
    let amount: Int64?
    let detail: String?

    init(_ entry: PaymentAuditEntry) {
        at = ISO8601.format(entry.at)
        eventId = entry.eventID
        action = entry.action
        amount = entry.amount
        detail = entry.detail
    }
}
