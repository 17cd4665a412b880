import Billing
import BillportCore
import Foundation
import Mail
import Queue

extension JobHandlers {
    /// `webhooks.disabled`: tells the endpoint's `alertEmail` that Billport disabled it and why,
    /// or, when it has none, the tenant's notification recipients; with neither it is only logged. The message id is the job's, so a retry after a
    /// crash can be recognised as the same message.
    public mutating func registerWebhookDisabledNotice(stores: BillingStores, sender: MailSender, from: MailAddress, publicBaseURL: String) {
        register(BillingJob.webhookEndpointDisabled) { payload, context in
            guard let endpoint = try await stores.webhookEndpoints.webhookEndpoint(tenantID: payload.tenantId, id: payload.endpointId),
                  let tenant = try await stores.tenants.tenant(id: payload.tenantId) else { return }
            var recipients = endpoint.alertEmail.map { [$0] } ?? []
            if recipients.isEmpty { recipients = try await stores.tenants.notificationSettings(tenantID: payload.tenantId).recipients }
            guard !recipients.isEmpty else {
                context.logger.warning("webhook endpoint disabled; no alertEmail or notification recipient to tell",
                                       ["endpoint": "\(endpoint.id)", "reason": payload.reason.rawValue])
                return
            }
            let why = switch payload.reason {
            case .gone: "it answered 410 Gone, which says the endpoint no longer exists"
            case .failing: "its deliveries kept failing: every retry of the last deliveries over about three days went unanswered or was refused"
            }
            let text = """
                Billport stopped sending webhooks to an endpoint of \(tenant.name):

                  \(endpoint.url)

                because \(why).

                Deliveries to it are kept: see GET \(publicBaseURL)/api/webhook-endpoints/\(endpoint.id)/deliveries.
                Once the receiver works again, enable it (PATCH /api/webhook-endpoints/\(endpoint.id) with {"enabled": true})
                and replay what it missed (POST …/deliveries/{id}/retry).
                """
            let message = MailMessage(from: from, to: recipients.map { MailAddress($0) }, subject: "Webhook endpoint disabled: \(endpoint.url)",
                                      messageID: "billport.webhooks.\(context.job.id)@\(from.domain)", text: text)
            _ = try await sender.send(message)
        }
    }
}
